"""Photo reuse on generated device photos: copies found, distinct photos left alone.

Each original photo (a label case with a label) is passed on four ways, as partners do:
re-encoded at a low JPEG quality, resized to 60 %, cropped, and turned a quarter and saved as
PNG. Every copy is read like a nightly run reads a device photo and judged by the rules'
own :func:`claims.photos.find_reused_photos` against the original (recall, must be 100 %);
every original is judged against all the others (false reuse, must be 0).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from claims.evidence import photo_facts
from claims.photos import PhotoOfLine, find_reused_photos, photo_seen
from claims.programme import load_programme
from fixtures.device_photos import COPIES, LabelCase, photo_copy
from ocr.device_label import LabelReading, read_device_label


def _read(args: tuple[LabelCase, str | None]) -> LabelReading:
    case, how = args
    jpeg = case.jpeg()
    return read_device_label(jpeg if how is None else photo_copy(jpeg, how))


@dataclass(frozen=True)
class ReuseFigures:
    """What the reuse check found."""

    originals: int
    copies_found: dict[str, tuple[int, int]]  # how -> (found, copies)
    false_reuse: int  # originals judged a copy of another original
    missed: tuple[str, ...]  # 'case name (how)' of each copy not found
    taken: tuple[str, ...] = ()  # each original judged a copy of another, with the reason's detail


def measure_reuse(cases: tuple[LabelCase, ...], workers: int) -> ReuseFigures:
    """Read the originals and their copies (in ``workers`` processes) and judge them."""
    thresholds = load_programme().thresholds
    originals = [c for c in cases if c.kind == "label"]
    jobs = [(c, None) for c in originals] + [(c, how) for c in originals for how in COPIES]
    with ProcessPoolExecutor(workers) as pool:
        readings = dict(zip(jobs, pool.map(_read, jobs, chunksize=2), strict=True))

    def facts(case: LabelCase, how: str | None):
        name = f"{case.name}-{how or 'original'}.jpg"
        return photo_facts(name, "device_photo", 0, name, readings[(case, how)])

    found: dict[str, list[int]] = {how: [0, 0] for how in COPIES}
    missed = []
    for case in originals:
        earlier = [photo_seen("ORIGINAL", facts(case, None), 0)]
        for how in COPIES:
            hits = list(find_reused_photos([PhotoOfLine(0, facts(case, how))], earlier, thresholds))
            found[how][1] += 1
            found[how][0] += bool(hits)
            if not hits:
                missed.append(f"{case.name} ({how})")
    taken = []
    for i, case in enumerate(originals):
        others = [photo_seen(o.name, facts(o, None), 0) for j, o in enumerate(originals) if j != i]
        hits = list(find_reused_photos([PhotoOfLine(0, facts(case, None))], others, thresholds))
        taken += [f"{case.name}: {hits[0].detail}"] if hits else []
    return ReuseFigures(len(originals), {k: (v[0], v[1]) for k, v in found.items()}, len(taken), tuple(missed),
                        tuple(taken))


def reuse_report(figures: ReuseFigures) -> str:
    """The figures as text."""
    total = sum(f for f, _ in figures.copies_found.values()), sum(n for _, n in figures.copies_found.values())
    lines = [f"photo reuse: {figures.originals} originals, {total[1]} copies",
             f"  copies found as reused          {total[0]:>4} of {total[1]:<4} "
             f"({100 * total[0] / max(total[1], 1):5.1f} %)   target 100 %"]
    for how, (hit, n) in figures.copies_found.items():
        lines.append(f"    {how:<30}{hit:>4} of {n}")
    lines.append(f"  distinct photos taken for reused {figures.false_reuse:>3} of {figures.originals}   target 0")
    if figures.missed:
        lines.append("  missed: " + ", ".join(figures.missed))
    lines += [f"  taken for reused: {x}" for x in figures.taken]
    return "\n".join(lines)
