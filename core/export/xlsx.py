"""Excel (.xlsx) workbook for units that do not have the program: the official tables, checking themselves.

One sheet per table in the official grid; input cells unlocked and validated, everything else locked;
totals are live formulas; table 三 marks a column red while 一 + 二 ≠ 三（七） + 四; a 自检 sheet lists
the findings at export time; a very hidden sheet carries the marker that lets the program read the
workbook back exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from copy import copy
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from lxml import etree

from .. import layout as L
from .. import marker
from ..atomic import write_atomic
from ..findings import Finding, describe_location
from ..model import Report
from ..rules import check
from ..version import __version__
from .docx import check_zip
from .document import Options, build_table, clean, em_width, published

ORIGIN = (3, 1)  # the grid's top-left cell (row, column): row 1 holds the heading, row 2 the unit
CHECK_SHEET = "自检"
FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
DERIVED_FILL = PatternFill("solid", fgColor="E8EEF8")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
ALARM_FILL = PatternFill("solid", fgColor="F9D4D4")
COLUMN_WIDTHS = {"table2": (22, 18, 18, 18), "table3": (8, 14, 36) + (10,) * 7, "table4": (8.5,) * 15}
# Narrow enough that LibreOffice, whose width unit is a quarter wider than Excel's, prints it at 8 pt or more.
CHECK_WIDTHS = (8, 13, 44, 22, 22, 15)
# Printing: A4 with 15 mm margins; a sheet is printed at a scale that fits its width (never below 80 %,
# so 10 pt text prints at 8 pt or more), landscape when portrait would need a smaller scale.
PAGE_MM = {"portrait": (210, 297), "landscape": (297, 210)}
PRINT_MARGIN_MM = 15
MIN_PRINT_SCALE = 80
FOOTER = "第 &P 页，共 &N 页"
APP_NAME = "政务公开年报助手"
REVIEW_RULES = frozenset({"REVIEW-COMMENT"})  # supervisors' comments: never in a published workbook
COUNT_FORMAT = "0"
FEE_FORMAT = "0.0000##"  # at least the 4 places most provinces print; more are shown, not rounded away


class _Looks:
    """One style record per look of a cell. Giving a cell Font, Border, … objects hashes each against the
    workbook's style lists, which took most of an export's time; the first cell of a look is styled the
    ordinary way and the cells after it share its record. Records belong to one workbook."""

    def __init__(self) -> None:
        self._records: dict[tuple, object] = {}

    def give(self, cell, key: tuple, style) -> None:
        key = (*key, cell.quotePrefix)  # put() may have marked the text: part of the record too
        record = self._records.get(key)
        if record is None:
            style(cell)
            self._records[key] = copy(cell._style)
        else:
            cell._style = copy(record)


def address(table: L.TableLayout, row: str, col: str) -> str:
    """The worksheet address of a figure cell, e.g. 'D4'."""
    g = table.figure_positions[(row, col)]
    return f"{get_column_letter(ORIGIN[1] + g.col)}{ORIGIN[0] + g.row}"


def write_xlsx(report: Report, path: str | Path, findings: list[Finding] | None = None,
               options: Options | None = None) -> Path:
    """Write the workbook atomically. It carries no comments, change history or reviewer names."""
    return write_atomic(path, xlsx_bytes(report, findings, options), check=check_zip)


def xlsx_bytes(report: Report, findings: list[Finding] | None = None, options: Options | None = None) -> bytes:
    options = options or Options()
    report = published(report)
    findings = check(report) if findings is None else findings
    findings = [f for f in findings if f.rule not in REVIEW_RULES]
    wb = Workbook()
    wb.remove(wb.active)
    cached: dict[str, dict[str, object]] = {}
    looks = _Looks()
    for table in L.TABLES:
        cached[table.name] = _table_sheet(wb, report, table, options, looks)
    _check_sheet(wb, report, findings, looks)
    _marker_sheet(wb, report)
    wb.active = 0
    props = wb.properties
    props.title = clean(report.meta.display_title)
    props.creator = clean(report.meta.organ) or APP_NAME
    props.lastModifiedBy = APP_NAME
    props.subject = "政府信息公开工作年度报告"
    props.language = "zh-CN"
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _with_cached_values(buffer.getvalue(), [s.title for s in wb.worksheets], cached)


def put(ws, row: int, col: int, value):
    """Write a cell; text is always text. A name or 说明 starting with ``=`` never becomes a formula
    (formula injection), characters no workbook can hold are dropped, and a leading ``= + - @`` is
    shown with Excel's text prefix so editing the cell keeps it text."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        value = clean(value)
        cell.value = value
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _bordered(cell) -> None:
    cell.border = BORDER


