"""extract_invoice_fields on plain text (reading_from_text): six languages, OCR noise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ocr import DocumentReading, PageReading, Quality, Word, extract_invoice_fields, layout, reading_from_text
from ocr.codes import (
    LENOVO_MTM,
    code_like,
    column_code,
    fit_shape_doubled,
    fit_shape_fuzzy,
    lenovo_mtm,
    lenovo_mtm_fuzzy,
    read_part,
    read_serial,
)
from ocr.dates import find_dates
from ocr.invoice import FieldReading, repair_legal_form
from ocr.parties import choose_seller, letterhead_seller, name_lines, repair_name

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


def test_lenovo_code_with_a_doubled_or_a_dropped_zero():
    assert lenovo_mtm_fuzzy("11LNO0004GE") == "11LN0004GE"
    assert lenovo_mtm_fuzzy("11YL009FR") == "11YL0009FR"
    assert lenovo_mtm_fuzzy("12BH0000008MH") == "12BH0008MH"  # a run of zeros read three too long
    assert lenovo_mtm_fuzzy("12BH000000008MH") is None  # too many to trust


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("Northern Water pic", "Northern Water plc"), ("Musterhaus IT GmhH", "Musterhaus IT GmbH"),
     ("Stadtwerke GmbH", "Stadtwerke GmbH"), ("Gemeente Utrecht", "Gemeente Utrecht")],
)
def test_legal_form_repair(name, fixed):
    assert repair_legal_form(name) == fixed


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("Klinikum Falkenau 1061 Gm bH", "Klinikum Falkenau 1061 GmbH"),  # a glyph gap read as a space
     ("Autohaus Aurora 1200 A G", "Autohaus Aurora 1200 AG"), ("Officine 1026 S.p. A.", "Officine 1026 S.p.A."),
     ("Ingenieurbiiro Norberg AG", "Ingenieurbüro Norberg AG"),  # a u-umlaut read as 'ii'
     ("Asesoría Griinwald S.A.", "Asesoría Grünwald S.A."),
     ("Alpine Skiing Ltd", "Alpine Skiing Ltd"), ("Hawaii Tours Ltd", "Hawaii Tours Ltd"),
     ("Meyer & Co KG", "Meyer & Co KG"), ("Studio A B", "Studio A B")],
)
def test_name_repair(name, fixed):
    assert repair_name(name) == fixed


# --------------------------------------------------------------------------- line items


def _items(fields):
    return [(i.part_number and i.part_number.value, i.description, i.quantity,
             [s.value for s in i.serials]) for i in fields.line_items]


def test_line_items_are_read_by_columns_and_rows():
    fields = extract_invoice_fields(reading_from_text(SNIPPETS["de"]), ["de"])
    assert _items(fields) == [("11LN0004GE", "ThinkSmart Core", 1, ["PF3ABCDE"]),
                              ("12C3000AGE", "ThinkSmart Bar", 1, ["PF4XYZ12"])]
    fields = extract_invoice_fields(reading_from_text(SNIPPETS["fr"]), ["fr"])
    assert _items(fields) == [("11LN0004FR", "ThinkSmart Core", 1, ["PF3QRSTU"])]


def test_several_serials_per_line_accessories_and_services():
    text = """\
Pos.   Art.-Nr.      Bezeichnung                 Seriennummer   Menge   Betrag
1      11LN0004GE    ThinkSmart Core             PF3ABCDE,      2       2.598,00
                     Konferenzraumsystem         PF3ABCDF
2      4XF1M24211    Wandhalterung               –              1       89,00
3      DL-INST-01    Installation vor Ort        –              1       350,00
                                                 Nettobetrag            3.037,00
"""
    fields = extract_invoice_fields(reading_from_text(text), ["de"])
    assert _items(fields) == [
        ("11LN0004GE", "ThinkSmart Core Konferenzraumsystem", 2, ["PF3ABCDE", "PF3ABCDF"]),
        ("4XF1M24211", "Wandhalterung", 1, []),
        ("DL-INST-01", "Installation vor Ort", 1, []),
    ]
    assert [p.value for p in fields.part_numbers] == ["11LN0004GE", "4XF1M24211", "DL-INST-01"]
    assert [s.value for s in fields.serials] == ["PF3ABCDE", "PF3ABCDF"]


def test_table_without_a_readable_header_and_serials_under_the_description():
    text = """\
