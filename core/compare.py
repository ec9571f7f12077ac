"""对比: what changed between two versions of one unit's report (a returned draft, or last year's).

Every figure cell that differs (totals included) with old → new, and, across years, the change in
percent; each narrative field as a unified diff, one sentence per line so that a changed sentence in a
long paragraph shows as that sentence; and the metadata that differ.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import layout as L
from .draft import _FIELD_NAMES as META_LABELS  # the one list of Chinese names of the metadata fields
from .model import Figure, Report

META_FIELDS = ("organ", "kind", "level", "year", "compiler", "contact", "title", "deadline", "sign_date")
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    col: str
    old: Figure
    new: Figure
    percent: Decimal | None = None  # across years only; None when the old figure is 0 or blank

    @property
    def name(self) -> str:
        return L.TABLE_BY_KEY[self.table].cell_name(self.row, self.col)

    @property
    def derived(self) -> bool:
        return L.TABLE_BY_KEY[self.table].is_derived(self.row, self.col)

    def describe(self) -> str:
        text = f"{self.name}：{shown(self.old)} → {shown(self.new)}"
        if self.percent is not None:
            text += f"（{self.percent:+}%）"
        return text


@dataclass(frozen=True)
class TextChange:
    key: str
    diff: tuple[str, ...]  # unified diff lines, without line ends

    @property
    def label(self) -> str:
        return L.TEXT_FIELD_BY_KEY[self.key].label


@dataclass(frozen=True)
class MetaChange:
    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return META_LABELS.get(self.field, self.field)

    def describe(self) -> str:
        return f"{self.label}：{shown(self.old)} → {shown(self.new)}"


@dataclass(frozen=True)
class Comparison:
    old: Report
    new: Report
    cells: tuple[CellChange, ...]
    texts: tuple[TextChange, ...]
    meta: tuple[MetaChange, ...]

    @property
    def across_years(self) -> bool:
        return self.old.meta.year != self.new.meta.year

    @property
    def identical(self) -> bool:
        return not (self.cells or self.texts or self.meta)


def compare(old: Report, new: Report) -> Comparison:
    across_years = old.meta.year != new.meta.year
    return Comparison(old, new, tuple(cell_changes(old, new, across_years)), tuple(text_changes(old, new)),
                      tuple(meta_changes(old, new)))


def cell_changes(old: Report, new: Report, with_percent: bool = True) -> list[CellChange]:
    out = []
    for layout in L.TABLES:
        before, after = old.table(layout.key).resolved(), new.table(layout.key).resolved()
        for g in sorted(layout.figure_positions.values(), key=lambda g: (g.row, g.col)):
            a, b = before[g.figure], after[g.figure]
            if a != b:  # 0 → blank is a change too: None != 0
                out.append(CellChange(layout.key, *g.figure, a, b, percent(a, b) if with_percent else None))
    return out


def percent(old: Figure, new: Figure) -> Decimal | None:
    """The change from old to new in percent, to one decimal; None when old is 0 or blank."""
    if not old or new is None:
        return None
    return (Decimal(new - old) * 100 / Decimal(old)).quantize(Decimal("0.1"))


def text_changes(old: Report, new: Report) -> list[TextChange]:
    out = []
    for f in L.TEXT_FIELDS:
        a, b = old.text(f.key), new.text(f.key)
        if a != b:
            diff = difflib.unified_diff(_sentences(a), _sentences(b), "原文", "新文", n=1, lineterm="")
            out.append(TextChange(f.key, tuple(diff)))
    return out


def _sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line.strip()) if s]


def meta_changes(old: Report, new: Report) -> list[MetaChange]:
    return [MetaChange(name, getattr(old.meta, name), getattr(new.meta, name)) for name in META_FIELDS
            if getattr(old.meta, name) != getattr(new.meta, name)]


def shown(value: Any) -> str:
    if value is None or value == "":
        return "空白"
    return str(getattr(value, "value", value))  # an enum shows its Chinese value


def describe(comparison: Comparison) -> list[str]:
    """The comparison as lines of Chinese text, for the command line and for a plain-text note."""
    c = comparison
    old, new = c.old.meta, c.new.meta
    lines = [f"对比：{old.display_title} → {new.display_title}"]
    if c.identical:
        return lines + ["两份报告内容相同。"]
    if c.meta:
        lines += ["", f"基本信息（{len(c.meta)} 处不同）："] + ["  " + m.describe() for m in c.meta]
    if c.cells:
        lines += ["", f"表格数字（{len(c.cells)} 处不同）："] + _cell_lines(c.cells)
    for t in c.texts:
        lines += ["", f"文字「{t.label}」："] + ["  " + d for d in t.diff]
    return lines


def _cell_lines(cells: tuple[CellChange, ...]) -> list[str]:
    """Each changed figure; blanks filled with 0 (or 0 cleared) are counted per table, not listed."""
    filled: dict[str, int] = {}
    lines = []
    for ch in cells:
        if not ch.old and not ch.new:  # blank ↔ 0: the same figure to a reader
            filled[ch.table] = filled.get(ch.table, 0) + 1
        else:
            lines.append("  " + ch.describe())
    lines += [f"  {L.TABLE_BY_KEY[t].name}另有 {n} 格在空白与 0 之间改动" for t, n in filled.items()]
    return lines
