"""OCR benchmark: ``python -m bench.ocr`` (``make bench-ocr``).

In one run, on one generated corpus (bench.corpus: digital, scanned, phone JPEG and PNG,
turned photos, multi-page TIFF scans, faxes 204x98 and 204x196 incl. multi-page G3 and fax
PDFs, blurred, low resolution, illegible; six languages, three layouts), prints:

- page grades per kind and the acceptance shares (fax pages graded fax or worse, illegible
  pages graded illegible, clean/scan/phone pages wrongly flagged),
- the share of clean/scan/phone invoices whose invoice number and every part number appear
  in the OCR text,
- raw tesseract CLI pages/s (one process per core, OMP_THREAD_LIMIT=1; PDFs through
  ``pdftoppm -r 300 -gray``) and the pipeline's pages/s through the nightly flow's
  ``read_all`` on its Prefect task runner, on the same files, and their ratio,
- the peak resident memory (process and children) of reading a 20-page fax the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

_QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "ERROR",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_SERVER_LEVEL": "CRITICAL",
}


def _languages(language: str) -> str:
    from bench.corpus import COUNTRY
    from claims.programme import load_programme

    return "+".join(load_programme().languages_for(COUNTRY[language]))


def probe(path: Path, languages: str, data_dir: Path) -> None:
    """Read one file through the pipeline and print what came out (JSON), for the memory probe."""
    from bench import pipeline

    pipeline.use_data_dir(data_dir)
    keys = pipeline.store([(path, languages)])
    readings, errors, seconds, _ = pipeline.read_keys(keys)
    reading = readings[keys[0]]
    print(json.dumps({"pages": len(reading.pages), "quality": reading.quality.value,
                      "seconds": round(seconds, 2), "errors": list(errors.values())}))


def _pct(good: int, total: int) -> str:
    return f"{good:>3}/{total:<3} {100.0 * good / max(total, 1):5.1f} %"


def _report(scores, raw: tuple[float, float], pipe: tuple[float, float], pages: int, workers: int,
            memory: dict) -> str:
    from bench.score import FAX_OR_WORSE, UNTRUSTED, share
    from ocr.types import Quality

    lines = [f"{'kind':<14}{'group':<10}{'docs':>5}{'pages':>6}"
             + "".join(f"{q.value:>11}" for q in Quality) + f"{'codes ok':>10}{'ok+wrong':>9}"]
    for s in scores:
        lines.append(f"{s.kind:<14}{s.group:<10}{s.documents:>5}{s.pages:>6}"
                     + "".join(f"{s.grades.get(q, 0):>11}" for q in Quality)
                     + f"{s.codes_ok:>6}/{s.documents:<3}{s.ok_but_wrong:>9}")
    fax = share(scores, "fax", FAX_OR_WORSE)
    illegible = share(scores, "illegible", UNTRUSTED)
    clean_ok, clean = share(scores, "clean", {Quality.OK})
    clean_docs = [s for s in scores if s.group == "clean"]
    codes = (sum(s.codes_ok for s in clean_docs), sum(s.documents for s in clean_docs))
    (raw_s, raw_cpu), (pipe_s, pipe_cpu) = raw, pipe
    raw_rate, pipe_rate = pages / raw_s, pages / pipe_s
    lines += [
        "",
        "Grades (pages)",
        f"  fax pages graded fax or worse            {_pct(*fax)}   target 100 %",
        f"  illegible pages graded illegible (*)     {_pct(*illegible)}   target >= 95 %",
        f"  clean/scan/phone pages wrongly flagged   {_pct(clean - clean_ok, clean)}   target <= 2 %",
        "  (*) illegible or unreadable",
        "",
        "Codes (documents)",
        f"  clean/scan/phone invoices with the invoice number and every part number in the text"
        f"  {_pct(*codes)}   target >= 98 %",
        "",
        f"Throughput: the same {pages} pages, {workers} workers (cores: {os.cpu_count()})",
        f"  raw tesseract CLI    {raw_rate:6.2f} pages/s  ({raw_s:6.1f} s wall, {raw_cpu / pages:5.2f} CPU s/page)",
        f"  pipeline (Prefect)   {pipe_rate:6.2f} pages/s  ({pipe_s:6.1f} s wall, {pipe_cpu / pages:5.2f} CPU s/page)",
        f"  ratio pipeline/raw   {pipe_rate / raw_rate:6.2f}   target >= 0.9"
        f"   (by CPU time: {raw_cpu / pipe_cpu:.2f}, unaffected by other load on the machine)",
        f"  one Prefect task costs {memory['task_ms'][0]:.1f} ms CPU here + {memory['task_ms'][1]:.1f} ms in the"
        " API server: single-page documents stay one task, pages of longer ones get a task each",
        "",
        f"Memory: a {memory['fax_pages']}-page fax (204x98, CCITT G4) read through the pipeline",
        f"  peak RSS incl. children {memory['peak_mb']:.0f} MB   target < 1024 MB"
        f"   ({memory['pages']} pages read, graded {memory['quality']}, {memory['seconds']:.1f} s)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --probe, read one file for the memory measurement)."""
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="documents per kind and language x")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--fax-pages", type=int, default=20)
    parser.add_argument("--probe", nargs=3, metavar=("FILE", "LANGUAGES", "DATA_DIR"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for key, value in _QUIET.items():
        os.environ.setdefault(key, value)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if args.probe:
        probe(Path(args.probe[0]), args.probe[1], Path(args.probe[2]))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        return run(args, args.dir or Path(tmp))


def run(args: argparse.Namespace, work: Path) -> int:
    """Generate the corpus, time raw tesseract and the pipeline on it, probe memory, report."""
    from bench import corpus, raw, rss, score

    start = time.perf_counter()
    samples = corpus.write(work / "corpus", args.scale)
    files = [(path, _languages(sample.language)) for sample, path in samples]
    pages = sum(sample.pages for sample, _ in samples)
    fax = work / "long-fax.tif"
    fax.write_bytes(corpus.long_fax(args.fax_pages))
    print(f"corpus: {len(samples)} files, {pages} pages, {len({s.kind for s, _ in samples})} kinds,"
          f" generated in {time.perf_counter() - start:.0f} s", flush=True)

    raw_times = raw.run(files, args.workers)
    print(f"raw tesseract: {raw_times[0]:.1f} s", flush=True)

    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start(timeout=120)
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            from bench import pipeline

            pipeline.use_data_dir(work / "data")
            keys = pipeline.store(files)
            if len(set(keys)) != len(keys):
                raise RuntimeError("two corpus files have the same bytes")
            readings, errors, *pipe_times = pipeline.read_keys(keys)
            from bench.overhead import per_task_ms

            task_ms = per_task_ms(server.server_process.pid)
        print(f"pipeline: {pipe_times[0]:.1f} s", flush=True)
        env = {**os.environ, "PREFECT_API_URL": server.api_url}
        peak_kb, out, _ = rss.peak_rss(
            [sys.executable, "-m", "bench.ocr", "--probe", str(fax), _languages("de"),
             str(work / "probe-data")], env, cwd=Path(__file__).resolve().parents[1])
    finally:
        server.stop()
    if errors:
        print(f"pipeline errors: {errors}", file=sys.stderr)
        return 1
    memory = {**json.loads(out.strip().splitlines()[-1]), "peak_mb": peak_kb / 1024,
              "fax_pages": args.fax_pages, "task_ms": task_ms}
    pairs = [(sample, readings[key]) for (sample, _), key in zip(samples, keys, strict=True)]
    print()
    print(_report(score.score(pairs), raw_times, tuple(pipe_times), pages, args.workers, memory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