11LN0004GE    ThinkSmart Core                  2     1.299,00    2.598,00
              S/N: PF3ABCDE, PF3ABCDF
SVC-INSTALL   On-site installation             1       295,00      295,00
                                         Subtotal                 2.893,00
"""
    fields = extract_invoice_fields(reading_from_text(text), ["en"])
    assert _items(fields) == [
        ("11LN0004GE", "ThinkSmart Core", 2, ["PF3ABCDE", "PF3ABCDF"]),
        ("SVC-INSTALL", "On-site installation", 1, []),
    ]


def test_spanish_sin_numero_is_no_serial_label():
    text = "Plaza de España s/n, 11006 Cádiz\n"
    assert extract_invoice_fields(reading_from_text(text), ["es"]).serials == ()


def test_a_value_carries_the_words_it_was_read_from():
    fields = extract_invoice_fields(reading_from_text(SNIPPETS["de"]), ["de"])
    assert [w.text for w in fields.number.words] == ["RE-2025-0815"]
    assert [w.text for w in fields.buyer.words] == ["Stadtwerke", "Beispielstadt", "GmbH"]
    assert [w.text for w in fields.part_numbers[0].words] == ["11LN0004GE"]


def test_number_with_a_series_printed_apart():
    text = "Fattura n.   FPR 3940/25\n"
    assert extract_invoice_fields(reading_from_text(text), ["it"]).number.value == "FPR 3940/25"


# --------------------------------------------------------------------------- VAT ids

VAT_SNIPPET = """\
Musterhaus IT GmbH
Hauptstr. 5, 70173 Stuttgart
USt-IdNr.: {seller}

