"""Vendors' serial shapes: where a serial must hold a digit, a letter or one fixed character.

A serial read from text keeps the recogniser's look-alike slips (O/0, I/1, S/5, B/8, Z/2,
G/6, and Q or D for 0) wherever its glyphs could not settle them. Many vendors build serials
to a fixed shape: Cisco's plant code, year and week ('FOC' '1943' 'HP68'), Crestron's year and week,
three letters and five digits. Where the label's brand has such a shape and the serial has
its length, a look-alike that the shape rules out at its position is its twin: an O among
Crestron's last five digits is a zero, an S where Poly prints its leading 8 is that 8. A
serial read one character longer than every shape of its brand, where one glyph was read as
two ('1924ZJJY08347' for 1924ZJY08347, 'BSLT4...' for 8LT4...: a doubled symbol or a
look-alike pair), loses the one symbol whose removal makes it fit, when exactly one does.
Nothing else changes, and what changed is said.

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
         "Z": "2", "2": "Z", "G": "6", "6": "G",
         "Q": "0", "D": "0"}  # a zero's slash, dot or blur read as a Q's tail or a D's flat side

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
# Pairs of symbols the recogniser emits both of for one glyph, besides a doubled symbol and a
# look-alike with its twin: an 8 read as 'BS', a D as 'D0', a J as 'JI'.
READ_TWICE = frozenset({frozenset("BS"), frozenset("S8"), frozenset("D0"), frozenset("DO"), frozenset("IJ"),
                        frozenset("IL"), frozenset("E6"), frozenset("Q0")})
# ... of which these name the glyph they were read from: it stays ('NB9773F8UWD05': a D's
# flat side cut off and read as a zero gives NB9773F8UWD5, not NB9773F8UW05)
READ_TWICE_GLYPH = {frozenset("D0"): "D", frozenset("DO"): "D", frozenset("IJ"): "J"}


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
        if symbol not in _CLASSES and frozenset((c, symbol)) in READ_TWICE:
            twin = symbol  # a fixed character read as its look-alike: Poly's leading 8 as 'S'
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


def _read_twice(a: str, b: str) -> bool:
    """Whether two neighbouring symbols may be one glyph read twice."""
    return a == b or TWINS.get(a) == b or frozenset((a, b)) in READ_TWICE


def one_read_twice(value: str, brand: str | None,
                   shapes: Mapping[str, Sequence[str]] = VENDOR_SHAPES) -> tuple[str, int] | None:
    """A serial one symbol longer than its brand's shapes, with the one symbol of a pair read
    from one glyph whose removal makes it fit a shape (as conform turns it): the serial and the
    removed symbol's position; None when no removal or more than one distinct result fits."""
    lengths = {len(shape) for shape in shapes.get(brand or "", ())}
    if len(value) - 1 not in lengths or len(value) in lengths:
        return None
    found: dict[str, int] = {}
    for i in range(len(value) - 1):
        if not _read_twice(value[i], value[i + 1]):
            continue
        kept = READ_TWICE_GLYPH.get(frozenset(value[i:i + 2]))
        for j in (i, i + 1):
            if value[j] == kept:
                continue
            shorter = value[:j] + value[j + 1:]
            fitted, _ = conform(shorter, brand, shapes)
            if has_shape(fitted, brand, shapes):
                found.setdefault(fitted, j)
    return next(iter(found.items())) if len(found) == 1 else None


def has_shape(value: str, brand: str | None, shapes: Mapping[str, Sequence[str]] = VENDOR_SHAPES) -> bool:
    """Whether value has one of its brand's serial shapes exactly (no look-alike turned)."""
    return any(len(shape) == len(value) and _conformed(value, shape) == (value, ())
               for shape in shapes.get(brand or "", ()))


def fitted(value: str, brand: str | None, shapes: Mapping[str, Sequence[str]] = VENDOR_SHAPES) -> str:
    """The serial as its brand's shape would have it: one symbol read twice removed
    (one_read_twice), else its look-alikes conformed; unchanged when neither applies."""
    shortened = one_read_twice(value, brand, shapes)
    return shortened[0] if shortened is not None else conform(value, brand, shapes)[0]


def brand_by_shape(values: Sequence[str], shapes: Mapping[str, Sequence[str]] = VENDOR_SHAPES) -> str | None:
    """The one brand whose serial shape the values can have (as fitted to it), for a label
    whose brand was not read; None when no brand or more than one fits."""
    fitting = {brand for brand in shapes
               if any(has_shape(fitted(value, brand, shapes), brand, shapes) for value in values)}
    return fitting.pop() if len(fitting) == 1 else None
