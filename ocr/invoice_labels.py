"""The words invoices use for each field, per language: extraction rules as data.

Every label is tried on every invoice (a German partner may send an English invoice); the
language only orders nothing today. Add a label here, not a code path in invoice.py.
"""

from __future__ import annotations

NUMBER = {
    "de": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnungsnr.", "Rechnung Nr.", "Re.-Nr.",
           "Belegnummer", "Beleg-Nr."),
    "fr": ("N° de facture", "Numéro de facture", "Facture n°", "N° facture", "Facture N°"),
    "en": ("Invoice No.", "Invoice Number", "Invoice #", "Invoice no", "Invoice ref."),
    "it": ("Numero fattura", "Fattura n.", "Fattura nr.", "N. fattura", "N. documento",
           "Numero documento", "Num. documento"),
    "es": ("Nº de factura", "N.º de factura", "Número de factura", "Factura nº", "Factura n.º",
           "N.º factura", "Num. factura"),
    "nl": ("Factuurnummer", "Factuurnr.", "Factuur nr.", "Factuur nummer"),
}

DATE = {
    "de": ("Rechnungsdatum", "Datum", "Belegdatum", "Rechnungs-Datum"),
    "fr": ("Date de facture", "Date de facturation", "Date", "Date d'émission"),
    "en": ("Invoice date", "Date", "Date of issue", "Issue date", "Tax point"),
    "it": ("Data fattura", "Data", "Data documento", "Data emissione"),
    "es": ("Fecha de factura", "Fecha", "Fecha de emisión", "Fecha factura"),
    "nl": ("Factuurdatum", "Datum"),
}

BUYER = {
    "de": ("Rechnungsempfänger", "Kunde", "Rechnungsanschrift", "Rechnungsadresse",
           "Empfänger", "Auftraggeber"),
    "fr": ("Client", "Facturé à", "Adresse de facturation", "Destinataire", "Facturer à"),
    "en": ("Bill to", "Billed to", "Customer", "Sold to", "Invoice to", "Invoiced to"),
    "it": ("Cliente", "Intestatario", "Spett.le", "Destinatario", "Fatturare a"),
    "es": ("Cliente", "Facturar a", "Datos del cliente", "Facturado a", "Destinatario"),
    "nl": ("Klant", "Factuur aan", "Factuuradres", "Afnemer", "Gefactureerd aan"),
}

SELLER = {
    "de": ("Lieferant", "Verkäufer", "Rechnungssteller"),
    "fr": ("Fournisseur", "Vendeur", "Émetteur"),
    "en": ("Supplier", "Seller", "Vendor", "Sold by"),
    "it": ("Fornitore", "Venditore", "Cedente"),
    "es": ("Proveedor", "Vendedor", "Emisor"),
    "nl": ("Leverancier", "Verkoper"),
}

PART = {
    "de": ("Artikelnummer", "Art.-Nr.", "Artikel-Nr.", "Art.Nr.", "Teilenummer",
           "Materialnummer"),
    "fr": ("Référence", "Réf.", "Code article", "Réf. article"),
    "en": ("Part No.", "Part number", "Product code", "Item code", "SKU", "Part #", "MTM"),
    "it": ("Codice articolo", "Codice", "Cod. articolo", "Cod. art."),
    "es": ("Referencia", "Ref.", "Código", "Cód. artículo", "Código artículo"),
    "nl": ("Artikelnummer", "Art.nr.", "Artikelnr.", "Productcode"),
}

SERIAL = {
    "de": ("Seriennummer", "Serien-Nr.", "Seriennr.", "S/N", "SN", "Ser.-Nr."),
    "fr": ("N° de série", "N° série", "Numéro de série", "S/N"),
    "en": ("Serial No.", "Serial number", "Serial", "S/N", "SN", "Serial #"),
    "it": ("Numero di serie", "N. serie", "Matricola", "N. di serie", "S/N"),
    "es": ("Número de serie", "N.º de serie", "N.º serie", "Nº serie", "Nº de serie", "S/N"),
    "nl": ("Serienummer", "Serienr.", "S/N"),
}