Rechnungsempfänger                    Rechnungs-Nr.:   RE-2025-0815
Stadtwerke Beispielstadt GmbH         Rechnungsdatum:  01.07.2025
Am Wasserturm 12, 71034 Böblingen
{buyer_label}: {buyer}
"""


def _vat_fields(seller, buyer, buyer_label="USt-IdNr."):
    text = VAT_SNIPPET.format(seller=seller, buyer=buyer, buyer_label=buyer_label)
    return extract_invoice_fields(reading_from_text(text), ["de"])


def test_seller_and_buyer_vat_ids_are_validated_and_compacted():
    fields = _vat_fields("DE136695976", "DE 281 507 630")
    assert (fields.seller_vat.value, fields.seller_vat.doubtful) == ("DE136695976", False)
    assert (fields.buyer_vat.value, fields.buyer_vat.doubtful) == ("DE281507630", False)


def test_the_buyer_vat_id_is_known_by_its_label_too():
    text = "USt-IdNr.: DE136695976\nIhre USt-IdNr.: DE281507630\n"
    fields = extract_invoice_fields(reading_from_text(text), ["de"])
    assert (fields.seller_vat.value, fields.buyer_vat.value) == ("DE136695976", "DE281507630")


def test_a_vat_id_failing_its_check_digits_is_doubtful():
    fields = _vat_fields("DE123456789", "DE281507630")
    assert (fields.seller_vat.value, fields.seller_vat.doubtful) == ("DE123456789", True)


def test_vat_ids_repaired_where_the_format_forces_digits_gb_and_unprefixed():
    fields = _vat_fields("DE13669S976", "GB 245 9870 22", "VAT No.")
    assert (fields.seller_vat.value, fields.seller_vat.doubtful) == ("DE136695976", False)
    assert fields.buyer_vat.value == "GB245987022"
    text = "P. IVA 01234560157\n"
    assert extract_invoice_fields(reading_from_text(text), ["it"]).seller_vat.value == (
        "IT01234560157")


def test_no_vat_id_is_none():
    fields = extract_invoice_fields(reading_from_text(SNIPPETS["en"]), ["en"])
    assert (fields.seller_vat, fields.buyer_vat) == (None, None)


# --------------------------------------------------------------------------- date order


def _date(text, languages=()):
    found = extract_invoice_fields(reading_from_text(text), languages).date
    return found.value, found.doubtful


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("Rechnungsdatum: 03.07.2025", ["de"], ("2025-07-03", False)),  # the locale settles
        ("Rechnungsdatum: 03.07.2025", ["deu", "eng"], ("2025-07-03", False)),
        ("Rechnungsdatum: 03.07.2025", [], ("2025-07-03", False)),  # German labels
        ("Date: 03/07/2025", [], ("2025-07-03", True)),  # no locale: day first, in doubt
        ("Invoice date: 03/07/2025", ["en"], ("2025-07-03", False)),  # GB
        ("Invoice date: 03/07/2025\nDue date: July 31, 2025", ["en"], ("2025-03-07", True)),
        ("Date: 03/07/2025\nDue date: 31/07/2025", [], ("2025-07-03", False)),  # the page
        ("Datum: 03/07/2025\nFällig am: 07/31/2025", ["de"], ("2025-03-07", False)),
        ("Date: 03/07/2025\nA: 14/07/2025\nB: 07/14/2025", ["fr"], ("2025-07-03", True)),
        ("Invoice date: July 4, 2025", [], ("2025-07-04", False)),  # a month name: no doubt
        ("Invoice date: 14/07/2025", [], ("2025-07-14", False)),  # only one reading
        ("Fecha: 13-sep-2025", ["es"], ("2025-09-13", False)),
    ],
)
def test_date_order_follows_page_then_locale_and_is_doubtful_when_open(text, languages, expected):
    assert _date(text, languages) == expected


# --------------------------------------------------------------------------- code shapes


def _word(text, confidence=100.0):
    return Word(text, confidence, 0, 0, 20 * len(text), 40, 0)


def test_model_letters_are_not_repaired_but_o_and_i_are():
    assert lenovo_mtm("12CU000BGE") == "12CU000BGE"  # B is a model letter, not an 8
    assert lenovo_mtm("12CUOOOBGE") == "12CU000BGE"  # Lenovo codes have no O
    assert lenovo_mtm("SOLUCIONES") is None  # a word in capitals is no code


def test_an_option_part_number_is_repaired_where_its_shape_forces_a_digit():
    assert read_part(_word("SWS0W86723")).value == "5WS0W86723"
    assert read_part(_word("4XF1M2421I")).value == "4XF1M24211"
    assert read_part(_word("SERV-INST")).value == "SERV-INST"  # no such shape: as printed
    assert read_part(_word("SCHULUNGEN")).value == "SCHULUNGEN"


def test_a_doubled_zero_is_an_uncertain_repair():
    fixed = fit_shape_fuzzy("11LNO0004GE", LENOVO_MTM)
    assert (fixed.value, fixed.certain) == ("11LN0004GE", False)
    assert read_part(_word("11LNO0004GE")).doubtful


def test_a_part_number_with_one_glyph_read_twice_loses_the_one_symbol_that_makes_it_fit():
    for read in ("5WWS0W86723", "5WSS0W86723"):
        part = read_part(_word(read))
        assert (part.value, part.doubtful) == ("5WS0W86723", True)
    assert fit_shape_doubled("12BHH0008GE", LENOVO_MTM) is None  # the H or a zero: which is unknown


@pytest.mark.parametrize(
    ("text", "lenovo", "confidence", "expected"),
    [
        ("P5ABCDE1", True, 100.0, ("PSABCDE1", False)),  # the shape forces the S
        ("P5ABCDE1", None, 100.0, ("PSABCDE1", True)),  # a guessed shape: in doubt
        ("PF3ABCDE", True, 95.0, ("PF3ABCDE", False)),
        ("PF0ABCDE", True, 95.0, ("PF0ABCDE", True)),  # OCR swaps O and 0 confidently
        ("PF0ABCDE", True, 100.0, ("PF0ABCDE", False)),  # a text layer guesses nothing
        ("PF3ABCDE", True, 60.0, ("PF3ABCDE", True)),  # read with low confidence
        ("PF3ABCD", True, 100.0, ("PF3ABCD", True)),  # a Lenovo serial has 8 characters
        ("2215LZ0A1B2C", False, 100.0, ("2215LZ0A1B2C", False)),  # another brand's
        ("PW3NDTH)J", True, 95.0, ("PW3NDTHJ", True)),  # a stray mark inside: dropped, in doubt
        ("PW3NDT)J", True, 95.0, None),  # a mark standing for a glyph: nothing fits
        ("—PW9RK8B4", True, 90.0, ("PW9RK8B4", False)),  # a dash before it is no part of it
        ("!PW9RK8B4", True, 90.0, None),  # nor a mark left in it by a repair ('!PW9RK84')
    ],
)
def test_serials_repaired_by_shape_and_flagged_when_in_doubt(text, lenovo, confidence, expected):
    serial = read_serial(_word(text, confidence), lenovo)
    assert (serial and (serial.value, serial.doubtful)) == expected


def test_quantity_read_as_a_letter_and_an_unlikely_serial_in_its_column():
    text = """\
