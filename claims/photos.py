"""P10 and photo reuse: the replaced device's photo against its declared serial and against
every device photo submitted before.

A serial approves a line only when the photo shows it without doubt: a barcode or QR code
equal to the declared serial, or label text read with confidence and equal to it. Text read
with doubt may agree up to OCR confusions, but then a reviewer confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claims.bundle import DeclaredLine
from claims.facts import DocumentFacts, LabelFacts, PhotoSeen
from claims.programme import Thresholds
from claims.reasons import Code, Reason
from ocr.device_label import canonical, serial_matches
from ocr.photo_print import FINE_HASH_BITS, HASH_BITS, NO_PRINTS, print_distance


@dataclass(frozen=True)
class PhotoCheck:
    """What the photo of one line's replaced device says about its serial."""

    reasons: tuple[Reason, ...]
    serial_read: str | None  # what the photo reads (best evidence), canonical
    sure_serial: str | None = None  # the same, when read without doubt


def check_photo_serial(line: DeclaredLine, photo: DocumentFacts) -> PhotoCheck:
    """P10: the serial read from the photo (codes, label text) against the declared serial."""
    label = photo.label or LabelFacts((), None, None, ("the photo's label was not read",))
    if line.device is None or photo.quality == "unreadable":
        return PhotoCheck((), None)  # UNREADABLE_FILE is reported for the document
    best = label.best
    if best is None:
        return PhotoCheck((_unread(line, photo, label),), None)
    read = canonical(best.value)
    sure = confident_serial(label)
    declared = line.device.serial or ""
    verdicts = [(e, *serial_matches(declared, e)) for e in label.serials]
    first, agrees, why = verdicts[0]
    if agrees and not first.doubtful:
        return PhotoCheck((), read, sure)
    if agrees:
        doubt = _reason(Code.LOW_OCR_CONFIDENCE, line, photo, f"serial on the photo read with doubt: {why}", label)
        return PhotoCheck((doubt,), read, sure)
    others = [(e, w) for e, ok, w in verdicts[1:] if ok]
    detail = f"declared serial not the one on the device photo: {why}"
    if others:
        detail += f"; the label also carries {canonical(others[0][0].value)} ({others[0][0].detail})"
    return PhotoCheck((_reason(Code.SERIAL_MISMATCH, line, photo, detail, label),), read, sure)


def _unread(line: DeclaredLine, photo: DocumentFacts, label: LabelFacts) -> Reason:
    code = Code.ILLEGIBLE_DOCUMENT if photo.quality == "illegible" else Code.LOW_OCR_CONFIDENCE
    return _reason(code, line, photo, "no serial could be read from the photo of the replaced device", label)


def _reason(code: Code, line: DeclaredLine, photo: DocumentFacts, detail: str, label: LabelFacts) -> Reason:
    seen = [f"{name} {value!r}" for name, value in (("brand", label.brand), ("model", label.model)) if value]
    if seen:
        detail += f"; the label shows {', '.join(seen)}"
    if label.findings:
        detail += f"; {'; '.join(label.findings[:3])}"
    return Reason(code, detail, line=line.index, document=photo.file)


def confident_serial(label: LabelFacts | None) -> str | None:
    """The serial a photo shows without doubt (canonical), else None."""
    best = label.best if label else None
    return canonical(best.value) if best is not None and not best.doubtful else None


_SERIALS_KEPT = 4  # of a photo's serial readings, for recognising it again (a label carries two or three)


def seen_serials(label: LabelFacts | None) -> tuple[str, ...]:
    """The serials a photo reads, with doubt or without (canonical, best first): a label's
    codes may disagree, and a crop may lose the one that settled them."""
    values = dict.fromkeys(canonical(e.value) for e in (label.serials if label else ()))
    return tuple(values)[:_SERIALS_KEPT]


@dataclass(frozen=True)
class PhotoOfLine:
    """A device photo of this claim, with the line it shows."""

    line: int
    photo: DocumentFacts


