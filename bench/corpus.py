"""The benchmark corpus: invoices in every form partners send, generated deterministically.

Each :class:`Sample` is one file with what it must yield: the grade group it belongs to
(``clean``: must grade ok; ``fax``: fax or worse; ``illegible``: illegible; ``degraded``:
blurred or low resolution, reported only) and, for invoices, the invoice number and part
numbers that must appear in the OCR text.
"""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
from PIL import Image

from fixtures import documents as docs
from fixtures.reference import PARTNERS, PRODUCTS

LANGUAGES = ("de", "fr", "en", "it", "es", "nl")
COUNTRY = {"de": "DE", "fr": "FR", "en": "GB", "it": "IT", "es": "ES", "nl": "NL"}
_CUSTOMERS = {
    "de": (("Stadtwerke Beispielstadt GmbH", "Am Wasserturm 12, 71034 Böblingen", "DE281507630"),
           ("Klinikum Neckartal gGmbH", "Klinikstr. 1, 74072 Heilbronn", "DE213456989"),
           ("Spedition Krüger GmbH & Co. KG", "Hafenstr. 14, 68159 Mannheim", "DE299341207")),
    "fr": (("Groupe Hospitalier Rhône-Alpes SAS", "8 quai Claude Bernard, 69007 Lyon",
            "FR55399120450"),
           ("Lycée Saint-Exupéry", "10 rue Jean Jaurès, 69100 Villeurbanne", None),
           ("Cabinet Lefèvre Expertise SARL", "3 place Masséna, 06000 Nice", "FR37521477893")),
    "en": (("Pennine Logistics Ltd", "Unit 4, Trafford Park Road, Manchester M17 1HH",
            "GB318764002"),
           ("Harbourside Dental Ltd", "3 Quay Street, Manchester M3 3JE", "GB192345010"),
           ("Northern Water plc", "1 Dock Road, Liverpool L3 4AA", None)),
    "it": (("Banca Lombarda Servizi S.p.A.", "Corso Buenos Aires 77, 20124 Milano",
            "IT08765430155"),
           ("Farmacia Centrale S.n.c.", "Piazza del Duomo 2, 20122 Milano", "IT03456120157"),
           ("Hotel Bellavista S.r.l.", "Lungolago 5, 22100 Como", "IT02998870154")),
    "es": (("Hoteles Mediterráneo S.A.", "Avenida del Puerto 230, 46023 Valencia",
            "ESA46789129"),
           ("Clínica Dental Turia S.L.", "Calle de Cuba 41, 46006 Valencia", "ESB46234563"),
           ("Ayuntamiento de Toledo", "Plaza del Consistorio 1, 45071 Toledo", "ESP4516800B")),
    "nl": (("Zorggroep Eemland", "Stadsring 54, 3811 HP Amersfoort", None),
           ("Van Dijk Accountants B.V.", "Maliebaan 16, 3581 CN Utrecht", "NL812345101B01"),
           ("Rijnmond Logistiek B.V.", "Waalhaven Oostzijde 1, 3087 BM Rotterdam",
            "NL866554439B01")),
}
_NUMBER_FORMATS = {
    "de": ("RE-2025-{n:04d}", "R{n:06d}", "2025-{n:05d}"),
    "fr": ("FA-2025-{n:05d}", "F{n:07d}", "FAC{n:06d}"),
    "en": ("INV-{n:05d}", "SI{n:06d}", "INV/2025/{n:04d}"),
    "it": ("2025/{n:04d}", "FT-{n:05d}", "{n:04d}/25"),
    "es": ("F2025-{n:04d}", "FAC-{n:06d}", "A-{n:05d}"),
    "nl": ("2025-{n:05d}", "F{n:06d}", "NL-{n:06d}"),
}
_SERIAL_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_DESCRIPTION = {
    "de": "Lenovo {name} – Konferenzraumsystem",
    "fr": "Lenovo {name} – système de visioconférence",
    "en": "Lenovo {name} – meeting room system",
    "it": "Lenovo {name} – sistema per sale riunioni",
    "es": "Lenovo {name} – sistema de videoconferencia",
    "nl": "Lenovo {name} – vergaderruimtesysteem",
}


@dataclass(frozen=True)
class Sample:
    """One corpus file: its kind, grade group, page count, expected codes and generator."""

    name: str
    kind: str
    group: str  # clean | fax | illegible | degraded
    language: str
    pages: int
    codes: tuple[str, ...]  # invoice numbers and part numbers printed on its pages
    serials: tuple[str, ...]  # serial numbers printed on its pages
    make: Callable[[], bytes]


