"""extract_invoice_fields on plain text (reading_from_text): six languages, OCR noise."""

from __future__ import annotations

import pytest

from ocr import extract_invoice_fields, reading_from_text
from ocr.codes import lenovo_mtm, lenovo_mtm_fuzzy
from ocr.dates import find_dates
from ocr.invoice import repair_legal_form

# Runs of 3+ spaces separate cells, as wide gaps do on a page.
SNIPPETS = {
    "de": """\
Musterhaus IT GmbH
Hauptstraße 12, 70173 Stuttgart

Rechnungsempfänger                    Rechnungs-Nr.:   RE-2025-0815
Stadtwerke Beispielstadt GmbH         Rechnungsdatum:  01.07.2025
Am Markt 1, 12345 Beispielstadt       Fällig am:       31.07.2025

Pos.   Artikelnummer   Bezeichnung        Seriennummer   Menge
1      11LN0004GE      ThinkSmart Core    PF3ABCDE       1
2      12C3000AGE      ThinkSmart Bar     PF4XYZ12       1
                                          Gesamtbetrag   2.598,00 EUR
""",
    "fr": """\
Informatique Dupont SARL
12 rue de la Paix, 75002 Paris

Facturé à :                           N° de facture :   FA-2025-00421
Mairie de Villeneuve                  Date de facture : 14 juillet 2025
1 place de la République, 47300

Référence     Désignation                     Qté   Prix
11LN0004FR    ThinkSmart Core                 1     1 299,00 €
              N° de série : PF3QRSTU
                                              Total TTC   1 558,80 €
""",
    "en": """\
Brightside Systems Ltd
4 King Street, Manchester M2 4LQ

Bill to:                              Invoice No.:    INV-77812
Northern Water plc                    Invoice date:   14 July 2025
1 Dock Road, Liverpool L3 4AA

Part No.      Description        Serial No.    Qty
11LN0004UK    ThinkSmart Core    PF3LMNOP      1
                                 Total due     £999.00
""",
    "it": """\
Rossi Informatica S.r.l.
Via Roma 10, 20121 Milano

Cliente                               Numero fattura   2025/1187
Comune di Bergamo                     Data fattura     3 giugno 2025
Piazza Matteotti 27, 24122 Bergamo

Codice articolo   Descrizione        Numero di serie   Q.tà
11LN0004IT        ThinkSmart Core    PF3GHJKL          1
                                     Totale fattura    € 1.462,78
""",
    "es": """\
Soluciones García S.L.
Calle Mayor 5, 28013 Madrid

Facturar a                            Nº de factura       F2025-0931
Ayuntamiento de Toledo                Fecha de factura    30 de septiembre de 2025
Plaza del Consistorio 1, 45071 Toledo

Referencia    Descripción        Número de serie   Cantidad
11LN0004SP    ThinkSmart Core    PF3WXYZA          1
                                 Total factura     1.450,79 €
""",
    "nl": """\
De Vries ICT B.V.
Keizersgracht 100, 1015 AA Amsterdam

Factuur aan                           Factuurnummer   2025-00345
Gemeente Utrecht                      Factuurdatum    02-05-2025
Stadsplateau 1, 3521 AZ Utrecht

Artikelnummer   Omschrijving       Serienummer   Aantal
11LN0004NL      ThinkSmart Core    PF3BCDFG      1
                                   Totaal incl. BTW   € 1.450,79
""",
}

EXPECTED = {
    "de": ("RE-2025-0815", "2025-07-01", "Musterhaus IT GmbH", "Stadtwerke Beispielstadt GmbH",
           ["11LN0004GE", "12C3000AGE"], ["PF3ABCDE", "PF4XYZ12"]),
    "fr": ("FA-2025-00421", "2025-07-14", "Informatique Dupont SARL", "Mairie de Villeneuve",
           ["11LN0004FR"], ["PF3QRSTU"]),
    "en": ("INV-77812", "2025-07-14", "Brightside Systems Ltd", "Northern Water plc",
           ["11LN0004UK"], ["PF3LMNOP"]),
    "it": ("2025/1187", "2025-06-03", "Rossi Informatica S.r.l.", "Comune di Bergamo",
           ["11LN0004IT"], ["PF3GHJKL"]),
    "es": ("F2025-0931", "2025-09-30", "Soluciones García S.L.", "Ayuntamiento de Toledo",
           ["11LN0004SP"], ["PF3WXYZA"]),
    "nl": ("2025-00345", "2025-05-02", "De Vries ICT B.V.", "Gemeente Utrecht",
           ["11LN0004NL"], ["PF3BCDFG"]),
}