TITLE = {
    "de": ("Rechnung",),
    "fr": ("Facture",),
    "en": ("Invoice", "Tax Invoice"),
    "it": ("Fattura",),
    "es": ("Factura",),
    "nl": ("Factuur",),
}

# Labels whose value is NOT the invoice date or number (they look alike and sit nearby).
OTHER = {
    "de": ("Kundennummer", "Kunden-Nr.", "Fällig am", "Lieferdatum", "Leistungsdatum",
           "Auftragsnummer", "Bestellnummer", "USt-IdNr.", "Steuernummer", "Seite"),
    "fr": ("Code client", "N° client", "Réf. client", "Échéance", "Date d'échéance",
           "Date de livraison", "N° TVA", "N° de commande", "Page"),
    "en": ("Account No.", "Customer ref.", "Account", "Due date", "Delivery date",
           "Order No.", "PO number", "VAT No.", "VAT Reg. No.", "Page"),
    "it": ("Codice cliente", "Cod. cliente", "Scadenza", "Data consegna", "P. IVA",
           "Partita IVA", "Ordine n.", "Pagina"),
    "es": ("Código cliente", "N.º cliente", "Cód. cliente", "Vencimiento", "Fecha de entrega",
           "NIF", "CIF", "Pedido n.º", "Página"),
    "nl": ("Klantnummer", "Klantnr.", "Vervaldatum", "Leverdatum", "BTW-nummer", "Btw-nr.",
           "Ordernummer", "Pagina"),
}

TOTALS = {
    "de": ("Nettobetrag", "Zwischensumme", "Summe netto", "Gesamtbetrag", "Rechnungsbetrag",
           "MwSt.", "USt."),
    "fr": ("Total HT", "Montant HT", "TVA", "Total TTC", "Net à payer"),
    "en": ("Subtotal", "Total net", "VAT", "Total due", "Invoice total", "Total"),
    "it": ("Imponibile", "Totale imponibile", "IVA", "Totale fattura", "Totale documento",
           "Totale da pagare"),
    "es": ("Base imponible", "IVA", "Total factura", "TOTAL", "Total a pagar"),
    "nl": ("Subtotaal", "Totaal excl. btw", "BTW", "Totaal incl. BTW", "Te betalen"),
}

# Legal forms as they are usually spelt (to repair an OCR slip at the end of a name).
LEGAL_FORM_SPELLINGS = ("GmbH", "mbH", "SARL", "S.A.S.", "S.r.l.", "S.p.A.", "S.L.", "S.A.",
                        "B.V.", "N.V.", "Ltd", "plc", "LLP", "LLC", "Inc.", "KGaA")

# Legal forms that mark a company name (normalised: lower case, no dots or spaces).
LEGAL_FORMS = frozenset((
    "gmbh", "ag", "kg", "ohg", "ug", "ek", "gbr", "mbh", "sarl", "sas", "sa", "sasu", "eurl",
    "sca", "srl", "srls", "spa", "sapa", "snc", "sl", "slu", "sau", "bv", "nv", "vof", "cv", "ltd",
    "sprl", "bvba", "cvba", "scrl",
    "plc", "llp", "llc", "inc", "corp", "co",
))

# Words that open a street address in the six languages (folded: lower case, no dots).
STREET_WORDS = frozenset((
    "calle", "c/", "avenida", "avda", "paseo", "plaza", "via", "viale", "piazza", "corso", "largo",
    "rue", "avenue", "boulevard", "bd", "place", "chemin", "allee", "quai", "strasse", "straße", "str",
    "weg", "platz", "laan", "straat", "plein", "kade", "road", "street", "lane",
))