def _text_look(cell, role: str, left: bool) -> None:
    cell.border = BORDER
    cell.font = Font(name=FONT, size=10, bold=role == "header")
    cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
    if role != "label":
        cell.fill = HEADER_FILL


def _figure_look(cell, money: bool, derived: bool) -> None:
    cell.border = BORDER
    cell.font = Font(name=FONT, size=11)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    cell.number_format = FEE_FORMAT if money else COUNT_FORMAT
    if derived:
        cell.fill = DERIVED_FILL
    else:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL


def _table_sheet(wb: Workbook, report: Report, layout: L.TableLayout, options: Options,
                 looks: _Looks) -> dict[str, object]:
    """One official table; returns the value each formula cell must show (cached for viewers)."""
    ws = wb.create_sheet(layout.name)
    rows, cols = layout.grid_size
    r0, c0 = ORIGIN
    part = L.PART_BY_KEY[layout.part]
    put(ws, 1, 1, part.heading).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    put(ws, 2, 1, f"填报单位：{report.meta.organ}　　报告年度：{report.meta.year} 年").font = Font(name=FONT, size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=cols)
    for c, width in enumerate(COLUMN_WIDTHS[layout.key], start=c0):
        ws.column_dimensions[get_column_letter(c)].width = width

    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="数字不正确",
                            error="这里只能填写不小于 0 的整数（没有发生的请填 0）。",
                            showInputMessage=False)
    ws.add_data_validation(counts)
    printed = build_table(report, layout, options)
    by_position = {(c.row, c.col): c for c in printed.cells}
    resolved = report.table(layout.key).resolved()
    cached: dict[str, object] = {}
    for g in layout.grid:
        cell = ws.cell(r0 + g.row, c0 + g.col)
        if g.rowspan > 1 or g.colspan > 1:
            ws.merge_cells(start_row=r0 + g.row, start_column=c0 + g.col,
                           end_row=r0 + g.row + g.rowspan - 1, end_column=c0 + g.col + g.colspan - 1)
        for rr in range(g.rowspan):
            for cc in range(g.colspan):
                if rr or cc:
                    looks.give(ws.cell(r0 + g.row + rr, c0 + g.col + cc), ("border",), _bordered)
        if g.figure is None:
            put(ws, cell.row, cell.column, by_position[(g.row, g.col)].text)
            left = g.role == "label" and layout.key == "table3" and (g.col == 2 or g.colspan > 1)
            looks.give(cell, ("text", g.role, left), lambda c, role=g.role, left=left: _text_look(c, role, left))
            continue
        row_key, col_key = g.figure
        money = layout.kind(row_key, col_key) == "money"
        derived = layout.is_derived(row_key, col_key)
        looks.give(cell, ("figure", money, derived), lambda c, m=money, d=derived: _figure_look(c, m, d))
        if derived:
            cell.value = _sum_formula(layout, dict(layout.derivation)[(row_key, col_key)])
            total = resolved[g.figure]
            cached[cell.coordinate] = 0 if total is None else total  # what the spreadsheet computes
            continue
        cell.value = report.table(layout.key).get(row_key, col_key)
        if money:
            fee = DataValidation(type="custom", formula1=f"AND(ISNUMBER({cell.coordinate}),{cell.coordinate}>=0,"
                                 f"ROUND({cell.coordinate},4)={cell.coordinate})", allow_blank=True,
                                 showErrorMessage=True, errorTitle="金额不正确",
                                 error="请填写不小于 0 的金额，单位万元，最多 4 位小数。")
            ws.add_data_validation(fee)
            fee.add(cell.coordinate)
        else:
            counts.add(cell.coordinate)
    for r in range(rows):
        ws.row_dimensions[r0 + r].height = 30 if layout.key != "table3" or r >= layout.header_rows else 40
    if layout.key == "table3":
        _balance_alarm(ws, layout)
    ws.freeze_panes = ws.cell(r0 + layout.header_rows, c0 + (3 if layout.key == "table3" else 0))
    ws.protection.sheet = True  # no password: the lock prevents accidents, not edits on purpose
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(ws, COLUMN_WIDTHS[layout.key])
    ws.print_title_rows = f"{r0}:{r0 + max(layout.header_rows, 1) - 1}"
    return cached