def find_reused_photos(
    claim_photos: Sequence[PhotoOfLine], earlier: Iterable[PhotoSeen], thresholds: Thresholds
) -> Iterator[Reason]:
    """DUPLICATE_PHOTO for each photo of this claim that an earlier claim, or an earlier line of
    this claim, submitted already: the same bytes, or perceptual prints within the thresholds
    (re-encoded, resized, cropped or turned copies) unless the two photos show different
    serials without doubt (two devices of one model photographed alike)."""
    seen = list(earlier)
    for item in claim_photos:
        mine = photo_seen("", item.photo, item.line)
        for other in seen:
            how = _same_photo(mine, other, thresholds)
            if how:
                where = f"claim {other.claim_ref}" if other.claim_ref else f"line {other.line} of this claim"
                yield Reason(
                    Code.DUPLICATE_PHOTO,
                    f"the photo {item.photo.file} was already submitted as {other.file} for {where} ({how})",
                    line=item.line,
                    document=item.photo.file,
                )
                break
        seen.append(mine)


def photo_seen(claim_ref: str, photo: DocumentFacts, line: int | None) -> PhotoSeen:
    """A device photo as kept for recognising it again."""
    label = photo.label
    return PhotoSeen(
        claim_ref=claim_ref,
        file=photo.file,
        sha256=photo.sha256,
        prints=label.prints if label else NO_PRINTS,
        serial_read=confident_serial(label),
        line=line,
        serials_seen=seen_serials(label),
    )


def _same_photo(a: PhotoSeen, b: PhotoSeen, thresholds: Thresholds) -> str | None:
    """How two photos are one, or None.

    The whole photo's prints (and a crop's against the other's centre) are confirmed by the
    same prints at 256 bits where both photos have them: another shot of the same model on
    the same kind of back can come as close as a copy at 64 bits, never at 256. A crop lines
    up with the other's centre only roughly, so it also must not read another serial.
    The label's print identifies the label's design more than the shot (labels of one style
    come within a few bits of each other): it finds a new photo of a label photographed
    before, the same device submitted again, only where both photos read about the same
    serial, with doubt or without.
    """
    if a.sha256 == b.sha256:
        return "the same file"
    if a.serial_read and b.serial_read and a.serial_read != b.serial_read:
        return None
    t, p, q = thresholds, a.prints, b.prints
    closest = _closest_serials(a.serials_seen, b.serials_seen)
    serials = None if closest is None else closest[0] >= t.label_serial_min
    for name, crop, coarse, fine in (
        ("whole photo", False, (p.whole, q.whole), (p.fine, q.fine)),
        ("whole photo against the other's centre (a crop)", True, (p.whole, q.centre), (p.fine, q.fine_centre)),
        ("centre against the other whole photo (a crop)", True, (p.centre, q.whole), (p.fine_centre, q.fine)),
    ):
        if crop and serials is False:
            continue
        found = _within(*coarse, HASH_BITS, t.photo_max_distance)
        if found and all(fine):
            limit = t.photo_crop_fine_max_distance if crop else t.photo_fine_max_distance
            confirmed = _within(*fine, FINE_HASH_BITS, limit)
            found = f"{found}, {confirmed} at {FINE_HASH_BITS} bits" if confirmed else None
        if found:
            agreed = f"; {_agreement(closest, t)}" if crop and serials else ""
            return f"perceptual print of the {name} {found}{agreed}"
    found = _within(p.label, q.label, HASH_BITS, t.label_max_distance)
    if not found or not serials:
        return None
    return f"perceptual print of the label {found}; {_agreement(closest, t)}"


def _closest_serials(mine: Sequence[str], others: Sequence[str]) -> tuple[float, str, str] | None:
    """How alike (%) the closest pair of two photos' serial readings is, and the pair; None
    when one read none."""
    return max(((fuzz.ratio(x, y), x, y) for x in mine for y in others), default=None)


def _agreement(closest: tuple[float, str, str] | None, thresholds: Thresholds) -> str:
    alike, x, y = closest or (0.0, "", "")
    return f"both read the serial {x} / {y} ({alike:.0f} % alike, at least {thresholds.label_serial_min:.0f})"


def _within(x: str | None, y: str | None, bits: int, limit: float) -> str | None:
    """'d/bits bits apart, at most limit' when two prints are that close, else None."""
    if not (x and y):
        return None
    distance = print_distance(x, y, bits)
    return f"{distance}/{bits} bits apart, at most {limit:.0f}" if distance <= limit else None