# Column headers of the line table (part and serial columns use PART and SERIAL above).
COLUMNS = {
    "pos": {
        "de": ("Pos.", "Pos", "Position"), "fr": ("N°", "Ligne"), "en": ("#", "Item", "Line"),
        "it": ("Pos.", "Riga"), "es": ("Pos.", "Línea"), "nl": ("Nr.", "Regel"),
    },
    "part": PART,
    "description": {
        "de": ("Beschreibung", "Bezeichnung", "Artikelbezeichnung", "Leistung"),
        "fr": ("Désignation", "Description", "Libellé"),
        "en": ("Description", "Product", "Details"),
        "it": ("Descrizione", "Articolo"),
        "es": ("Descripción", "Concepto", "Artículo"),
        "nl": ("Omschrijving", "Beschrijving", "Artikel"),
    },
    "serial": SERIAL,
    "qty": {
        "de": ("Menge", "Anzahl", "Stk.", "Stück"), "fr": ("Qté", "Quantité", "Qte"),
        "en": ("Qty", "Quantity", "Units"), "it": ("Q.tà", "Quantità", "Qtà", "Qta"),
        "es": ("Cantidad", "Cant.", "Uds.", "Unidades"), "nl": ("Aantal", "Hoeveelheid"),
    },
    "unit": {
        "de": ("Einzelpreis", "E-Preis", "Preis", "Stückpreis"),
        "fr": ("Prix unitaire HT", "P.U. HT", "Prix unit. HT", "Prix unitaire", "PU HT", "Prix"),
        "en": ("Unit price", "Price", "Rate"),
        "it": ("Prezzo unitario", "Prezzo", "Prezzo unit."),
        "es": ("Precio unitario", "Precio", "Precio unit."),
        "nl": ("Stukprijs", "Prijs", "Eenheidsprijs"),
    },
    "amount": {
        "de": ("Gesamt", "Gesamtpreis", "Betrag", "Summe"),
        "fr": ("Total HT", "Montant HT", "Montant"),
        "en": ("Amount", "Net amount", "Total", "Line total"),
        "it": ("Importo", "Totale"), "es": ("Importe", "Total"), "nl": ("Totaal", "Bedrag"),
    },
}

# Labels in front of a VAT id; "buyer" ones name the customer's id, "any" ones either party's.
VAT_LABELS = {
    "buyer": {
        "de": ("USt-IdNr. Kunde", "Ihre USt-IdNr.", "Kunden-USt-IdNr.", "USt-ID Kunde"),
        "fr": ("N° TVA client", "TVA client", "Votre N° TVA"),
        "en": ("Customer VAT No.", "Your VAT No.", "Customer VAT number"),
        "it": ("P. IVA cliente", "Partita IVA cliente"),
        "es": ("NIF cliente", "CIF cliente", "NIF del cliente"),
        "nl": ("BTW-nummer klant", "Btw-nr. klant", "Uw btw-nummer"),
    },
    "any": {
        "de": ("USt-IdNr.", "USt-ID", "UStIdNr.", "USt-Id-Nr.", "Umsatzsteuer-ID"),
        "fr": ("N° TVA intracom.", "TVA intracommunautaire", "N° TVA", "Numéro de TVA"),
        "en": ("VAT Reg. No.", "VAT No.", "VAT registration", "VAT number", "VAT ID"),
        "it": ("P. IVA", "Partita IVA", "P.IVA", "Codice fiscale e P. IVA"),
        "es": ("NIF", "CIF/NIF", "NIF-IVA", "CIF", "NIF/CIF"),
        "nl": ("BTW-nummer", "Btw-nr.", "BTW-nr.", "BTW nummer", "Btw-id"),
    },
}

# Country of a VAT id printed without its prefix after a label of this language.
VAT_COUNTRY = {"de": "DE", "fr": "FR", "en": "GB", "it": "IT", "es": "ES", "nl": "NL"}