Part No.      Description        Serial No.    Qty      Amount
11LN0004UK    ThinkSmart Core    PCOILITIP     l        £999.00
"""
    item = extract_invoice_fields(reading_from_text(text, confidence=90.0), ["en"]).line_items[0]
    assert item.quantity == 1
    assert [(s.value, s.doubtful) for s in item.serials] == [("PCOILITIP", True)]


def test_the_seller_is_the_name_most_readings_agree_on_in_its_best_spelling():
    letterhead, returned, footer = (FieldReading("ofi ina Integral Canarias S.L.", 96.0),
                                    FieldReading("Oficina Integral Canarias S.L.", 93.0),
                                    FieldReading("Oficina Integral Canarias S.L.", 95.0))
    assert choose_seller([letterhead, returned, footer], None) == footer
    shouted = FieldReading("THAMES VALLEY CONFERENCING LIMITED", 97.0)
    assert choose_seller([FieldReading("Description", 96.0), shouted], None) == shouted
    assert choose_seller([shouted, FieldReading("Thames Valley Conferencing Limited", 90.0)],
                         None).value == "Thames Valley Conferencing Limited"


def test_a_digit_in_a_name_stays_unless_it_is_a_doubtful_speck():
    text = "Kunde\nStadtwerke Aurora 1 GmbH\nMarktplatz 2, 10001 Berlin\n"
    assert extract_invoice_fields(reading_from_text(text), ["de"]).buyer.value == (
        "Stadtwerke Aurora 1 GmbH")
    speck = extract_invoice_fields(reading_from_text(text, confidence=40.0), ["de"]).buyer
    assert speck.value == "Stadtwerke Aurora GmbH"


def test_a_buyer_name_wrapped_onto_a_second_line_is_joined():
    text = ("Kunde\nSteuerkanzlei Castell 1026 GmbH & Co.\nKG\nMarktplatz 2, 10001 Berlin\n\n"
            "Facturé à\nCommunauté de Communes du Pays\nBasque\n15 avenue Foch, 64100 Bayonne\n")
    fields = extract_invoice_fields(reading_from_text(text.split("\n\n")[0]), ["de"])
    assert fields.buyer.value == "Steuerkanzlei Castell 1026 GmbH & Co. KG"
    fields = extract_invoice_fields(reading_from_text(text.split("\n\n")[1]), ["fr"])
    assert fields.buyer.value == "Communauté de Communes du Pays Basque"


@pytest.mark.parametrize("token", ["#£KAB-HDMI-05", "€KAB-HDMI-05", "KAB-HDMI-05£"])
def test_a_currency_sign_glued_to_a_code_is_noise(token):
    assert code_like(token) == column_code(token) == "KAB-HDMI-05"


def test_a_speck_read_as_a_word_neither_ends_the_table_nor_joins_two_items():
    text = """\
Product code   Description          Qty   Unit price   Net amount
5WS0W86723     Premier Support      1     236.00       236.00
11RU0001UK     ThinkSmart Bar       1     1,556.00     1,556.00
               S/N: PFXQD81Z
