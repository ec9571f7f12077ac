"""Reports of our own for round trips: written by our exporters, read back, compared figure by figure."""

from __future__ import annotations

import random
from decimal import Decimal

from core import draft
from core import layout as L
from core.model import Level, Metadata, OrganKind, Report
from tests.factories import TEXTS, filled_report

SAMPLES = sorted((__import__("pathlib").Path(__file__).resolve().parents[1] / "resources" / "samples").glob("*.nbdraft"))


def random_report(seed: int) -> Report:
    """A report with figures of every size (up to seven digits), some cells 0, a fee with places."""
    rng = random.Random(seed)
    organs = ("某某市生态环境局", "某某县人民政府办公室", "某某镇人民政府", "某某区市场监督管理局")
    report = Report(meta=Metadata(organ=organs[seed % len(organs)], kind=OrganKind.DEPARTMENT, level=Level.COUNTY,
                                  year=2021 + seed % 5), texts=TEXTS)
    for layout in L.TABLES:
        table = report.table(layout.key)
        for row, col in layout.input_cells:
            if layout.kind(row, col) == "money":
                table.set(row, col, str(Decimal(rng.randrange(0, 10**6)) / 10**4))
            else:
                table.set(row, col, rng.choice((0, 0, rng.randrange(1, 10), rng.randrange(10, 10**rng.randrange(2, 8)))))
    return report


def own_reports() -> dict[str, Report]:
    out = {p.stem: draft.load(p) for p in SAMPLES}
    out["filled"] = filled_report()
    out.update({f"random-{seed}": random_report(seed) for seed in range(3)})
    return out


def figure_differences(expected: Report, got: Report) -> list:
    """Every input cell whose value differs (the derived totals follow from the inputs)."""
    diffs = []
    for layout in L.TABLES:
        a, b = expected.table(layout.key), got.table(layout.key)
        for row, col in layout.input_cells:
            if a.get(row, col) != b.get(row, col):
                diffs.append((layout.key, row, col, a.get(row, col), b.get(row, col)))
    return diffs
