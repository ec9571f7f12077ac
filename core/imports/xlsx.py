"""Read a report from an .xlsx: our exported workbook exactly, and the same tables filled in by hand.

The tables are found by their labels on any sheet (one sheet per table, or all three on one); values
typed as text, formulas already replaced by their values, merged cells and thousands separators are all
read. A workbook of ours carries the report in a hidden sheet: while its visible figures are still the
exported ones it is returned exactly; after hand edits the visible figures win.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from .. import layout as L
from .. import marker
from ..errors import ReportFileError
from ..model import Report
from ..normalize import FORMULA_MARK, fold
from ..export.xlsx import address
from . import safezip
from .builder import ReportBuilder
from .office import identify_table, load_marker, merge_hidden, plain_errors, starts_table
from .text import Line, read_lines

CHECK_SHEET = "自检"
MAX_ROWS = 2000  # a report's tables are some 50 rows; a sheet far larger is not one
MAX_COLUMNS = 60
MAX_SHEETS = 20  # a report workbook has three tables and a check sheet; 190 small sheets are not a report
MAX_MARKER_ROWS = 5000  # the hidden copy of our report: some hundreds of 32,000-character chunks at most
_UNIT_LINE = re.compile(r"填报单位[:：]\s*(?P<organ>.*?)\s*报告年度[:：]\s*(?P<year>\d{4})")


class XlsxImportError(ReportFileError):
    pass


def read_xlsx(path: str | Path) -> Report:
    path = Path(path)
    safezip.check(path, "xl/workbook.xml", "Excel 工作簿")
    with plain_errors(path, XlsxImportError, "Excel 工作簿"):
        values = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(str(path), read_only=True, data_only=False)
    try:
        with plain_errors(path, XlsxImportError):
            return _read(values, formulas, path.name)
    finally:
        values.close()
        formulas.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return fold(str(value)).replace("\n", "").strip()


def _read(wb, formulas, name: str) -> Report:
    recorded = None
    if marker.XLSX_SHEET in wb.sheetnames:
        ws = wb[marker.XLSX_SHEET]
        cells = [row[0] for row in ws.iter_rows(min_row=1, max_row=MAX_MARKER_ROWS, max_col=1, values_only=True)]
        if cells and cells[0] == marker.MARKER:
            recorded = load_marker("".join(str(c) for c in cells[1:] if c is not None))
    builder = ReportBuilder(source=name, source_format="xlsx")
    lines: list[Line] = []
    sheets = [s for s in wb.sheetnames if s not in (marker.XLSX_SHEET, CHECK_SHEET)]
    if len(sheets) > MAX_SHEETS:
        builder.unread(f"工作簿有 {len(sheets)} 个工作表，只读取了前 {MAX_SHEETS} 个（年度报告的表格只需三个）")
    for sheet in sheets[:MAX_SHEETS]:
        lines += _sheet_lines(wb[sheet], formulas[sheet], sheet, builder)
    if not any(ln.table for ln in lines):
        raise XlsxImportError(f"「{name}」中没有找到年度报告的统计表（按表格标签查找，如「{L.T3_APPLICANTS}」）")
    if recorded is not None and _figures_unchanged(wb, recorded):
        return recorded  # every figure cell still holds what was exported: exact
    report = read_lines(builder, lines)
    if recorded is None:
        return report
    return merge_hidden(report, recorded, "工作簿", texts_from_marker=True)


def _figures_unchanged(wb, recorded: Report) -> bool:
    """Whether each input cell, at the address our export put it, still holds the recorded figure."""
    for layout in L.TABLES:
        if layout.name not in wb.sheetnames:
            return False
        cells = {}
        for row in wb[layout.name].iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS):
            for c in row:
                if getattr(c, "coordinate", None) is not None and c.value is not None:
                    cells[c.coordinate] = c.value
        table = recorded.table(layout.key)
        for row, col in layout.inputs:
            if not _same(cells.get(address(layout, row, col)), table.get(row, col)):
                return False
    return True


def _same(value, figure) -> bool:
    if figure is None or value is None:
        return figure is None and value is None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    return Decimal(repr(value)) == Decimal(figure) if isinstance(value, float) else Decimal(value) == Decimal(figure)


def _sheet_lines(ws, formulas, sheet: str, builder: ReportBuilder) -> list[Line]:
    rows = []
    pairs = zip(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                formulas.iter_rows(values_only=True, max_col=MAX_COLUMNS))
    for r, (values, written) in enumerate(pairs, 1):
        if r > MAX_ROWS:
            builder.unread(f"工作表「{sheet}」超过 {MAX_ROWS} 行，其后的内容未读取")
            break
        rows.append([FORMULA_MARK if v is None and isinstance(w, str) and w.startswith("=") else _text(v)
                     for v, w in zip(values, written)])
    whole = "".join("".join(r) for r in rows)
    current = identify_table(whole) if not _several_tables(rows) else None
    lines: list[Line] = []
    for r, cells in enumerate(rows, 1):
        joined = "".join(cells)
        if not joined:
            continue
        unit = _UNIT_LINE.search(joined) if len(joined) <= 500 else None
        if unit and "title" not in builder.meta:
            builder.meta["title"] = f"{unit['organ']}{unit['year']}年{L.TITLE_SUFFIX}"
            builder.meta["organ"], builder.meta["year"] = unit["organ"], int(unit["year"])
            continue
        started = starts_table(joined)
        if started:
            current = started
        if current is None:
            continue
        lines.append(Line(f"工作表「{sheet}」第 {r} 行", "\t".join(cells), current, tuple(cells)))
    return _trimmed(lines)


def _trimmed(lines: list[Line]) -> list[Line]:
    """Rows cut to the columns their table spans, so trailing empty cells are blank figures, not padding."""
    extent: dict[str, int] = {}
    for ln in lines:
        used = max((i + 1 for i, c in enumerate(ln.cells) if c), default=0)
        extent[ln.table] = max(extent.get(ln.table, 0), used)
    return [Line(ln.where, ln.text, ln.table, ln.cells[:extent[ln.table]]) for ln in lines]


def _several_tables(rows) -> bool:
    return sum(1 for r in rows if starts_table("".join(r))) > 1
