"""The words of device labels: how labels announce their serial and other values, the known
brands, the characters OCR confuses on serials, and what a serial looks like (:func:`fold`,
:func:`canonical`, :func:`confusable_equal`, :func:`is_serial`)."""

from __future__ import annotations

import re
import unicodedata

from ocr.codes import OPENING_BRACKETS
from ocr.label_types import LabelSettings

# How labels announce the serial, folded (lower case, no accents, punctuation -> spaces).
SERIAL_LABELS = (
    "s n", "sn", "s no", "n s", "sin", "s1n", "5 n", "serial", "serial no", "serial nr",
    "serial number", "serial num", "ser no", "ser nr", "serien no", "seriennr", "seriennummer",
    "serie", "no de serie", "numero de serie", "no serie", "no di serie", "numero di serie",
    "matricola", "serienummer", "serienr", "serial n",
)
# Labels of other codes on a device label: their values are not serials.
OTHER_LABELS = {
    "mac": "MAC address", "mac address": "MAC address", "mac adresse": "MAC address",
    "ethernet mac": "MAC address", "wifi mac": "MAC address", "wlan mac": "MAC address",
    "p n": "part number", "pn": "part number", "part no": "part number", "part number": "part number",
    "part": "part number", "art no": "part number", "mtm": "part number", "sku": "part number",
    "model": "model", "model no": "model", "modell": "model", "modele": "model", "modello": "model",
    "modelo": "model", "m n": "model", "type": "model", "typ": "model", "pid": "product id",
    "vid": "version id", "ean": "EAN", "upc": "UPC", "gtin": "GTIN", "imei": "IMEI",
    "fcc id": "FCC id", "ic": "IC id", "cmiit id": "CMIIT id", "hw": "hardware version",
    "fw": "firmware version", "rev": "revision", "mfg date": "manufacturing date",
    "date": "date", "input": "rating", "rating": "rating", "mfg": "manufacturing date",
}
MODEL_LABELS = ("model", "model no", "modell", "modele", "modello", "modelo", "m n", "pid", "type no")
# Meeting-room and AV vendors whose devices are traded in (brand as printed).
KNOWN_BRANDS = (
    "Logitech", "Poly", "Polycom", "Plantronics", "Cisco", "Yealink", "Jabra", "Neat", "Huddly",
    "Crestron", "Epson", "Lenovo", "Microsoft", "Dell", "HP", "Samsung", "LG", "Sony", "Barco",
    "Owl Labs", "AVer", "Bose", "Shure", "Sennheiser", "ClearOne", "Kandao", "Maxhub", "BenQ",
    "Panasonic", "Extron", "Vaddio", "Lifesize", "Avaya", "Sharp", "NEC", "Philips", "Optoma",
    "ViewSonic", "Dahua", "Hikvision", "Zoom", "Google", "Asus", "Acer", "Intel", "Mersive",
)
# Characters OCR confuses on serials, as classes folded to one representative.
CONFUSIONS = {"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}
CONFUSION_PAIRS = "O/0, I/1, S/5, B/8, Z/2"
FOLD_CONFUSIONS = str.maketrans(CONFUSIONS)  # each confusable character to its class's representative
EDGE = ":;,.#*()[]{}\"'“”„‘’|·•-–—_=/\\"  # marks stripped off a word's ends
_INNER_CLOSING = re.compile(r"(?<=[A-Za-z0-9])[)\]}](?=[A-Za-z0-9])")
# Signs tesseract reads for letters in small or blurred print ('XPSH421259¢', 'PFXIM66!'); in a
# serial they are the letters (a word holding one is read in doubt: label_text._serial_or_garbled).
SIGN_LETTERS = str.maketrans({"¢": "C", "©": "C", "$": "S", "§": "S", "€": "E", "£": "E", "!": "I"})
MAC = re.compile(r"^(?:[0-9A-F]{2}[:\-]?){5}[0-9A-F]{2}$")  # a MAC address, with or without separators


def fold(text: str) -> str:
    """Fold label text for matching: lower case, no accents, 'N°/Nº' -> 'no', punctuation to
    spaces, single spaces."""
    t = unicodedata.normalize("NFKD", text.replace("°", "o ").replace("º", "o "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[^\w\s]|_", " ", t)
    return " ".join(t.split())


def canonical(serial: str) -> str:
    """A serial as compared: upper case, without spaces and separators."""
    return re.sub(r"[\s\-./:]", "", serial).upper()


def confusable_equal(a: str, b: str, max_confusions: int) -> bool:
    """Equal up to at most max_confusions OCR-confusable characters (O/0, I/1, S/5, B/8, Z/2)."""
    a, b = canonical(a), canonical(b)
    if len(a) != len(b) or a.translate(FOLD_CONFUSIONS) != b.translate(FOLD_CONFUSIONS):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= max_confusions


def is_serial(token: str, settings: LabelSettings) -> str | None:
    """The token as a serial (upper case), or None when it is not shaped like one.

    A closing bracket glued to its end, or standing between its characters, with no
    opening one is the letter J, which tesseract reads so ('XV40728488)' for XV40728488J,
    'NB9S63TWCD)X' for NB9S63TWCDJX). Signs that are letters in small or blurred print
    ('¢' for C, '$' for S, SIGN_LETTERS) are read as those letters."""
    token = token.translate(SIGN_LETTERS)
    t = token.strip(EDGE)
    rest = token[token.find(t) + len(t):] if t else ""
    if t and rest[:1] in OPENING_BRACKETS and OPENING_BRACKETS[rest[0]] not in token:
        t += "J"
    if not any(c in token for c in OPENING_BRACKETS.values()):
        t = _INNER_CLOSING.sub("J", t)
    if not settings.serial_min_len <= len(t) <= settings.serial_max_len:
        return None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]", t):
        return None
    t = t.replace("l", "I")  # sans-serif I and l are one glyph; tesseract picks either
    letters = [c for c in t if c.isalpha()]
    digits = sum(c.isdigit() for c in t)
    if digits < 3 and sum(c.islower() for c in letters) > len(letters) // 4:
        return None  # a word, not a serial (one lower-case OCR slip is tolerated; among
        # three digits or more, lower case is OCR's slip: 'xj5O463270Y')
    if digits == 0 and len(t) < 8:
        return None
    return t.upper()