12BH0008UK     ThinkSmart C One     2     3,473.00     6,946.00
               S/N: PF8OIHMC, MPPYFDI7
"""
    reading = reading_from_text(text)
    page = reading.pages[0]
    bar = next(w for w in page.words if w.text == "11RU0001UK")
    speck = Word("bees", 30.0, bar.left + 700, bar.top - 5, 60, 2, bar.line)  # 2 px tall, a row of its own
    at = page.words.index(bar)
    words = (*page.words[:at], speck, *(replace(w, line=w.line + 1) for w in page.words[at:]))
    reading = replace(reading, pages=(replace(page, words=words),))
    fields = extract_invoice_fields(reading, ["en"])
    assert [(i.part_number.value, len(i.serials)) for i in fields.line_items] == [
        ("5WS0W86723", 0), ("11RU0001UK", 1), ("12BH0008UK", 2)]


def test_a_serial_list_goes_on_past_a_serial_read_without_digits():
    text = """\
11RU0001UK    ThinkSmart Bar                   3     2,354.00    7,062.00
              S/N: PCISJOY, MPI6VHLB, PCVBH78Y
"""
    fields = extract_invoice_fields(reading_from_text(text), ["en"])
    assert [s.value for s in fields.serials] == ["PCISJOY", "MPI6VHLB", "PCVBH78Y"]
    assert fields.serials[0].doubtful  # seven letters: not the shape of a Lenovo serial


def test_a_serial_ocr_split_at_a_narrow_glyph_is_joined_again():
    text = """\
Nr.   Art.nr.       Omschrijving                  Serienummer   Aantal   Totaal
1     11YL0009MH    Lenovo ThinkSmart View Plus   MPYPQYE7,     2        3.708,00
                                                  PWKY IKKP
"""
    fields = extract_invoice_fields(reading_from_text(text), ["nl"])
    assert [s.value for s in fields.serials] == ["MPYPQYE7", "PWKYIKKP"]


@pytest.mark.parametrize("label", ["Factura n.º", "Factura n.2", "Factura n.9", "Factura an.2"])
def test_the_number_labels_abbreviation_as_ocr_reads_it(label):
    text = f"{label}   F-2025-2796\nFecha   21 de mayo de 2025\n"
    fields = extract_invoice_fields(reading_from_text(text), ["es"])
    assert (fields.number.value, fields.date.value) == ("F-2025-2796", "2025-05-21")


@pytest.mark.parametrize(("line", "language", "number"), [
    ("Factura n.º   2025-FV -2964", "es", "2025-FV-2964"),
    ("Rechnungs-Nr.:   RE-2025/ 0815", "de", "RE-2025/0815"),
    ("Rechnungs-Nr.:   RE-2025-0815 - Kopie", "de", "RE-2025-0815"),
])
def test_a_number_ocr_split_at_a_separator_is_joined_but_a_lone_dash_ends_it(line, language, number):
    fields = extract_invoice_fields(reading_from_text(line + "\n"), [language])
    assert fields.number.value == number


@pytest.mark.parametrize(("line", "language", "number"), [
    ("Rechnungs-Nr.:   RE-2O25-2606", "de", "RE-2025-2606"),  # an O among a group's digits
    ("Invoice No.   SI-2025-3l84", "en", "SI-2025-3184"),  # an l among them
    ("Factura n.º   2025-FV-2964", "es", "2025-FV-2964"),  # a group of letters stays
    ("Facture n°   FO-2025-12", "fr", "FO-2025-12"),
])
def test_an_o_or_i_read_among_the_digits_of_an_invoice_number_s_group_is_a_digit(line, language, number):
    assert extract_invoice_fields(reading_from_text(line + "\n"), [language]).number.value == number


def test_a_date_printed_a_little_off_its_labels_line_is_read_beside_the_label():
    # as tesseract placed them on a scan: the buyer's address line in the next column sits
    # between the date's words, so 'mayo' fell into another row than '21 de' and 'de 2025'
    placed = [("Fecha", 266, 851, 30), ("21", 743, 847, 33), ("de", 835, 850, 31), ("mayo", 901, 858, 31),
              ("de", 1032, 850, 31), ("2025", 1100, 850, 31), ("Plaza", 1269, 836, 31), ("del", 1388, 835, 32),
              ("Consistorio", 1462, 836, 31), ("1,", 1706, 836, 35), ("45071", 1752, 836, 31),
              ("Toledo", 1891, 835, 32)]
    words = tuple(Word(t, 95.0, x, y, 20 * len(t), h, 0) for t, x, y, h in placed)
    page = PageReading(0, "ocr", " ".join(w.text for w in words), words, 95.0, Quality.OK, "", ())
    reading = DocumentReading("application/pdf", (page,), Quality.OK, "", 95.0)
    assert extract_invoice_fields(reading, ["es"]).date.value == "2025-05-21"


def test_a_dash_read_twice_in_a_part_number_is_one():
    text = """\
