"""Excel (.xlsx) workbook for units that do not have the program: the official tables, checking themselves.

One sheet per table in the official grid; input cells unlocked and validated, everything else locked;
totals are live formulas; table 三 marks a column red while 一 + 二 ≠ 三（七） + 四; a 自检 sheet lists
the findings at export time; a very hidden sheet carries the marker that lets the program read the
workbook back exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import layout as L
from .. import marker
from ..findings import Finding, describe_location
from ..model import Report
from ..rules import check
from .document import Options, build_table

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
COUNT_FORMAT = "0"
FEE_FORMAT = "0.0000##"  # at least the 4 places most provinces print; more are shown, not rounded away


def address(table: L.TableLayout, row: str, col: str) -> str:
    """The worksheet address of a figure cell, e.g. 'D4'."""
    g = table.figure_positions[(row, col)]
    return f"{get_column_letter(ORIGIN[1] + g.col)}{ORIGIN[0] + g.row}"


def write_xlsx(report: Report, path: str | Path, findings: list[Finding] | None = None,
               options: Options | None = None) -> Path:
    options = options or Options()
    findings = check(report) if findings is None else findings
    wb = Workbook()
    wb.remove(wb.active)
    for table in L.TABLES:
        _table_sheet(wb, report, table, options)
    _check_sheet(wb, report, findings)
    _marker_sheet(wb, report)
    wb.active = 0
    props = wb.properties
    props.title = report.meta.display_title
    props.creator = report.meta.organ or "政务公开年报助手"
    props.subject = "政府信息公开工作年度报告"
    path = Path(path)
    wb.save(str(path))
    return path


def _table_sheet(wb: Workbook, report: Report, layout: L.TableLayout, options: Options) -> None:
    ws = wb.create_sheet(layout.name)
    rows, cols = layout.grid_size
    r0, c0 = ORIGIN
    part = L.PART_BY_KEY[layout.part]
    ws.cell(1, 1, part.heading).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    ws.cell(2, 1, f"填报单位：{report.meta.organ}　　报告年度：{report.meta.year} 年").font = Font(name=FONT, size=10)
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
    for g in layout.grid:
        cell = ws.cell(r0 + g.row, c0 + g.col)
        if g.rowspan > 1 or g.colspan > 1:
            ws.merge_cells(start_row=r0 + g.row, start_column=c0 + g.col,
                           end_row=r0 + g.row + g.rowspan - 1, end_column=c0 + g.col + g.colspan - 1)
        for rr in range(g.rowspan):
            for cc in range(g.colspan):
                ws.cell(r0 + g.row + rr, c0 + g.col + cc).border = BORDER
        if g.figure is None:
            cell.value = by_position[(g.row, g.col)].text
            cell.font = Font(name=FONT, size=10, bold=g.role == "header")
            left = g.role == "label" and layout.key == "table3" and (g.col == 2 or g.colspan > 1)
            cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
            if g.role != "label":
                cell.fill = HEADER_FILL
            continue
        row_key, col_key = g.figure
        cell.font = Font(name=FONT, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        money = layout.kind(row_key, col_key) == "money"
        cell.number_format = FEE_FORMAT if money else COUNT_FORMAT
        if layout.is_derived(row_key, col_key):
            cell.value = _sum_formula(layout, dict(layout.derivation)[(row_key, col_key)])
            cell.fill = DERIVED_FILL
            continue
        value = report.table(layout.key).get(row_key, col_key)
        cell.value = value
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
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
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if layout.key == "table4" else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{r0}:{r0 + max(layout.header_rows, 1) - 1}"


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
    ws.cell(note_row, 1, "红色底纹表示该列不满足“第一项加第二项之和，等于第三项加第四项之和”。").font = Font(
        name=FONT, size=9, color="8B1D15")


def _check_sheet(wb: Workbook, report: Report, findings: list[Finding]) -> None:
    ws = wb.create_sheet(CHECK_SHEET)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    ws.cell(1, 1, f"{report.meta.display_title}　自检结果（导出时间：{stamp}）").font = Font(name=FONT, size=12,
                                                                                     bold=True)
    headers = ("严重程度", "规则", "问题", "位置", "填报单位的说明", "依据")
    widths = (10, 16, 70, 36, 36, 30)
    for c, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(3, c, text)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, f in enumerate(findings, start=4):
        values = (f.severity.label, f.rule, f.message, describe_location(f.location), f.explanation or "", f.clause)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.font = Font(name=FONT, size=10, color="8B1D15" if f.severity.code == "error" and c == 1 else None)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BORDER
    if not findings:
        ws.cell(4, 1, "没有发现问题。").font = Font(name=FONT, size=10)
    ws.freeze_panes = "A4"


def _marker_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(marker.XLSX_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"] = marker.MARKER
    ws["B1"] = marker.SCHEMA_VERSION
    ws["C1"] = json.dumps({t.key: {"sheet": t.name, "row": ORIGIN[0], "column": ORIGIN[1]} for t in L.TABLES},
                          ensure_ascii=False)
    for i, chunk in enumerate(marker.chunks(report), start=2):
        ws.cell(i, 1, chunk)
