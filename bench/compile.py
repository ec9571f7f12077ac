"""Compile speed and memory: folders of unit drafts summed by the compile command, with and without the
breakdown workbook (goals: 50,000 units in < 30 s and < 300 MB; with the breakdown < 60 s and < 400 MB).

    python bench/compile.py [UNITS ...]        (default 1000 10000 50000)

The units are tests/generated_units.make_units (one in ten with blank cells, one in twenty a 错误).
Each compile runs in a fresh process, which reports its own peak RSS.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT  # also puts the repository on sys.path

from core.aggregate import collect_files, compile_units, read_units
from core.roster import Roster, RosterUnit, reconcile
from tests.factories import FAR_FROM_DEADLINE
from tests.generated_units import make_units


def compile_folder(folder: Path, workers: int | None = 1):
    units = read_units(collect_files([folder]), FAR_FROM_DEADLINE, keep_findings=False, workers=workers)
    return compile_units(units, "某某县人民政府")


def max_rss_mb(who: int | None = None) -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF if who is None else who).ru_maxrss
    return rss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB elsewhere


def run_cli(folder: Path, out: Path, breakdown: bool) -> tuple[float, str]:
    """The compile command as a supervisor runs it, in a fresh process: seconds and its peak RSS."""
    args = [sys.executable, "-c", _CHILD, str(ROOT), str(folder), str(out / "汇总.nbdraft")]
    if breakdown:
        args.append(str(out / "明细.xlsx"))
    t = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - t
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-2000:])
    return seconds, done.stdout.strip().splitlines()[-1]


# Runs the compile command, then prints the peak RSS of the compiling process and of its largest worker, and
# the CPU time of all of them (on a shared machine the wall clock also counts other programs' turns).
_CHILD = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from core.cli import main
args = ["compile", sys.argv[2], "-o", sys.argv[3], "--today", "2026-01-10"]
if len(sys.argv) > 4:
    args += ["--breakdown", sys.argv[4]]
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    main(args)
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime
print(f"peak RSS {me.ru_maxrss / 1024:.0f} MB (largest reading worker {workers.ru_maxrss / 1024:.0f} MB); "
      f"CPU {cpu:.1f} s in all processes")
"""


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"units{n}"
            folder.mkdir()
            t = time.perf_counter()
            make_units(folder, n)
            print(f"generated {n} unit drafts in {time.perf_counter() - t:.1f} s", flush=True)
            for breakdown in (False, True):
                seconds, memory = run_cli(folder, Path(tmp), breakdown)
                work = f"compile {n} unit drafts" + (" with the breakdown workbook" if breakdown else "")
                rows.append(f"| {work} | {seconds:.1f} s; {memory} |")
                print(rows[-1], flush=True)
            if n <= 10_000:  # the library call, in this process (reading on one core), and the roster
                t = time.perf_counter()
                result = compile_folder(folder)
                seconds = time.perf_counter() - t
                print(f"  read + self-check + sum in one process, one core: {seconds:.2f} s "
                      f"({seconds / n * 1000:.2f} ms per unit); {len(result.with_errors)} with 错误, "
                      f"{len(result.blanks)} with blanks")
                roster = Roster([RosterUnit(f"某某县第{i + 1}单位") for i in range(n + 10)])  # ten never sent
                t = time.perf_counter()
                checked = reconcile(roster, result.units)
                print(f"  roster of {n + 10} units reconciled: {time.perf_counter() - t:.2f} s, "
                      f"{len(checked.missing)} not received")
                del result, checked
            shutil.rmtree(folder)
    print()
    print("| work | measured (wall clock, this machine) |")
    print("|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000, 50_000])
