"""Compile speed and memory: a county-sized folder of unit drafts summed (goal: under 5 s and 300 MB).

    python bench/compile.py [UNITS]

Each unit is the complete test report with its own organ, figures and wording, so that nothing is
shared between units that would not be shared in a real folder; one unit in ten has blank cells and
one in twenty a 错误. The compile (read, self-check, sum) runs once timed, then once under tracemalloc.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the repository on sys.path)

from core import draft
from core.aggregate import collect_files, compile_units, read_units, write_breakdown_xlsx
from core.roster import Roster, RosterUnit, reconcile
from tests.factories import FAR_FROM_DEADLINE, filled_report


def make_units(folder: Path, n: int) -> None:
    rng = random.Random(2025)
    for i in range(n):
        report = filled_report()
        report.meta.organ = f"某某县第{i + 1}单位"
        report.texts = {k: v.replace("我局", f"我单位（{i}）") + f"本单位编号 {i}。" for k, v in report.texts.items()}
        report.table2.set("licensing", "decisions", rng.randint(0, 5000))
        report.table2.set("fees", "amount", f"{rng.randint(0, 99999) / 10000:.4f}")
        for row in ("granted", "withheld.internal", "unable.not_held"):  # balanced: new grows by the same
            extra = rng.randint(0, 30)
            report.table3.set(row, "business", extra)
            report.table3.set("new", "business", report.table3.get("new", "business") + extra)
        if i % 10 == 0:
            report.table4.root["litigation_after"]["pending"] = None
        if i % 20 == 0:
            report.table3.set("carried_out", "natural", 9)  # no longer balances
        draft.save(report, folder / f"{i:04d}.nbdraft", backup=False)


def compile_folder(folder: Path):
    units = read_units(collect_files([folder]), FAR_FROM_DEADLINE)
    return compile_units(units, "某某县人民政府")


def max_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB elsewhere


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "units"
        folder.mkdir()
        t = time.perf_counter()
        make_units(folder, n)
        print(f"generated {n} unit drafts in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        result = compile_folder(folder)
        seconds = time.perf_counter() - t
        print(f"compile (read + self-check + sum) of {len(result.included)} units: {seconds:.2f} s "
              f"({seconds / n * 1000:.2f} ms per unit); {len(result.with_errors)} with 错误, "
              f"{len(result.blanks)} with blanks")

        roster = Roster([RosterUnit(f"某某县第{i + 1}单位") for i in range(n + 10)])  # ten never sent
        t = time.perf_counter()
        checked = reconcile(roster, result.units)
        print(f"roster of {n + 10} units reconciled: {time.perf_counter() - t:.2f} s, "
              f"{len(checked.missing)} not received")

        t = time.perf_counter()
        write_breakdown_xlsx(result, Path(tmp) / "明细.xlsx")
        print(f"breakdown workbook: {time.perf_counter() - t:.2f} s, "
              f"{(Path(tmp) / '明细.xlsx').stat().st_size // 1024} KB")
        del result

        tracemalloc.start()
        result = compile_folder(folder)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak memory: tracemalloc {peak / 1024 / 1024:.0f} MB", end="")
        rss = max_rss_mb()
        print(f", max RSS of the process {rss:.0f} MB" if rss is not None else "")
        summary = result.summary.table2.get("licensing", "decisions")
        print(f"summary 表二 行政许可 = {summary}, fee = {result.summary.table2.get('fees', 'amount')} 万元")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
