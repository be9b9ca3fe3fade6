"""Vendors' serial shapes: where a serial must hold a digit, a letter or one fixed character.

A serial read from text keeps the recogniser's look-alike slips (O/0, I/1, S/5, B/8, Z/2,
G/6) wherever its glyphs could not settle them. Many vendors build serials to a fixed
shape: Cisco's plant code, year and week ('FOC' '1943' 'HP68'), Crestron's year and week,
three letters and five digits. Where the label's brand has such a shape and the serial has
its length, a look-alike that the shape rules out at its position is its twin: an O among
Crestron's last five digits is a zero. Nothing else changes, and what changed is said.

A shape is a string, one symbol per character: ``#`` a digit, ``@`` a letter, ``%`` a
hexadecimal digit, ``*`` any letter or digit, anything else that very character.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_CLASSES = {
    "#": frozenset("0123456789"),
    "@": frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "%": frozenset("0123456789ABCDEF"),
    "*": frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
}
TWINS = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B",
         "Z": "2", "2": "Z", "G": "6", "6": "G"}

# As these vendors print them on their devices' labels (brand as in ocr.device_label.KNOWN_BRANDS).
VENDOR_SHAPES: dict[str, tuple[str, ...]] = {
    "Cisco": ("@@@####****",),
    "Logitech": ("####LZ******",),
    "Crestron": ("####@@@#####",),
    "Yealink": ("8030##%%%%%%%%",),
    "Neat": ("NB####******",),
    "Huddly": ("A###*******",),
    "Poly": ("8L**********",),
    "Jabra": ("%%%%********",),
    "Epson": ("X***######*",),
    "Lenovo": ("PF******",),
}


def _fits(c: str, symbol: str) -> bool:
    allowed = _CLASSES.get(symbol)
    return c in allowed if allowed is not None else c == symbol


def _conformed(value: str, shape: str) -> tuple[str, tuple[int, ...]] | None:
    """The value with the look-alikes the shape rules out turned into their twins, and their
    positions; None when the shape rules out a character that has no fitting twin."""
    chars, changed = list(value), []
    for i, (c, symbol) in enumerate(zip(value, shape, strict=True)):
        if _fits(c, symbol):
            continue
        twin = TWINS.get(c)
        if twin is None or not _fits(twin, symbol):
            return None
        chars[i] = twin
        changed.append(i)
    return "".join(chars), tuple(changed)


def conform(value: str, brand: str | None,
            shapes: Mapping[str, Sequence[str]] = VENDOR_SHAPES) -> tuple[str, tuple[int, ...]]:
    """The serial turned to its brand's shape (the shape of its length needing the fewest
    changes), and the positions changed (0-based); unchanged when no shape fits."""
    best: tuple[str, tuple[int, ...]] | None = None
    for shape in shapes.get(brand or "", ()):
        if len(shape) != len(value):
            continue
        done = _conformed(value, shape)
        if done is not None and (best is None or len(done[1]) < len(best[1])):
            best = done
    return best if best is not None else (value, ())