def _print_setup(ws, widths) -> None:
    """A4, the orientation that prints the sheet's width with text at 8 pt or more, fitted to the page
    width, page numbers in the footer.

    "Fit to 1 page wide" is given with an explicit number of pages tall (one more than needed): LibreOffice
    reads "0 pages tall" as 1 and shrinks a long sheet onto a single page."""
    needed_mm = sum(w * 7 + 5 for w in widths) * 25.4 / 96  # Excel: a width unit is 7 px, plus padding
    orientation, scale = "landscape", 0
    for candidate in ("portrait", "landscape"):
        printable = PAGE_MM[candidate][0] - 2 * PRINT_MARGIN_MM
        fit = min(100, int(printable / needed_mm * 100))
        if fit > scale:
            orientation, scale = candidate, fit
        if fit >= MIN_PRINT_SCALE:
            orientation, scale = candidate, fit
            break
    # As many pages tall as the sheet has rows: the height never binds, so the width alone sets the scale
    # (an estimate from row heights misses wrapped 说明 and made LibreOffice print 自检 at 6.5 pt).
    pages_tall = ws.max_row + 1
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = orientation
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, pages_tall
    margin = PRINT_MARGIN_MM / 25.4
    ws.page_margins.left = ws.page_margins.right = margin
    ws.page_margins.top = ws.page_margins.bottom = margin + 0.15
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = FOOTER
        footer.center.size = 10  # 8 pt or more once fitted


def _sum_formula(layout: L.TableLayout, sources) -> str:
    cells = [layout.figure_positions[s] for s in sources]
    rows = {c.row for c in cells}
    cols = {c.col for c in cells}
    contiguous = (len(rows) == 1 and max(cols) - min(cols) + 1 == len(cells)) or \
                 (len(cols) == 1 and max(rows) - min(rows) + 1 == len(cells))
    if contiguous:
        return f"=SUM({address(layout, *sources[0])}:{address(layout, *sources[-1])})"
    return "=" + "+".join(address(layout, *s) for s in sources)


def _balance_alarm(ws, layout: L.TableLayout) -> None:
    """Red cells in every column where 一 + 二 ≠ 三（七） + 四, recomputed by the spreadsheet as it is edited."""
    first = layout.figure_positions[("new", "natural")]
    last = layout.figure_positions[("carried_out", "total")]
    top_left = f"{get_column_letter(ORIGIN[1] + first.col)}{ORIGIN[0] + first.row}"
    bottom_right = f"{get_column_letter(ORIGIN[1] + last.col)}{ORIGIN[0] + last.row}"
    col = get_column_letter(ORIGIN[1] + first.col)

    def ref(row: str) -> str:
        return f"{col}${ORIGIN[0] + layout.figure_positions[(row, 'natural')].row}"

    formula = f"({ref('new')}+{ref('carried_in')})<>({ref('total')}+{ref('carried_out')})"
    ws.conditional_formatting.add(f"{top_left}:{bottom_right}",
                                  FormulaRule(formula=[formula], fill=ALARM_FILL, stopIfTrue=False))
    note_row = ORIGIN[0] + layout.grid_size[0] + 1
    put(ws, note_row, 1, "红色底纹表示该列不满足“第一项加第二项之和，等于第三项加第四项之和”。").font = Font(
        name=FONT, size=10, color="8B1D15")


