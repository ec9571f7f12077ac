"""The published reports of tests/data/real/ and the figures read by hand from each (truth.json).

``compare`` lists every printed figure of a report as right, wrong or missed against what an import
read, so tests assert every figure and the benchmark prints the accuracy table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core import layout as L
from core.model import Report

REAL = Path(__file__).resolve().parent / "data" / "real"

_T2_ROWS = {"规章": "rules", "行政规范性文件": "normative", "行政许可": "licensing", "行政处罚": "penalty",
            "行政强制": "enforcement", "行政事业性收费": "fees"}
_T2_COLUMNS = {"rules": ("issued", "repealed", "in_force"), "normative": ("issued", "repealed", "in_force"),
               "licensing": ("decisions",), "penalty": ("decisions",), "enforcement": ("decisions",),
               "fees": ("amount",)}
_T3_COLUMNS = L.T3_APPLICANT_COLUMNS + ("total",)
_T4_ROWS = {"行政复议": "reconsideration", "行政诉讼_未经复议直接起诉": "litigation_direct",
            "行政诉讼_复议后起诉": "litigation_after"}
_T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def truth() -> list[dict]:
    return json.loads((REAL / "truth.json").read_text(encoding="utf-8"))


def expected_cells(entry: dict) -> dict[tuple[str, str, str], object]:
    """(table, row, column) → the figure as printed (None where the page prints no such row)."""
    cells: dict[tuple[str, str, str], object] = {}
    for label, values in entry["table2"].items():
        row = _T2_ROWS[label]
        values = values if isinstance(values, list) else [values]
        for col, v in zip(_T2_COLUMNS[row], values):
            cells["table2", row, col] = None if v is None else Decimal(str(v)) if row == "fees" else v
    rows = [r.key for r in L.TABLE3.rows]
    assert len(entry["table3"]) == len(rows)
    for row, values in zip(rows, entry["table3"].values()):
        for col, v in zip(_T3_COLUMNS, values):
            cells["table3", row, col] = v
    for label, values in entry["table4"].items():
        for col, v in zip(_T4_COLUMNS, values):
            cells["table4", _T4_ROWS[label], col] = v
    return cells


def read_cell(report: Report, table: str, row: str, col: str) -> object:
    """What the import read for a cell: a derived total as the source printed it, an input as stored."""
    layout = L.TABLE_BY_KEY[table]
    if layout.is_derived(row, col):
        return (report.imported.stated if report.imported else {}).get(table, {}).get(row, {}).get(col)
    return report.table(table).get(row, col)


@dataclass
class Tally:
    right: int = 0
    wrong: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + len(self.wrong) + len(self.missed)


def compare(report: Report, entry: dict) -> Tally:
    tally = Tally()
    for (table, row, col), want in expected_cells(entry).items():
        got = read_cell(report, table, row, col)
        if got == want and (got is None) == (want is None):
            tally.right += 1
        elif got is None:
            tally.missed.append((table, row, col, want))
        else:
            tally.wrong.append((table, row, col, want, got))
    return tally


def mixed_folder(tmp_path: Path) -> Path:
    """A supervisor's inbox: a web page, a PDF in a subfolder, a text report, a damaged Word file and a picture
    that is no report (not looked at)."""
    import shutil

    from tests.factories import SAMPLES

    folder = tmp_path / "收件"
    (folder / "子目录").mkdir(parents=True)
    shutil.copy(REAL / "pingtan_zrz_2023_86684.html", folder)
    shutil.copy(REAL / "pdf" / "pingtan_jjf_2022_86658.pdf", folder / "子目录")
    shutil.copy(next(SAMPLES.glob("001_*.txt")), folder)
    (folder / "坏文件.docx").write_bytes(b"not a zip")
    (folder / "说明.png").write_bytes(b"\x89PNG")
    return folder