def invoice_spec(language: str, index: int) -> docs.InvoiceSpec:
    """A deterministic invoice of a language; ``index`` varies layout, parties, lines, codes."""
    rng = np.random.default_rng([index, LANGUAGES.index(language), 7])
    country = COUNTRY[language]
    sellers = [p for p in PARTNERS if p.language == language]
    seller = sellers[index % len(sellers)]
    buyer = _CUSTOMERS[language][index % 3]
    number = _NUMBER_FORMATS[language][index % 3].format(n=int(rng.integers(10, 99999)))
    products = [p for p in PRODUCTS if country in p.countries]
    chosen = rng.choice(len(products), size=1 + index % 3, replace=False)
    lines = []
    for i in sorted(int(c) for c in chosen):
        prod = products[i]
        serial = "PF" + "".join(rng.choice(list(_SERIAL_CHARS), 6))
        price = Decimal(int(rng.integers(300, 3500))).quantize(Decimal("1.00"))
        lines.append(docs.InvoiceLine(prod.part_number(country),
                                      _DESCRIPTION[language].format(name=prod.name), serial, price))
    day = datetime.date(2025, 5, 1) + datetime.timedelta(days=int(rng.integers(0, 150)))
    return docs.InvoiceSpec(
        language=language, number=number, date=day,
        seller_name=seller.name, seller_address=seller.address, seller_vat=seller.vat_id,
        buyer_name=buyer[0], buyer_address=buyer[1], buyer_vat=buyer[2], lines=tuple(lines),
        currency="GBP" if country == "GB" else "EUR", layout=index % 3,
    )


def _fax_pdf(spec: docs.InvoiceSpec, seed: int) -> bytes:
    fax = Image.open(io.BytesIO(docs.fax_tiff(spec, seed, fine=True)))
    buf = io.BytesIO()
    fax.save(buf, "PDF", resolution=204)  # a fax-to-mail gateway: 1-bit image in a PDF
    return buf.getvalue()


# kind -> (group, number of documents per language, pages per document, generator)
_Maker = Callable[[docs.InvoiceSpec, int, list[docs.InvoiceSpec]], bytes]
KINDS: dict[str, tuple[str, int, int, _Maker, str]] = {
    "digital": ("clean", 3, 1, lambda s, i, _: docs.invoice_pdf(s), "pdf"),
    "scan": ("clean", 3, 1, lambda s, i, _: docs.scanned_pdf(s, i), "pdf"),
    "phone": ("clean", 3, 1, lambda s, i, _: docs.phone_photo_jpeg(s, i), "jpg"),
    "phone-png": ("clean", 1, 1, lambda s, i, _: docs.phone_photo_png(s, i), "png"),
    "photo-turned": ("clean", 1, 1,
                     lambda s, i, _: docs.turned_photo_jpeg(s, i, 1 + i % 3), "jpg"),
    "tiff-scan": ("clean", 1, 2, lambda s, i, more: docs.scanned_tiff((s, *more), i), "tif"),
    "fax": ("fax", 2, 1, lambda s, i, _: docs.fax_tiff(s, i, fine=False), "tif"),
    "fax-fine": ("fax", 2, 1, lambda s, i, _: docs.fax_tiff(s, i, fine=True), "tif"),
    "fax-g3-multi": ("fax", 1, 2,
                     lambda s, i, more: docs.fax_multipage_tiff((s, *more), i, i % 2 == 0,
                                                                "group3"), "tif"),
    "fax-pdf": ("fax", 1, 1, lambda s, i, _: _fax_pdf(s, i), "pdf"),
    "blurred": ("degraded", 2, 1, lambda s, i, _: docs.blurred_photo_jpeg(s, i), "jpg"),
    "low-res": ("degraded", 2, 1, lambda s, i, _: docs.low_resolution_jpeg(s, i), "jpg"),
    "illegible": ("illegible", 4, 1, lambda s, i, _: docs.illegible_jpeg(s, i), "jpg"),
}


def corpus(scale: float = 1.0) -> list[Sample]:
    """Every sample of the corpus; ``scale`` multiplies the documents per language and kind."""
    samples: list[Sample] = []
    for k, (kind, (group, per_language, pages, make, ext)) in enumerate(KINDS.items()):
        count = max(1, round(per_language * scale))
        for language in LANGUAGES:
            for j in range(count):
                index = 100 * k + j
                spec = invoice_spec(language, index)
                more = [invoice_spec(language, index + 50 + p) for p in range(pages - 1)]
                seed = index + 17 * LANGUAGES.index(language)
                codes = tuple(c for s in (spec, *more)
                              for c in (s.number, *(line.part_number for line in s.lines)))
                samples.append(Sample(
                    name=f"{kind}-{language}-{j}.{ext}", kind=kind, group=group,
                    language=language, pages=pages, codes=codes,
                    serials=tuple(line.serial for s in (spec, *more) for line in s.lines
                                  if line.serial),
                    make=lambda m=make, s=spec, i=seed, o=more: m(s, i, o),
                ))
    return samples


def long_fax(pages: int = 20) -> bytes:
    """A multi-page fax (204x98, CCITT G4) of ``pages`` invoice pages, for the memory probe."""
    specs = tuple(invoice_spec(LANGUAGES[i % 6], 900 + i) for i in range(pages))
    return docs.fax_multipage_tiff(specs, 900, fine=False)


def _make(args: tuple[float, int]) -> bytes:
    scale, index = args
    return corpus(scale)[index].make()


def write(directory: Path, scale: float = 1.0, workers: int | None = None) -> list[tuple[Sample, Path]]:
    """Generate the corpus into directory (in parallel processes); returns samples and paths."""
    samples = corpus(scale)
    directory.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(workers or os.cpu_count() or 2) as pool:
        blobs = pool.map(_make, [(scale, i) for i in range(len(samples))])
        for sample, data in zip(samples, blobs, strict=True):
            (directory / sample.name).write_bytes(data)
    return [(sample, directory / sample.name) for sample in samples]
