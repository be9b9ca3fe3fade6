"""The programme configuration: rules' numbers as data, loaded from a YAML file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from tradein.errors import ConfigurationError

DEFAULT_PROGRAMME_FILE = "lsc-emea-2025.yaml"


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs for fuzzy matching and OCR confidence, 0-100."""

    catalogue_match_min: float
    invoice_product_min: float
    serial_match_min: float
    party_match_min: float
    holder_match_min: float
    field_confidence_min: float
    document_confidence_min: float
    same_document_min: float
    product_name_min: float = 90  # the product's catalogue name on an invoice line (after the part number)
    serial_doubtful_min: float = 75  # declared serial vs a serial the invoice read with doubt: review, no mismatch
    photo_max_distance: float = 8  # bits (of 64) two prints of one device photo may differ by
    label_max_distance: float = 6  # the same for the prints of its label, cut out and upright
    photo_fine_max_distance: float = 32  # bits (of 256) the 256-bit prints of a copy may differ by
    photo_crop_fine_max_distance: float = 56  # the same for a crop against the other photo's centre
    label_serial_min: float = 70  # % alike the serials two photos read (doubt or not): below, neither their
    # labels' prints nor a crop's against the other's centre make them one photo


@dataclass(frozen=True)
class Payer:
    """The vendor's own account: the debtor of the SEPA credit transfers."""

    name: str
    iban: str
    bic: str | None
    sepa_schema: str = "pain.001.001.03"


@dataclass(frozen=True)
class Programme:
    """One trade-in programme: window, deadline, caps, payout terms, thresholds."""

    name: str
    sale_start: dt.date
    sale_end: dt.date
    deadline_date: dt.date
    timezone: str
    pair_cap: int
    max_lines: int
    payout_days: int
    bank_delay_days: int
    review_timeout_days: int
    thresholds: Thresholds
    ocr_languages: tuple[tuple[str, tuple[str, ...]], ...]
    legal_forms: tuple[str, ...]
    distributors: tuple[tuple[str, str | None], ...] = ()  # (name, VAT id) of known wholesalers
    payer: Payer | None = None  # the debtor of payouts; None: payouts cannot be exported

    @property
    def deadline_end(self) -> dt.datetime:
        """First instant after the deadline day, in the programme's time zone."""
        next_day = self.deadline_date + dt.timedelta(days=1)
        return dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=ZoneInfo(self.timezone))

    def languages_for(self, country: str | None) -> tuple[str, ...]:
        """Tesseract language packs for a partner country, English always last."""
        packs = dict(self.ocr_languages).get((country or "").upper(), ())
        return tuple(dict.fromkeys((*packs, "eng")))


def load_programme(path: Path | None = None) -> Programme:
    """Load a programme file; the packaged EMEA 2025 programme when no path is given."""
    try:
        if path is None:
            text = resources.files("claims.programmes").joinpath(DEFAULT_PROGRAMME_FILE).read_text()
        else:
            text = Path(path).read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
        return _programme_from_mapping(raw)
    except FileNotFoundError as e:
        raise ConfigurationError(f"programme file not found: {path}") from e
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise ConfigurationError(f"programme file {path or DEFAULT_PROGRAMME_FILE} is invalid: {e}") from e


def _programme_from_mapping(raw: dict) -> Programme:
    ZoneInfo(raw["deadline"]["timezone"])  # fail early on an unknown zone
    return Programme(
        name=str(raw["name"]),
        sale_start=_date(raw["sale_window"]["start"]),
        sale_end=_date(raw["sale_window"]["end"]),
        deadline_date=_date(raw["deadline"]["date"]),
        timezone=str(raw["deadline"]["timezone"]),
        pair_cap=int(raw["pair_cap_per_end_customer"]),
        max_lines=int(raw["max_lines_per_claim"]),
        payout_days=int(raw["payout"]["days_after_receipt"]),
        bank_delay_days=int(raw["payout"]["bank_delay_days"]),
        review_timeout_days=int(raw["review"]["timeout_days"]),
        thresholds=Thresholds(**{k: float(v) for k, v in raw["thresholds"].items()}),
        ocr_languages=tuple(
            (str(country).upper(), tuple(str(p) for p in packs))
            for country, packs in raw.get("ocr_languages", {}).items()
        ),
        legal_forms=tuple(str(f).lower() for f in raw.get("legal_forms", ())),
        distributors=tuple((str(d["name"]), d.get("vat_id")) for d in raw.get("distributors", ())),
        payer=_payer(raw.get("payer")),
    )


def _payer(raw: dict | None) -> Payer | None:
    if not raw:
        return None
    return Payer(
        name=str(raw["name"]),
        iban=str(raw["iban"]).replace(" ", "").upper(),
        bic=str(raw["bic"]).upper() if raw.get("bic") else None,
        sepa_schema=str(raw.get("sepa_schema") or "pain.001.001.03"),
    )


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
