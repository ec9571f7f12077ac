"""Self-check speed (it runs on every keystroke; goal: p99 under 2 ms) and draft save/load speed.

    python bench/check.py [RUNS] [long]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import summary, timed

from core import draft
from core.rules import check
from core.rules import narrative
from core.imports.text import read_text_file
from tests.factories import sample


def clear_text_caches() -> None:
    for fn in (narrative._numbering_issues, narrative._year_issues, narrative._placeholders,
               narrative._claims, narrative._shingles):
        fn.cache_clear()


def main(runs: int) -> None:
    # A real published report (sample 001, complete tables), with last year's version attached.
    report = read_text_file(sample("001"))
    previous = read_text_file(sample("001"))
    previous.meta.year -= 1
    if len(sys.argv) > 2 and sys.argv[2] == "long":  # a report three times as long as the sample
        report.texts = {k: v * 3 for k, v in report.texts.items()}
    chars = sum(len(t) for t in report.texts.values())
    print(f"report: sample 001, {chars} narrative characters, 3 tables; last year's report attached")

    print(summary("check, nothing changed", timed(lambda: check(report, previous), runs)))

    cells = [(r, c) for r, c in report.table3.layout.input_cells]

    def type_a_figure(i):
        r, c = cells[i % len(cells)]
        report.table3.root[r][c] = i % 7
    print(summary("check after a figure is typed", timed(lambda: check(report, previous), runs, type_a_figure)))

    base = report.texts["problems"]

    def type_a_character(i):
        report.texts["problems"] = base + "字" * (i % 50)
    print(summary("check after a character is typed", timed(lambda: check(report, previous), runs,
                                                            type_a_character)))

    print(summary("check, all text caches cold (worst case)",
                  timed(lambda: check(report, previous), runs, lambda i: clear_text_caches())))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.nbdraft"
        n = max(runs // 20, 50)
        print(summary("draft save (atomic, fsync, backup)", timed(lambda: draft.save(report, path), n)))
        print(f"draft size: {path.stat().st_size} bytes")
        print(summary("draft load (parse + validate)", timed(lambda: draft.load(path), n)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
