"""What one Prefect task costs on the nightly flow's task runner: client and API server CPU."""

from __future__ import annotations

import os
import time
from pathlib import Path

from prefect import flow, task

from bench.raw import cpu_seconds
from flows.nightly import nightly


@task(name="bench-noop")
def _noop(i: int) -> int:
    return i


@flow(name="bench-overhead", task_runner=nightly.task_runner.duplicate(), log_prints=False)
def _noops(n: int) -> None:
    _noop.map(range(n)).result()


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_task_ms(server_pid: int, tasks: int = 100, settle_s: float = 2.0) -> tuple[float, float]:
    """CPU milliseconds per task run of a trivial mapped task: in this process, in the API server
    (measured after the server has written the runs' events)."""
    _noops(2)  # warm up: flow registration, first connections
    client, server = cpu_seconds(), _process_cpu(server_pid)
    _noops(tasks)
    client = cpu_seconds() - client
    time.sleep(settle_s)
    return 1000 * client / tasks, 1000 * (_process_cpu(server_pid) - server) / tasks
