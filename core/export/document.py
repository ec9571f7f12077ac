"""The printed report as a renderer-neutral structure: the Word writer and the Qt printer draw this.

One layout definition, two renderers: what appears, in which order, with which style role, and every
table cell with its span, is decided here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Union

from .. import layout as L
from ..findings import Finding, Severity
from ..model import Report
from ..rules import check

Style = Literal["title", "heading1", "heading2", "body", "closing"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: Literal["header", "label", "note", "figure", "derived"] = "label"


@dataclass(frozen=True)
class Table:
    layout: L.TableLayout
    cells: tuple[Cell, ...]
    rows: int
    cols: int
    header_rows: int


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    organ: str
    draft_note: str | None = None  # printed on every page of a draft export
    keywords: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Options:
    """Choices a province or a clerk may make about the printed form."""

    fee_header_places: bool = False  # 「本年收费金额（单位：万元，保留4位小数）」 instead of the official header
    draft: bool = False


def blocking_findings(report: Report, previous: Report | None = None) -> list[Finding]:
    """The 错误 that stop a final export (a draft export is still possible)."""
    return [f for f in check(report, previous) if f.severity is Severity.ERROR]


def format_figure(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def paragraphs(text: str, style: Style = "body") -> list[Paragraph]:
    return [Paragraph(line.strip(), style) for line in text.splitlines() if line.strip()]


def build_table(report: Report, layout: L.TableLayout, options: Options = Options()) -> Table:
    figures = report.table(layout.key).resolved()
    cells = []
    for g in layout.grid:
        if g.figure is not None:
            role = "derived" if layout.is_derived(*g.figure) else "figure"
            text = format_figure(figures[g.figure])
        else:
            role = g.role
            text = g.text
            if options.fee_header_places and layout.key == "table2" and g.text == layout.column_by_key["amount"].label:
                text = L.T2_FEE_HEADER_PLACES
        cells.append(Cell(g.row, g.col, text, g.rowspan, g.colspan, role))
    rows, cols = layout.grid_size
    return Table(layout, tuple(cells), rows, cols, layout.header_rows)


def closing_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # GB/T 9704: no leading zeros


def build(report: Report, options: Options = Options(), errors: int | None = None) -> Document:
    """The report as it is printed."""
    blocks: list[Block] = []
    texts = report.texts
    for part in L.PARTS:
        blocks.append(Paragraph(part.heading, "heading1"))
        if part.key == "overview":
            blocks += paragraphs(texts.get("overview", ""))
            for topic in L.TOPICS:
                body = texts.get("overview." + topic.key, "")
                if body.strip():
                    blocks.append(Paragraph(topic.heading, "heading2"))
                    blocks += paragraphs(body)
            continue
        blocks += paragraphs(texts.get(part.key, ""))
        table = L.TABLE_BY_PART.get(part.key)
        if table is not None:
            blocks.append(build_table(report, table, options))
    meta = report.meta
    if meta.sign_date is not None:
        blocks.append(Paragraph(meta.organ, "closing"))
        blocks.append(Paragraph(closing_date(meta.sign_date), "closing"))
    note = None
    if options.draft:
        count = len(blocking_findings(report)) if errors is None else errors
        note = "征求意见稿" + (f"（尚有 {count} 处错误未改正）" if count else "")
    return Document(title=meta.display_title, blocks=tuple(blocks), organ=meta.organ, draft_note=note)
