"""The nightly flow's reading step on a real Prefect API: a multi-page document is read a task per
page (in parallel) and assembled; a single-page one in one task; the second run OCRs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.context import get_run_context

from fixtures import documents as docs
from flows.nightly import nightly, read_all
from ocr import Quality
from tests.ocr.helpers import invoice_spec
from tradein.settings import get_settings
from tradein.store import ContentStore

pytestmark = pytest.mark.usefixtures("prefect_api")


@flow(name="read-all-test", task_runner=nightly.task_runner.duplicate())
def read_keys(keys: list[tuple[str, str]]):
    """read_all as the nightly flow runs it, with the flow run's id."""
    return (*read_all(keys), get_run_context().flow_run.id)


def task_names(flow_run_id) -> list[str]:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return sorted(r.name for r in runs)


def test_pages_of_a_fax_are_read_as_tasks_and_assembled(env: Path):
    store = ContentStore(get_settings().store_dir)
    specs = (invoice_spec("de", 0), invoice_spec("de", 1), invoice_spec("de", 2))
    fax = store.put_bytes(docs.fax_multipage_tiff(specs, 7))
    pdf = store.put_bytes(docs.invoice_pdf(specs[0]))
    keys = [(fax, "deu+eng"), (pdf, "deu+eng")]

    readings, errors, read, run_id = read_keys(keys)
    assert errors == {} and read == 2
    assert [p.index for p in readings[keys[0]].pages] == [0, 1, 2]
    assert readings[keys[0]].quality is Quality.FAX
    assert readings[keys[1]].quality is Quality.OK and readings[keys[1]].pages[0].source == "text_layer"
    names = task_names(run_id)
    assert [n for n in names if n.startswith(f"ocr-{fax[:12]}-p")] == [f"ocr-{fax[:12]}-p{i}" for i in range(3)]
    assert not any(n.startswith(f"ocr-{pdf[:12]}-p") for n in names)  # one task for the PDF

    again, errors, read, _ = read_keys(keys)
    assert errors == {} and read == 0
    assert again == readings
