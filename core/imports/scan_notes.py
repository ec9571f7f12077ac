"""Marking the figures of a scan that must be checked against the original.

Nothing read from a scan is corrected silently. Once the tables are rebuilt from the scan's Pages, each
figure that came from a word is checked twice:

* the recogniser was unsure of one of its characters (:func:`core.imports.scan.figure_uncertain`);
* it makes a sum of its table fail (a total, a row, the 表三 balance), and changing one digit of it
  would make the sum hold — the typical misread of a 3 for an 8.

Each such figure gets one 导入 note on its cell, saying the page and what was read
(「第 3 页 表三「…」行「自然人」列：识别为 16，置信度低，请核对原件」). The figure itself stays as read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .. import layout as L
from ..findings import Severity
from ..model import Note
from .pages import Word
from .scan import figure_uncertain

RULE = "IMPORT-OCR"

Cell = tuple[str, str, str]  # table key, row key, column key


@dataclass(frozen=True)
class CellRead:
    """Where a figure of a rebuilt table came from on the scan."""

    table: str
    row: str
    column: str
    page: int
    word: Word


def relations(table: L.TableLayout) -> list[tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]:
    """The sums a table's figures obey, as (left cells, right cells) with equal sums."""
    out = [((derived,), sources) for derived, sources in table.derivation]
    if table is L.TABLE3:  # the header's 勾稽关系: 新收 + 上年结转 = 办理结果总计 + 结转下年度
        for col in (c.key for c in table.columns):
            out.append((((("new", col)), ("carried_in", col)), (("total", col), ("carried_out", col))))
    return out


def one_digit_apart(read: int, needed: int) -> bool:
    """Whether ``needed`` is ``read`` with one digit changed (16 → 18), the commonest misread."""
    a, b = str(read), str(needed)
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _value(figures: dict, stated: dict, table: str, row: str, col: str):
    v = stated.get(table, {}).get(row, {}).get(col)
    if v is None:
        v = figures.get(table, {}).get(row, {}).get(col)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def arithmetic_suspects(figures: dict, stated: dict, read_cells: set[Cell]) -> dict[Cell, int]:
    """Cells read from the scan whose one-digit change would make a failing sum of their table hold.

    ``figures`` and ``stated`` are the input cells and the printed totals as the import builder holds
    them ({table: {row: {column: value}}}). Returns each suspect with the value the sum asks for.
    """
    suspects: dict[Cell, int] = {}
    for table in L.TABLES:
        for left, right in relations(table):
            terms = [(cell, 1) for cell in left] + [(cell, -1) for cell in right]
            values = {cell: _value(figures, stated, table.key, *cell) for cell, _ in terms}
            if any(v is None for v in values.values()):
                continue  # a sum with an unread term proves nothing
            balance = sum(sign * values[cell] for cell, sign in terms)
            if balance == 0:
                continue
            for cell, sign in terms:
                key = (table.key, *cell)
                if key not in read_cells:
                    continue
                needed = values[cell] - sign * balance
                if needed >= 0 and one_digit_apart(values[cell], needed):
                    suspects.setdefault(key, needed)
    return suspects


def uncertain_figures(reads: Iterable[CellRead], figures: dict, stated: dict) -> list[Note]:
    """The 导入 notes for the figures of a scan that must be checked against the original."""
    by_cell = {(r.table, r.row, r.column): r for r in reads}
    suspects = arithmetic_suspects(figures, stated, set(by_cell))
    notes = []
    for key, read in by_cell.items():
        table = L.TABLE_BY_KEY[read.table]
        reasons = []
        if figure_uncertain(read.word):
            reasons.append("置信度低")
        if key in suspects:
            reasons.append(f"与本表的合计不符（若为 {suspects[key]} 则相符）")
        if not reasons:
            continue
        where = f"第 {read.page} 页 {table.cell_name(read.row, read.column)}"
        notes.append(Note(rule=RULE, severity=Severity.WARNING, category="导入",
                          message=f"{where}：识别为 {read.word.text}，{'，'.join(reasons)}，请核对原件",
                          location={"part": table.part, "table": read.table, "row": read.row,
                                    "column": read.column, "page": read.page,
                                    "box": [round(v, 1) for v in (read.word.x0, read.word.top,
                                                                  read.word.x1, read.word.bottom)]}))
    return notes
