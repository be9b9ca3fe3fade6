"""The daily payout flow: schedule what became due, escalate what is overdue, tell finance."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from tasks.payouts import flag_overdue_payouts, overdue_markdown, publish_payouts_report, schedule_due_payouts


@flow(name="payouts", log_prints=True)
def payouts(today: dt.date | None = None) -> str:
    """Schedule due payouts, flag those unpaid past 50 days overdue, publish the list as an artifact."""
    scheduled = schedule_due_payouts()
    overdue = flag_overdue_payouts(today)
    return publish_payouts_report(overdue_markdown(overdue, scheduled))
