"""A folder of generated unit drafts for the compile tests and benchmark.

Each unit is the complete test report with its own organ, figures and wording, so that nothing is
shared between units that would not be shared in a real folder; one unit in ten has blank cells and
one in twenty a 错误. The same ``n`` always gives the same reports (only the drafts' save time differs).
"""

from __future__ import annotations

import random
from pathlib import Path

from core import draft
from tests.factories import filled_report


def make_units(folder: Path, n: int) -> list[Path]:
    """Write ``n`` unit drafts ``0000.nbdraft`` … into ``folder``; returns their paths in order."""
    rng = random.Random(2025)
    paths = []
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
        path = folder / f"{i:04d}.nbdraft"
        # A generated folder needs no fsync or backup: written plainly, many times faster than draft.save.
        path.write_text(draft.dumps(report), encoding="utf-8")
        paths.append(path)
    return paths


# -- a long report ----------------------------------------------------------------------------

_WEIGHTS = {"overview": 1, "overview.proactive": 3, "overview.on_request": 2, "overview.management": 2,
            "overview.platform": 3, "overview.oversight": 2, "proactive": 1, "requests": 1, "appeals": 1,
            "problems": 2, "other": 1}


def long_report(chars: int, year: int = 2022, variant: int = 0):
    """Sample 001 (complete tables) whose narrative is ``chars`` characters of real report sentences, in
    paragraphs of three to six sentences that are all different, spread over the fields like a county
    report's. ``variant`` changes every third paragraph (last year's report: mostly the same prose)."""
    import itertools
    import re

    from core.imports.text import read_text_file
    from tests.factories import SAMPLES, sample

    report = read_text_file(sample("001"))
    report.meta.year = year
    pool = []
    for path in sorted(SAMPLES.glob("*.txt")):
        pool += [s + "。" for s in re.split(r"[。\n]", path.read_text(encoding="utf-8"))
                 if len(s) > 12 and not re.search(r"\t|\d{4}\s*年|^\s*#", s)]  # prose: no table rows, years, headings
    sentences = itertools.cycle(pool)
    total = sum(_WEIGHTS.values())
    texts, number = {}, 0
    for key, weight in _WEIGHTS.items():
        want, lines = chars * weight // total, []
        length = 0
        while length < want:
            number += 1
            tag = f"（第{number}段" + ("，有改动" if variant and number % 3 == 0 else "") + "）"
            line = "".join(next(sentences) for _ in range(3 + number % 4)) + tag
            lines.append(line)
            length += len(line) + 1
        texts[key] = "\n".join(lines)[:want]
    report.texts = texts
    return report