def _check_sheet(wb: Workbook, report: Report, findings: list[Finding], looks: _Looks) -> None:
    ws = wb.create_sheet(CHECK_SHEET)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    put(ws, 1, 1, f"{report.meta.display_title}　自检结果（导出时间：{stamp}）").font = Font(name=FONT, size=12,
                                                                                  bold=True)
    headers = ("严重程度", "规则", "问题", "位置", "填报单位的说明", "依据")
    for c, (text, width) in enumerate(zip(headers, CHECK_WIDTHS), start=1):
        cell = put(ws, 3, c, text)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, f in enumerate(findings, start=4):
        values = (f.severity.label, f.rule, f.message, _where(f), f.explanation or "", f.clause)
        ws.row_dimensions[r].height = _wrapped_height(values, CHECK_WIDTHS)
        for c, value in enumerate(values, start=1):
            red = f.severity.code == "error" and c == 1
            looks.give(put(ws, r, c, value), ("finding", red), lambda cell, red=red: _finding_look(cell, red))
    if not findings:
        put(ws, 4, 1, "没有发现问题。").font = Font(name=FONT, size=10)
    ws.freeze_panes = "A4"
    _print_setup(ws, CHECK_WIDTHS)
    ws.print_title_rows = "3:3"


def _finding_look(cell, red: bool) -> None:
    cell.font = Font(name=FONT, size=10, color="8B1D15" if red else None)
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    cell.border = BORDER


def _wrapped_height(values, widths, size: float = 10) -> float:
    """A row tall enough for its wrapped text (spreadsheets do not grow a row when the file is opened, so
    a row left at one line prints clipped). A width unit holds about half a Chinese character."""
    import math

    lines = 1
    for value, width in zip(values, widths):
        capacity = max(1.0, width / 2 - 1)
        cell = sum(max(1, math.ceil(em_width(part) / capacity)) for part in str(value).split("\n"))
        lines = max(lines, cell)
    return min(409.0, lines * (size + 3.5) + 4)  # 409 pt: the tallest row a spreadsheet allows


def _where(f: Finding) -> str:
    try:
        return describe_location(f.location)
    except (KeyError, TypeError):  # a location naming no table or field of the layout
        return ""


def _marker_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(marker.XLSX_SHEET)
    ws.sheet_state = "veryHidden"
    put(ws, 1, 1, marker.MARKER)
    ws["B1"] = marker.SCHEMA_VERSION
    put(ws, 1, 3, json.dumps({t.key: {"sheet": t.name, "row": ORIGIN[0], "column": ORIGIN[1]} for t in L.TABLES},
                             ensure_ascii=False))
    for i, chunk in enumerate(marker.chunks(report), start=2):
        put(ws, i, 1, chunk)  # a chunk may begin with "=": it must stay text, or the read-back loses it


# -- cached values and properties, written into the saved package ------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _with_cached_values(data: bytes, sheet_titles: list[str], cached: dict[str, dict[str, object]]) -> bytes:
    """openpyxl writes formulas with an empty value; viewers that do not recalculate (previews, phones,
    some WPS modes) would show blank totals. Fill in each formula's value as the core computed it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) <= len(sheet_titles):
                values = cached.get(sheet_titles[int(match.group(1)) - 1])
                if values:
                    content = _fill_values(content, values)
            elif info.filename == "docProps/app.xml":
                content = _app_properties()
            target.writestr(info, content)
    return out.getvalue()


def _fill_values(content: bytes, values: dict[str, object]) -> bytes:
    root = etree.fromstring(content)
    for c in root.iter(f"{{{_MAIN}}}c"):
        if c.find(f"{{{_MAIN}}}f") is None or c.get("r") not in values:
            continue
        v = c.find(f"{{{_MAIN}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{_MAIN}}}v")
        value = values[c.get("r")]
        v.text = format(value, "f") if isinstance(value, Decimal) else str(value)
        c.attrib.pop("t", None)  # a number
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _app_properties() -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = f"{APP_NAME} {__version__}"
    etree.SubElement(root, f"{{{ns}}}DocSecurity").text = "0"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