Ref.          Concepto                    Cant.   Precio    Importe
SERV--INST    Instalación in situ         1       310,00    310,00
"""
    fields = extract_invoice_fields(reading_from_text(text), ["es"])
    assert [p.value for p in fields.part_numbers] == ["SERV-INST"]


def test_a_part_number_in_lower_case_or_glued_to_its_position_number_is_still_read():
    text = """\
Pos.   Codice        Descrizione                    Q.tà   Totale
1      11RV0002IT    Lenovo ThinkSmart Bar XL       1      803,00
2      5ws0W86723    Premier Support 3 anni         1      535,00
4952-000040         Logitech Tap supporto          1      167,90
"""
    fields = extract_invoice_fields(reading_from_text(text), ["it"])
    assert [p.value for p in fields.part_numbers] == ["11RV0002IT", "5WS0W86723", "952-000040"]


@pytest.mark.parametrize("date", ["23.06.2025", "", "23.06.2025 | | Marktplatz 26, 11105"])
def test_a_customer_name_holding_a_number_is_a_name_not_an_address(date):
    # a fax: the customer block's label garbled ('Kate'), the name carries a number
    text = f"""\
Konferenzraum Wien GmbH
Mariahilfer Str. 88, 1070 Wien

RECHNUNG                                     Kate
Rechnungs-Nr.   INV-2025-68124               Stadtwerke Brenner 1105 GmbH
Datum           {date if "|" in date else f"{date:<29}Marktplatz 26, 11105"}

Art.-Nr.      Bezeichnung                    Menge    Gesamtpreis
11RU0001GE    Lenovo ThinkSmart Bar          1        2.049,00
40CL0003GE    Lenovo ThinkSmart Cam          1        2.090,00
                                   Zwischensumme netto   4.139,00
                                   MwSt. 20 %              827,80
                                   Rechnungsbetrag       4.966,80
Leistungsdatum entspricht Rechnungsdatum.
Zahlbar innerhalb von 30 Tagen ohne Abzug.
Konferenzraum Wien GmbH - Mariahilfer Str. 88, 1070 Wien
"""
    fields = extract_invoice_fields(reading_from_text(text), ["de"])
    assert fields.buyer.value == "Stadtwerke Brenner 1105 GmbH"


@pytest.mark.parametrize(("read", "printed"), [("PWMB8YHFT", "PWM8YHFT"), ("PCTJIDCET", "PCTJDCET"),
                                               ("PCA25SYOW", "PCA25YOW"), ("MPQJ8BE6I", "MPQJ8BE6I"),
                                               ("MP0BD8X00", "MP0BD8X0"), ("PF33KX77A", "PF33KX77A")])
def test_one_glyph_read_as_two_look_alikes_in_a_lenovo_serial_is_one_symbol_in_doubt(read, printed):
    text = f"""\\
11LN0004GE    ThinkSmart Core                  1     1.299,00    1.299,00
              S/N: {read}
