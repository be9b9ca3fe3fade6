"""A reviewer decides a flagged claim in the Prefect UI, with a real (headless) browser.

The test's own `prefect server start` serves the UI; `tradein serve` runs the review deployment.
Debian's Chromium (`/usr/bin/chromium`, installed by scripts/setup.sh) is driven by Playwright's
sync API; no browser is downloaded. The browser may only reach the loopback server: the UI's
third-party calls (product analytics) are aborted before they leave it.

The review page (description and filled form) is saved as var/test-artifacts/review-page.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration import prefect_server as harness
from tests.integration.prefect_server import ROOT, flag_claims, record, wait_for

prefect_server, served = harness.prefect_server, harness.served  # the fixtures, requested by name

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "var" / "test-artifacts"
SCREENSHOT = ARTIFACTS / "review-page.png"
UI_TIMEOUT_MS = 60_000
REF = "TI25-DE-000118"  # flagged THIRD_PARTY_PAYEE: the bank account holder is not the partner


@pytest.fixture
def page(tmp_path: Path):
    """A page in a fresh headless Chromium profile that can reach only 127.0.0.1."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: run scripts/setup.sh (the 'dev' extra)")

    def loopback_only(route) -> None:
        if re.match(r"https?://127\.0\.0\.1[:/]", route.request.url):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            # tall enough that the resume dialog shows the whole description and form unscrolled
            viewport={"width": 1280, "height": 2600},
        )
        try:
            context.set_default_timeout(UI_TIMEOUT_MS)
            context.route("**/*", loopback_only)
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def submit(page, dialog, run_id: str, attempts: int = 3) -> None:
    """Press Resume as a reviewer would, again if the server failed the request.

    A SQLite-backed Prefect server on a loaded machine can answer the resume with a 500
    ("database is locked", PrefectHQ/prefect#18934); the dialog then stays open with the input.
    """
    for attempt in range(1, attempts + 1):
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith(f"/flow_runs/{run_id}/resume")
        ) as answer:
            dialog.get_by_role("button", name="Resume", exact=True).click()
        response = answer.value
        if response.ok:
            result = response.json()
            assert result.get("status") == "ACCEPT", f"resume not accepted: {result}"
            return
        if response.status < 500 or attempt == attempts:
            raise AssertionError(f"resume refused with {response.status}: {response.text()[:1000]}")
        page.wait_for_timeout(1000)


def test_a_reviewer_decides_a_flagged_claim_in_the_prefect_ui(served, page, tmp_path: Path, capsys):
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)  # a loaded 2-core machine renders slowly
    ids, nightly = flag_claims(served, tmp_path / "samples", (REF,))
    assert "1 review run(s) opened" in nightly, nightly
    run_id = ids[REF]
    # Playwright's sync API keeps an event loop in this thread: the helpers use Prefect's sync client only
    wait_for(served, run_id, lambda s: s.is_paused(), timeout=120)

    try:
        # as the README tells a reviewer: Runs, the run named review-<claim_ref>, its menu, Resume
        page.goto(served["_UI_URL"] + "/")
        page.get_by_role("link", name="Runs", exact=True).click()
        # (the session's other tests may have left finished runs of the same name: pick this one)
        run_link = page.get_by_role("link", name=f"review-{REF}", exact=True)
        run_link.and_(page.locator(f'[href*="/runs/flow-run/{run_id}"]')).click()
        page.wait_for_url(f"**/runs/flow-run/{run_id}**")
        page.get_by_role("button", name="Open menu").click()
        page.get_by_role("menuitem", name="Resume").click()
        dialog = page.get_by_role("dialog", name="Resume Flow Run")
        expect(dialog).to_be_visible()

        # the Markdown description, rendered above the form
        expect(dialog.get_by_role("heading", name=f"Claim {REF}: proposed needs_review")).to_be_visible()
        expect(dialog.get_by_role("heading", name="Why it needs a reviewer")).to_be_visible()
        expect(dialog.get_by_role("heading", name="Invoice as read, next to the claim")).to_be_visible()
        expect(dialog.get_by_role("cell", name="THIRD_PARTY_PAYEE")).to_be_visible()
        expect(dialog.get_by_role("heading", name="Documents")).to_be_visible()
        expect(dialog).to_contain_text("Suspended")

        # the form: decision (a select of the enum), reason and reviewer (textareas)
        dialog.get_by_role("button", name=re.compile(r"^Select ")).click()
        page.get_by_role("option", name="reject", exact=True).click()
        reason = "bank account belongs to a third party, not to the partner"
        dialog.get_by_role("textbox", name=re.compile(r"^Reason")).fill(reason)
        dialog.get_by_role("textbox", name=re.compile(r"^Reviewer")).fill("ana")
        expect(dialog.get_by_role("button", name=re.compile(r"^Select "))).to_contain_text("reject")

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        dialog.screenshot(path=str(SCREENSHOT))
        with capsys.disabled():
            print(f"\nreview page screenshot: {SCREENSHOT}")

        submit(page, dialog, run_id)
        expect(dialog).to_be_hidden()
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-page-failure.png"), full_page=True)
        raise

    wait_for(served, run_id, lambda s: s.is_completed(), timeout=120)
    decided = record(served, REF)
    assert decided["status"] == "rejected", decided
    review = decided["review"]
    assert (review["decision"], review["reviewer"], review["reason"]) == ("reject", "ana", reason)
