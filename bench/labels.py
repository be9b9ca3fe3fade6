"""Measure device-label reading on generated photos with known serials (``make bench-labels``).

``python -m bench.labels [--count N] [--seed S] [--seeds K] [--text-only] [--show-failures]``
generates :func:`fixtures.device_photos.label_cases` (for K seeds from S on; only the
text-only labels with ``--text-only``), reads each photo with
:func:`ocr.device_label.read_device_label` and prints:

- read rates: the best serial equals the printed one (``read``), and does so without doubt
  (``sure``), for labels with a barcode or QR code, text-only labels, per style and per effect;
- the wrong-read rate: a serial read without doubt that is not the printed one (or any serial
  read without doubt from a photo with no label) - this must stay at about 0;
- the comparison with the declared serial: matches on the right device, false matches on the
  wrong device (must be 0);
- timings per photo (one process, tesseract limited to one thread);
- photo reuse (:mod:`bench.reuse`): copies of the photos found, distinct photos left alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from fixtures.device_photos import LabelCase, label_cases
from ocr.device_label import LabelReading, canonical, read_device_label, serial_matches


@dataclass(frozen=True)
class Outcome:
    """One photo's reading judged against its truth."""

    case: LabelCase
    reading: LabelReading
    seconds: float  # wall clock
    cpu_seconds: float  # this process and its tesseract children: the cost on one core

    @property
    def read(self) -> bool:
        """The best serial is the printed one."""
        best, printed = self.reading.best, self.case.printed
        return best is not None and printed is not None and canonical(best.value) == canonical(printed)

    @property
    def sure(self) -> bool:
        """Read, and without doubt."""
        return self.read and not self.reading.best.doubtful  # type: ignore[union-attr]

    @property
    def wrong(self) -> bool:
        """A serial read without doubt that is not the printed one."""
        best = self.reading.best
        return best is not None and not best.doubtful and not self.read

    @property
    def matched(self) -> bool:
        """The declared serial matches what was read (as the rules would compare)."""
        best = self.reading.best
        return best is not None and serial_matches(self.case.declared, best)[0]


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(cases: tuple[LabelCase, ...], workdir: Path) -> list[Outcome]:
    """Write each photo and read it, timing the reading only."""
    out = []
    for case in cases:
        path = workdir / f"{case.name}.jpg"
        path.write_bytes(case.jpeg())
        start, cpu = time.perf_counter(), _cpu()
        reading = read_device_label(path)
        out.append(Outcome(case, reading, time.perf_counter() - start, _cpu() - cpu))
    return out


def _spread(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (f"mean {statistics.mean(values):.2f}, median {statistics.median(values):.2f}, "
            f"p95 {p95:.2f}, max {values[-1]:.2f}")


def _rate(items: list[Outcome], test) -> str:
    if not items:
        return "   -   "
    n = sum(1 for o in items if test(o))
    return f"{100 * n / len(items):5.1f} %"


def _row(name: str, items: list[Outcome]) -> str:
    return (f"  {name:<28} {len(items):>4}   read {_rate(items, lambda o: o.read)}"
            f"   sure {_rate(items, lambda o: o.sure)}   wrong {_rate(items, lambda o: o.wrong)}")


def report(outcomes: list[Outcome], show_failures: bool) -> str:
    """The figures as text."""
    labelled = [o for o in outcomes if o.case.kind != "no_label"]
    coded = [o for o in labelled if o.case.has_code]
    text_only = [o for o in labelled if not o.case.has_code]
    lines = [f"device-label reading: {len(outcomes)} photos", "", "read rates (best serial = printed serial)"]
    lines.append(_row("labels with a barcode/QR", coded))
    lines.append(_row("text-only labels", text_only))
    lines.append(_row("all labels", labelled))
    lines += ["", "by style (barcode/QR | text-only)"]
    by_style: dict[str, list[Outcome]] = defaultdict(list)
    for o in labelled:
        by_style[o.case.spec.style].append(o)
    for style, items in sorted(by_style.items()):
        lines.append(_row(f"{style} codes", [o for o in items if o.case.has_code]))
        lines.append(_row(f"{style} text-only", [o for o in items if not o.case.has_code]))
    lines += ["", "by code"]
    by_codes: dict[str, list[Outcome]] = defaultdict(list)
    for o in labelled:
        by_codes[o.case.spec.codes].append(o)
    for codes, items in sorted(by_codes.items()):
        lines.append(_row(codes, items))
    lines += ["", "by effect"]
    by_effect: dict[str, list[Outcome]] = defaultdict(list)
    for o in labelled:
        for effect in o.case.spec.effects or ("none",):
            by_effect[effect].append(o)
    for effect, items in sorted(by_effect.items()):
        lines.append(_row(effect, items))
    no_label = [o for o in outcomes if o.case.kind == "no_label"]
    wrong_device = [o for o in outcomes if o.case.kind == "wrong_device"]
    right_device = [o for o in outcomes if o.case.kind == "label"]
    wrong_reads = [o for o in outcomes if o.wrong]
    lines += [
        "",
        f"wrong reads (a serial read without doubt that is not on the label): {len(wrong_reads)}"
        f" of {len(outcomes)} ({100 * len(wrong_reads) / max(len(outcomes), 1):.1f} %)",
        f"photos without a label giving a serial: {sum(o.reading.best is not None for o in no_label)}"
        f" of {len(no_label)}",
        f"declared serial matched, right device: {_rate(right_device, lambda o: o.matched).strip()}"
        f" of {len(right_device)}",
        f"declared serial matched, wrong device (false matches): "
        f"{sum(o.matched for o in wrong_device)} of {len(wrong_device)}",
    ]
    if outcomes:
        lines += ["", f"seconds per photo, wall clock: {_spread([o.seconds for o in outcomes])}",
                  f"seconds per photo, CPU (with tesseract): {_spread([o.cpu_seconds for o in outcomes])}"]
    failures = [o for o in outcomes if (o.case.printed and not o.sure) or o.wrong]
    if show_failures and failures:
        lines += ["", "not read without doubt, or read wrong:"]
        for o in failures:
            best = o.reading.best
            got = f"{best.value} ({best.detail}{', doubtful' if best.doubtful else ''})" \
                if best else "nothing"
            lines.append(f"  {'WRONG ' if o.wrong else ''}{o.case.name}: {o.case.printed} -> {got}"
                         f" [{o.reading.quality}] {'; '.join(o.reading.findings)[:160]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.labels", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=240)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=1, help="this many seeds from --seed on, one set each")
    parser.add_argument("--text-only", action="store_true", help="only the photos of labels without a code")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--reuse", type=int, default=60, help="photos whose copies are checked (0: none)")
    args = parser.parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cases = tuple(case for seed in range(args.seed, args.seed + args.seeds) for case in label_cases(args.count, seed)
                  if not args.text_only or (case.kind != "no_label" and not case.has_code))
    with tempfile.TemporaryDirectory(prefix="bench-labels-") as tmp:
        outcomes = measure(cases, Path(tmp))
    print(report(outcomes, args.show_failures), flush=True)
    if args.reuse:
        from bench.reuse import measure_reuse, reuse_report

        print()
        print(reuse_report(measure_reuse(cases[: args.reuse], os.cpu_count() or 2)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