"""
    (serial,) = extract_invoice_fields(reading_from_text(text), ["de"]).serials
    assert (serial.value, serial.doubtful) == (printed, True)  # two pairs: which one is unknown


def test_an_invoice_number_that_ran_into_the_buyer_name_is_cut_off_whatever_its_punctuation():
    text = "Client\nRE-2025-14502! Atelier Lindholm 1115 SARL\n12 rue de la Paix, 75002 Paris\n"
    assert extract_invoice_fields(reading_from_text(text), ["fr"]).buyer.value == "Atelier Lindholm 1115 SARL"


def test_letters_read_from_a_speck_far_smaller_than_the_name_are_no_part_of_it():
    words = [Word("Bill", 95.0, 251, 651, 60, 23, 0), Word("to", 95.0, 320, 653, 30, 22, 0),
             Word("Meridian", 95.0, 251, 698, 180, 35, 1), Word("pees", 60.0, 440, 698, 30, 7, 1),
             Word("Esterhaz", 95.0, 483, 698, 200, 35, 1), Word("1076", 96.0, 714, 699, 100, 34, 1),
             Word("Ltd", 96.0, 849, 698, 80, 35, 1)]
    page = PageReading(0, "ocr", "", tuple(words), 90.0, Quality.OK, "")
    reading = DocumentReading("image/png", (page,), Quality.OK, "", 90.0)
    assert extract_invoice_fields(reading, ["en"]).buyer.value == "Meridian Esterhaz 1076 Ltd"


def test_the_seller_with_a_less_common_legal_form_beats_a_misread_title_in_larger_print():
    words = [Word("Audio", 95.0, 100, 50, 90, 20, 0), Word("Video", 95.0, 200, 50, 90, 20, 0),
             Word("Veneto", 95.0, 300, 50, 100, 20, 0), Word("S.r.l.s.", 90.0, 410, 50, 90, 20, 0),
             Word("FALIIURA", 93.0, 100, 200, 300, 28, 1),  # 'FATTURA', the title, misread
             *[Word("Testo", 95.0, 100, 300 + 30 * i, 80, 15, 2 + i) for i in range(10)]]
    seller = letterhead_seller(layout.cells(0, words), 3000, None)
    assert seller is not None and seller.value == "Audio Video Veneto S.r.l.s."
    footer = FieldReading("Audio Video Veneto", 96.0, ())  # the footer leaves the legal form out
    assert choose_seller([footer, seller], None).value == "Audio Video Veneto S.r.l.s."


@pytest.mark.parametrize("line", ["Calle Alfonso | 9, 50003 Zaragoza", "Via Torino · 48, 20123 Milano"])
def test_a_street_before_a_separator_is_no_name_line(line):
    words = [Word(t, 95.0, 100 + 80 * i, 3000, 70, 20, 0) for i, t in enumerate(line.split())]
    assert name_lines(layout.cells(0, words), 3100) == []
    named = [Word(t, 95.0, 100 + 80 * i, 3000, 70, 20, 0)
             for i, t in enumerate(["Sistemi", "Ufficio", "S.r.l.", "·", "Via", "Torino", "48,", "20123", "Milano"])]
    assert [r.value for r in name_lines(layout.cells(0, named), 3100)] == ["Sistemi Ufficio S.r.l."]


def test_header_labels_read_as_one_word_across_a_rule_still_name_their_columns():
    text = """\
Pos.   Art.-Nr.      Bezeichnung                 Seriennummer'Menge   Betrag
1      11LN0004GE    ThinkSmart Core             PF3ABCDE              1       1.299,00
2      12C3000AGE    ThinkSmart Bar              PF4XYZ12              1       1.099,00
                                                 Nettobetrag                   2.398,00
"""
    fields = extract_invoice_fields(reading_from_text(text), ["de"])
    assert [s.value for s in fields.serials] == ["PF3ABCDE", "PF4XYZ12"]


def test_a_serial_after_its_label_keeps_its_place_though_read_with_a_stray_mark():
    text = """\
Logitech Rally Bar                                1       3.299,00
S/N: 1994PHNP053]J
"""
    fields = extract_invoice_fields(reading_from_text(text), ["en"])
    assert [(s.value, s.doubtful) for s in fields.serials] == [("1994PHNP053J", True)]
