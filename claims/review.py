"""A reviewer's decision on a flagged claim: validation, outcome, and the page they decide on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from claims.reasons import ClaimStatus, LineStatus


class ReviewChoice(StrEnum):
    """What a reviewer can decide (contract section 6)."""

    APPROVE = "approve"
    REJECT = "reject"
    APPROVE_LINES = "approve_lines"


@dataclass(frozen=True)
class ReviewOutcome:
    """The claim and line statuses a review leads to."""

    status: ClaimStatus
    line_statuses: tuple[LineStatus, ...]


def review_problem(
    choice: ReviewChoice, approved_lines: Sequence[int], reason: str | None, line_count: int
) -> str | None:
    """Why a review input cannot be applied, in the form's terms; None when it can."""
    if choice in (ReviewChoice.REJECT, ReviewChoice.APPROVE_LINES) and not (reason or "").strip():
        return f"'reason' is required when 'decision' is '{choice}'."
    if choice == ReviewChoice.APPROVE_LINES:
        if not approved_lines:
            return "'approved_lines' must list at least one line index when 'decision' is 'approve_lines'."
        bad = sorted({i for i in approved_lines if not 0 <= i < line_count})
        if bad:
            return f"'approved_lines' holds {bad}, but the claim's lines are 0 to {line_count - 1}."
    elif approved_lines:
        return "'approved_lines' is only for 'decision' = 'approve_lines'."
    return None


def review_outcome(
    choice: ReviewChoice, approved_lines: Sequence[int], proposed: Sequence[LineStatus]
) -> ReviewOutcome:
    """Statuses after the review: rule-rejected lines stay rejected unless the reviewer lists them."""
    if choice == ReviewChoice.REJECT:
        lines = tuple(LineStatus.REJECTED for _ in proposed)
    elif choice == ReviewChoice.APPROVE:
        lines = tuple(LineStatus.REJECTED if p == LineStatus.REJECTED else LineStatus.APPROVED for p in proposed)
    else:
        lines = tuple(
            LineStatus.APPROVED if i in set(approved_lines) else LineStatus.REJECTED for i in range(len(proposed))
        )
    approved = sum(s == LineStatus.APPROVED for s in lines)
    if approved == 0:
        status = ClaimStatus.REJECTED
    elif approved == len(lines):
        status = ClaimStatus.APPROVED
    else:
        status = ClaimStatus.PARTIALLY_APPROVED
    return ReviewOutcome(status, lines)


def review_description(record: dict[str, Any], declared: dict[str, Any], documents_hint: str) -> str:
    """The Markdown a reviewer reads above the form: everything needed to decide on one page."""
    out = [f"## Claim {record['claim_ref']}: proposed **{record['status']}**", ""]
    out += ["### Why it needs a reviewer", "", "| code | line | document | detail |", "|---|---|---|---|"]
    for r in record["reasons"]:
        out.append(f"| `{r['code']}` | {_cell(r['line'])} | {_cell(r['document'])} | {_cell(r['detail'])} |")
    invoice = record["invoice"]
    out += [
        "",
        "### Invoice as read, next to the claim",
        "",
        "| field | read on the invoice | declared |",
        "|---|---|---|",
    ]
    out.append(f"| seller | {_cell(invoice['seller'])} | {_cell(declared.get('partner'))} |")
    out.append(f"| buyer | {_cell(invoice['buyer'])} | {_cell(declared.get('end_customer'))} |")
    out.append(f"| number | {_cell(invoice['number'])} | |")
    out.append(f"| date | {_cell(invoice['date'])} | |")
    out += [
        "",
        "### Lines",
        "",
        "| line | proposed | declared product | matched | score | runner-up "
        "| serial on invoice | serial on photo | reward |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for line, decl in zip(record["lines"], declared.get("lines", []), strict=False):
        match = line.get("match") or {}
        runner = f"{match.get('runner_up')} ({match.get('runner_up_score')})" if match.get("runner_up") else ""
        cells = (
            line["index"],
            line["status"],
            f"{_cell(decl.get('part_number'))} / {_cell(decl.get('serial'))}",
            f"{_cell(line['part_number'])} {_cell(line['product_name'])}",
            line["match_score"],
            runner,
            line["invoice_serial"],
            f"{_cell(line['replaced_serial_read'])} (declared {_cell(decl.get('device_serial'))})",
            line["reward"],
        )
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    out += ["", "### Documents", "", "| file | kind | quality | OCR confidence |", "|---|---|---|---|"]
    for d in record["documents"]:
        out.append(f"| {_cell(d['file'])} | {d['kind']} | {_cell(d['quality'])} | {_cell(d['ocr_confidence'])} |")
    out += [
        "",
        documents_hint,
        "",
        "Decide with **decision**: `approve`, `reject` (reason required) or `approve_lines` "
        "(list the line indexes in **approved_lines**; reason required). Put your name in **reviewer**.",
    ]
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float | Decimal):
        return f"{value:.1f}"
    return str(value).replace("|", "\\|").replace("\n", " ")