def _values(fields):
    return (
        fields.number and fields.number.value,
        fields.date and fields.date.value,
        fields.seller and fields.seller.value,
        fields.buyer and fields.buyer.value,
        [p.value for p in fields.part_numbers],
        [s.value for s in fields.serials],
    )


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_every_field_in_every_language(language):
    fields = extract_invoice_fields(reading_from_text(SNIPPETS[language]), [language])
    assert _values(fields) == EXPECTED[language]
    assert fields.number.confidence == 100.0


def test_confidence_is_that_of_the_words_read():
    fields = extract_invoice_fields(reading_from_text(SNIPPETS["de"], confidence=61.5))
    assert fields.number.confidence == 61.5
    assert all(p.confidence == 61.5 for p in fields.part_numbers)


def test_ocr_noise_in_labels_and_codes_is_tolerated():
    noisy = """\
Musterhaus IT GmhH

Rechnungsempfanger                    Rechnungsnumrner:   RE-2025-0815
Stadtwerke Beispielstadt GmbH         Rechnungsdatum:     0l.07.2O25

Artikelnummer   Bezeichnung        Seriennumrner
11LNO004GE      ThinkSmart Core    PF3ABCDE
I2C3OOOAGE      ThinkSmart Bar     PF4XYZ12
"""
    number, date, seller, buyer, parts, serials = _values(
        extract_invoice_fields(reading_from_text(noisy)))
    assert (number, date, buyer) == ("RE-2025-0815", "2025-07-01", "Stadtwerke Beispielstadt GmbH")
    assert seller == "Musterhaus IT GmbH"
    assert parts == ["11LN0004GE", "12C3000AGE"]
    assert serials == ["PF3ABCDE", "PF4XYZ12"]


def test_label_and_value_in_one_word_and_value_under_label():
    text = """\
ACME Konferenztechnik GmbH

Rechnungsnummer:RE-77        Kunde
                             Brauerei Hofmann KG
Rechnungsdatum   Fällig am
01.07.2025       31.07.2025
"""
    fields = extract_invoice_fields(reading_from_text(text))
    assert fields.number.value == "RE-77"
    assert fields.date.value == "2025-07-01"  # not the due date
    assert fields.buyer.value == "Brauerei Hofmann KG"


def test_title_number_and_unlabelled_date_fallbacks():
    text = """\
Konferenz Profis GmbH
Invoice INV-2025-4711
Vienna, 12 March 2025        Due date: 11 April 2025
"""
    fields = extract_invoice_fields(reading_from_text(text))
    assert fields.number.value == "INV-2025-4711"
    assert fields.date.value == "2025-03-12"


def test_nothing_found_is_none_and_empty():
    fields = extract_invoice_fields(reading_from_text("Lorem ipsum dolor sit amet"))
    assert _values(fields) == (None, None, None, None, [], [])


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("01.07.2025", "2025-07-01"), ("14/07/2025", "2025-07-14"), ("14-07-2025", "2025-07-14"),
        ("2025-07-14", "2025-07-14"), ("14 July 2025", "2025-07-14"),
        ("14 juillet 2025", "2025-07-14"), ("14. Juli 2025", "2025-07-14"),
        ("14 luglio 2025", "2025-07-14"), ("14 de julio de 2025", "2025-07-14"),
        ("14 juli 2025", "2025-07-14"), ("1er mai 2025", "2025-05-01"),
        ("July 14, 2025", "2025-07-14"), ("07/14/2025", "2025-07-14"),
        ("0l.07.2O25", "2025-07-01"), ("14 Julli 2025", "2025-07-14"),
    ],
)
def test_dates(text, iso):
    assert [d.date.isoformat() for d in find_dates(text)] == [iso]


@pytest.mark.parametrize("text", ["Tel. +49 711 697 2031", "RE-2025-0815", "IBAN DE89 3704 0044"])
def test_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("token", "code"),
    [("11LN0004GE", "11LN0004GE"), ("11LNO004GE", "11LN0004GE"), ("I2C3OOOAGE", "12C3000AGE"),
     ("11LN0004G3", None), ("SOLUCIONES", None), ("DE811234567", None)],
)
def test_lenovo_codes(token, code):
    assert lenovo_mtm(token) == code


def test_lenovo_code_with_a_doubled_zero():
    assert lenovo_mtm_fuzzy("11LNO0004GE") == "11LN0004GE"


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("Northern Water pic", "Northern Water plc"), ("Musterhaus IT GmhH", "Musterhaus IT GmbH"),
     ("Stadtwerke GmbH", "Stadtwerke GmbH"), ("Gemeente Utrecht", "Gemeente Utrecht")],
)
def test_legal_form_repair(name, fixed):
    assert repair_legal_form(name) == fixed
