"""Fuzz every reader: N mutated inputs per format through import → check → save → reload → export.

    python bench/fuzz.py [-n 200] [--formats docx,xlsx,nbdraft,txt,pdf,html] [--seed 1] [--jobs 2]
                         [--export docx,xlsx,txt] [--failures DIR] [--json PATH]
    python bench/fuzz.py --replay FILE          # one saved input, in this process, with its traceback
    python bench/fuzz.py --merge A.json B.json  # one tally over runs made in parts (--start, --json)

Each input runs in its own process (forked from this warm one) with a time limit (killed after
--kill-after seconds; over --seconds of CPU is a finding) and a memory limit (peak over --memory MB is
a finding). Prints the tally by outcome per format and the distinct failures (exception type and
place). Exit status 1 when any input failed. Formats are plugged in under bench/fuzzing/formats/.
Linux and macOS (the harness forks); the program itself does not need this.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _common import ROOT  # noqa: F401 — puts the repository on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzzing import available, load_formats  # noqa: E402
from fuzzing import runner  # noqa: E402


def _warm() -> None:
    """Import what the pipeline uses once, in the parent, so each forked child starts warm."""
    import docx  # noqa: F401
    import openpyxl  # noqa: F401

    from core import draft, files  # noqa: F401
    from core.export import docx as _d, text as _t, xlsx as _x  # noqa: F401
    from core.imports import docx as _id, text as _it, xlsx as _ix  # noqa: F401
    for optional in ("core.imports.pdf", "core.imports.html", "core.imports.rebuild", "pypdfium2", "lxml.html"):
        try:
            __import__(optional)
        except ImportError:  # a format whose library is absent is skipped
            pass
    from core.rules import check  # noqa: F401


def replay(path: Path, exports: tuple[str, ...]) -> int:
    import tempfile
    import traceback

    from fuzzing import pipeline

    fmt = next((f for f in load_formats().values() if f.suffix == path.suffix.lower()), None)
    if fmt is not None and fmt.prepare:
        fmt.prepare()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            started = time.process_time()
            result = pipeline.run(path.suffix, path.read_bytes(), Path(tmp), exports)
            result["cpu_pipeline"] = round(time.process_time() - started, 3)
        except BaseException:
            traceback.print_exc()
            return 1
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["outcome"] in ("ok", "refused") and not result.get("english") else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="inputs per format")
    ap.add_argument("--formats", default="", help="comma-separated; default every registered format")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="index of the first input (to split a long run)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--export", default="docx,xlsx,txt", help="formats exported at the last stage (pdf needs Qt)")
    ap.add_argument("--seconds", type=float, default=5.0, help="CPU seconds per input before it counts as over time")
    ap.add_argument("--kill-after", type=float, default=30.0, help="wall seconds after which an input is killed")
    ap.add_argument("--memory", type=int, default=500, help="peak MB per input before it counts as over memory")
    ap.add_argument("--failures", type=Path, help="folder to save each failing input in (reproducers)")
    ap.add_argument("--json", type=Path, help="write every result and the tallies here")
    ap.add_argument("--replay", type=Path, help="run one saved input in this process and print the result")
    ap.add_argument("--merge", type=Path, nargs="+", help="print one tally over the --json files of several runs")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    exports = tuple("." + e.strip().lstrip(".") for e in args.export.split(",") if e.strip())
    if args.replay:
        return replay(args.replay, exports)
    if args.merge:
        return merge(args.merge)
    formats = load_formats()
    wanted = [f.strip() for f in args.formats.split(",") if f.strip()] or sorted(formats)
    unknown = [w for w in wanted if w not in formats]
    if unknown:
        print(f"unknown format(s): {', '.join(unknown)}; registered: {', '.join(sorted(formats))}", file=sys.stderr)
        return 2
    _warm()
    limits = runner.Limits(seconds=args.seconds, kill_after=args.kill_after, memory_mb=args.memory)
    report: dict = {"seed": args.seed, "n": args.n, "start": args.start, "exports": exports, "formats": {}}
    failed = False
    for name in wanted:
        fmt = formats[name]
        if not available(fmt):
            print(f"{name}: skipped (needs {', '.join(fmt.requires)})")
            continue
        started = time.monotonic()

        def progress(done: int, total: int, _name=name) -> None:
            if not args.quiet and (done % 100 == 0 or done == total):
                print(f"  {_name}: {done}/{total}", file=sys.stderr, flush=True)

        results = runner.run(fmt, args.n, args.seed, args.jobs, limits, exports, args.failures, progress,
                             start=args.start)
        summary = runner.tally(results)
        summary["seconds"] = round(time.monotonic() - started, 1)
        distinct = runner.distinct_failures(results)
        failed |= bool(distinct)
        report["formats"][name] = {"tally": summary, "failures": [
            {"key": k, "count": c, "example": e} for k, c, e in distinct], "results": results}
        _print(name, summary, distinct)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed else 0


def merge(paths: list[Path]) -> int:
    by_format: dict[str, list[dict]] = {}
    seconds: dict[str, float] = {}
    for path in paths:
        run = json.loads(path.read_text(encoding="utf-8"))
        for name, fmt in run["formats"].items():
            by_format.setdefault(name, []).extend(fmt["results"])
            seconds[name] = seconds.get(name, 0) + fmt["tally"]["seconds"]
    failed = False
    for name, results in sorted(by_format.items()):
        summary = runner.tally(results)
        summary["seconds"] = round(seconds[name], 1)
        distinct = runner.distinct_failures(results)
        failed |= bool(distinct)
        _print(name, summary, distinct)
    return 1 if failed else 0


def _print(name: str, t: dict, distinct) -> None:
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(t["outcomes"].items()))
    print(f"{name}: {t['inputs']} inputs in {t['seconds']} s — {outcomes}")
    print(f"  uncaught {t['uncaught']}, over time {t['over_time']} (timeouts {t['timeouts']}), "
          f"over memory {t['over_memory']}, English in messages {t['english']}, reload mismatches {t['mismatch']}; "
          f"max CPU {t['max_cpu']:.2f} s, max wall {t['max_wall']:.2f} s, max peak {t['max_peak_mb']:.0f} MB")
    for key, count, example in distinct:
        where = example.get("reproducer") or f"index {example['index']}"
        print(f"  {count:>5} × {key}\n          e.g. {where}: {example.get('detail') or example.get('message', '')[:160]}")


if __name__ == "__main__":
    sys.exit(main())
