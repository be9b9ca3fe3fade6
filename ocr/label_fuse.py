"""Codes and text serials fused into serial evidence, best first (stage 8 of
:mod:`ocr.device_label`, :func:`fuse`); a text serial conformed to its brand's serial shape
(:func:`shaped`); the reading's quality (:func:`grade`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ocr import barcodes
from ocr.bar_blocks import BARS_AVERAGED
from ocr.barcodes import Symbol
from ocr.label_text import TextSerial, role_in_text
from ocr.label_types import LabelSettings, SerialEvidence
from ocr.label_vocabulary import MAC, canonical, confusable_equal
from ocr.serial_shapes import conform, fitted, has_shape, one_read_twice
from ocr.types import Word


@dataclass
class _Candidate:
    value: str
    source: str
    confidence: float
    detail: str
    agrees: bool = False  # a code and the label text read the same value
    explicit: bool = False  # the code's payload names it the serial
    carriers: int = 1  # symbols carrying the value
    doubtful: bool = False
    fits: bool = True  # text: as many glyphs as characters
    seconded: bool = False  # text: of two readings that differ, the one a third repeats
    verified: bool = False  # text: every glyph checked, none contradicting the reading
    cuts: int = 0  # text: glyphs cut from touching blobs to fit the reading
    faint: bool = False  # text: read below text_min_confidence (kept only for its label and glyphs)
    recovered: bool = False  # code: decoded only from its bars averaged (blurs undone)
    shaped: bool = False  # its value has the label brand's serial shape (text: once conformed, its glyphs counted)

    def rank(self) -> tuple:
        return (self.agrees, self.explicit, not self.doubtful, self.carriers, self.shaped, self.source != "text",
                not self.faint, self.fits, -self.cuts, self.seconded, self.verified, self.confidence)

    @property
    def name(self) -> str:
        return self.detail.split(",")[0]


def _codes(symbols: Sequence[Symbol], words: Sequence[Word], findings: list[str]) -> list[_Candidate]:
    """One candidate per value the codes carry; codes that are something else are findings."""
    codes: list[_Candidate] = []
    for s in symbols:
        if s.is_product_number:
            findings.append(f"{s.name} {s.text} is a product number (GTIN), not a serial")
            continue
        payload = barcodes.serial_in_payload(s.text)
        if payload.serial is None:
            findings.append(f"{s.name} carries no serial ({s.text[:60]!r})")
            continue
        value = canonical(payload.serial)
        role = None if payload.explicit else role_in_text(value, words)
        if role:
            findings.append(f"{s.name} {value} is the {role}, not the serial")
            continue
        for c in codes:
            if c.value == value:
                c.detail = f"{c.name} and {s.name}{c.detail[len(c.name):]}"
                c.explicit |= payload.explicit
                c.carriers += 1
                c.recovered &= s.attempt.startswith(BARS_AVERAGED)
                break
        else:
            how = "" if payload.how == "value" else f", {payload.how}"
            if s.attempt.startswith(BARS_AVERAGED):
                how += f", {s.attempt}"
            codes.append(_Candidate(value, "qr" if s.kind == "qr" else "barcode", 100.0,
                                    f"{s.name}{how}", explicit=payload.explicit,
                                    recovered=s.attempt.startswith(BARS_AVERAGED)))
    return codes


def _texts(texts: Sequence[TextSerial], settings: LabelSettings) -> list[_Candidate]:
    """One candidate per value read from the text, its best reading. A faint reading
    (tesseract's confidence below text_min_confidence: blur, a mark glued to the word) counts
    only after its serial label and with its glyphs counted."""
    best: dict[str, TextSerial] = {}
    for t in texts:
        key = canonical(t.value)
        if key not in best or (not t.doubtful, t.confidence) > (not best[key].doubtful, best[key].confidence):
            best[key] = t
    out = []
    for key, t in best.items():
        if t.confidence < settings.text_min_confidence and not (t.label and t.counted):
            continue  # faint, unless read after its serial label with as many glyphs as characters
        detail = (f"text after '{t.label.strip()}' (conf {t.confidence:.0f})" if t.label
                  else f"text shaped like a serial, its label not read (conf {t.confidence:.0f})")
        if t.notes:
            detail += "; " + "; ".join(t.notes)
        out.append(_Candidate(key, "text", round(t.confidence, 1), detail, doubtful=t.doubtful, fits=t.fits,
                              seconded=t.seconded, verified=t.verified, cuts=t.cuts,
                              faint=t.confidence < settings.text_min_confidence))
    return out


def _agree(code: _Candidate, text: _Candidate, settings: LabelSettings) -> str | None:
    """How a code's value and a text reading agree: None when they do not."""
    if code.value == text.value:
        return "agrees with the label text"
    if confusable_equal(code.value, text.value, len(code.value)):
        # a decoded code is exact: any O/0, I/1, S/5, B/8, Z/2 between them is the OCR's
        return f"agrees with the label text (read {text.value})"
    if len(text.value) >= 6 and text.doubtful and (code.value.startswith(text.value)
                                                   or code.value.endswith(text.value)):
        return f"agrees with the part of the label text read ({text.value})"
    return None


def fuse(symbols: Sequence[Symbol], texts: Sequence[TextSerial], words: Sequence[Word],
         settings: LabelSettings, brand: str | None = None) -> tuple[tuple[SerialEvidence, ...], list[str]]:
    """Serial evidence from the codes and the label text, best first, and the findings.

    A code agreeing with the text is certain; a code whose payload names the serial, or the
    only value the codes carry, is certain unless a text read without doubt contradicts it;
    codes carrying different values are in doubt (the value more of them carry first, then
    the one shaped like the brand's serials: the other is a part number). MAC addresses among
    several codes are dropped. Text alone keeps its own doubt; of text readings alike in doubt, one
    that has the brand's serial shape (once conformed to it) with as many glyphs as characters
    comes before the others.
    """
    findings: list[str] = []
    codes = _codes(symbols, words, findings)
    for c in codes:
        c.shaped = has_shape(c.value, brand, settings.serial_shapes)
    text_cands = _texts(texts, settings)
    for c in text_cands:  # a reading its glyphs do not bear out is no evidence of the shape
        c.shaped = c.fits and has_shape(fitted(c.value, brand, settings.serial_shapes), brand, settings.serial_shapes)
    for c in codes:
        for t in text_cands:
            if how := _agree(c, t, settings):
                c.agrees = t.agrees = True
                c.detail += f", {how}"
                break
    for c in [c for c in codes if not c.explicit and not c.agrees and MAC.match(c.value)]:
        if len(codes) + len(text_cands) > 1:
            findings.append(f"{c.name} {c.value} looks like a MAC address, not the serial")
            codes.remove(c)
    for c in codes:
        if c.recovered and not c.agrees:
            # many blurs undone, each decoded: a checksum now and then passes on a misread
            c.doubtful = True
            findings.append(f"{c.name} {c.value} was read only from its bars averaged, and no label text"
                            f" confirms it")
    sure_texts = [t for t in text_cands if not t.agrees and not t.doubtful]
    lead = [c for c in codes if c.agrees] or [c for c in codes if c.explicit]
    if lead:
        for c in codes:
            if c not in lead:
                c.doubtful = True
                findings.append(f"{c.name} also carries {c.value}")
    elif len({c.value for c in codes}) > 1:
        codes.sort(key=lambda c: c.carriers, reverse=True)
        if codes[0].carriers == codes[1].carriers:
            codes[0].doubtful = True
        for c in codes[1:]:
            c.doubtful = True
        findings.append("codes carry different values: " + ", ".join(c.value for c in codes))
    for c in codes:
        if not c.agrees:
            for t in sure_texts:
                findings.append(f"{c.name} {c.value} disagrees with label text {t.value}")
                c.doubtful = True
    if len({c.value for c in codes if c.agrees}) > 1:
        findings.append("the label text names several serials")
    cands = codes + [t for t in text_cands if not t.agrees]
    cands.sort(key=lambda c: c.rank(), reverse=True)
    return tuple(SerialEvidence(c.value, c.source, c.confidence, c.detail, c.doubtful) for c in cands), findings


def shaped(evidence: SerialEvidence, brand: str | None, settings: LabelSettings,
           told: bool = False) -> SerialEvidence:
    """A text serial with the look-alikes its brand's serial shape rules out turned into
    their twins ('2243PVJ3O660' on a Crestron label: 2243PVJ30660), or one symbol too long
    with one glyph read twice ('1924ZJJY08347': 1924ZJY08347), in doubt. ``told``: the brand
    was not read on the label but told by the serials' shape."""
    if evidence.source != "text":
        return evidence
    whose = f"{brand}'s serial shape" + (" (the brand told by the serial's shape)" if told else "")
    shortened = one_read_twice(evidence.value, brand, settings.serial_shapes)
    if shortened is not None:
        value, at = shortened
        return replace(evidence, value=value, doubtful=True,
                       detail=f"{evidence.detail}; {evidence.value[at]!r} at position {at + 1} is one glyph "
                              f"read twice ({whose} is one symbol shorter)")
    value, changed = conform(evidence.value, brand, settings.serial_shapes)
    if not changed:
        return evidence
    where = ", ".join(f"position {i + 1}: {evidence.value[i]!r} is {value[i]!r}" for i in changed)
    return replace(evidence, value=value, doubtful=True,
                   detail=f"{evidence.detail}; {where} by {whose}")


def grade(serials: Sequence[SerialEvidence], words: Sequence[Word], findings: Sequence[str]) -> str:
    """The reading's quality: 'ok'; 'poor' when its best serial is in doubt, a finding tells
    of a disagreement, or no serial was read among legible words; 'illegible' when no
    serial was read and fewer than five words are legible."""
    if not serials:
        return "illegible" if sum(len(w.text) > 2 and w.confidence > 60 for w in words) < 5 else "poor"
    best = serials[0]
    if best.doubtful or any("disagree" in f or "differ" in f for f in findings):
        return "poor"
    return "ok"
