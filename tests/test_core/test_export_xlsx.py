"""The Excel workbook: formulas recalculated by a real spreadsheet engine, locks, validation, markers."""

from __future__ import annotations

import json

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from core import layout as L
from core import marker
from core.export.xlsx import CHECK_SHEET, ORIGIN, address, write_xlsx
from core.model import Report
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE, filled_report
from tests.office import convert, needs_soffice


@pytest.fixture
def report():
    r = filled_report()
    r.table3.set("granted", "business", 3)
    r.table3.set("new", "business", 3)
    r.table3.set("not_processed.repeat", "other_org", 4)  # unbalances 其他 on purpose
    r.table2.set("fees", "amount", "12.5")
    r.table2.set("normative", "in_force", 1)  # a 提示 the clerk explains
    return r


@pytest.fixture
def path(report, tmp_path):
    findings = check(report, today=FAR_FROM_DEADLINE)
    t2_valid = next(f for f in findings if f.rule == "T2-VALID")
    report.explanations[t2_valid.key] = "年内集中清理后失效 20 件"
    return write_xlsx(report, tmp_path / "报告.xlsx", check(report, today=FAR_FROM_DEADLINE))


@needs_soffice
def test_formulas_recalculated_by_libreoffice_equal_the_core_totals(report, path, tmp_path):
    recalculated = convert(path, "xlsx", tmp_path / "out")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    for layout in L.TABLES:
        ws = wb[layout.name]
        figures = report.table(layout.key).resolved()
        for (row, col), value in figures.items():
            if layout.is_derived(row, col):
                assert ws[address(layout, row, col)].value == value, (layout.name, row, col)


def test_totals_are_formulas_and_inputs_are_values(report, path):
    ws = openpyxl.load_workbook(path)["表三"]
    assert ws[address(L.TABLE3, "new", "total")].value == f"=SUM({address(L.TABLE3, 'new', 'natural')}:" \
                                                          f"{address(L.TABLE3, 'new', 'other_org')})"
    assert ws[address(L.TABLE3, "new", "natural")].value == 16
    assert str(ws[address(L.TABLE3, "total", "business")].value).startswith("=SUM(")


def test_inputs_unlocked_everything_else_locked(path):
    wb = openpyxl.load_workbook(path)
    for layout in L.TABLES:
        ws = wb[layout.name]
        assert ws.protection.sheet
        for g in layout.grid:
            cell = ws.cell(ORIGIN[0] + g.row, ORIGIN[1] + g.col)
            is_input = g.figure is not None and g.figure in layout.inputs
            assert cell.protection.locked is (not is_input), (layout.name, g)


def test_validation_whole_numbers_and_fee_places(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["表三"]
    validations = ws.data_validations.dataValidation
    whole = next(v for v in validations if v.type == "whole")
    assert whole.operator == "greaterThanOrEqual" and whole.formula1 == "0"
    covered = set()
    for rng in whole.sqref.ranges:
        covered |= {f"{get_column_letter(c)}{r}" for r, c in CellRange(rng.coord).cells}
    assert {address(L.TABLE3, r, c) for r, c in L.TABLE3.inputs} <= covered
    fee = next(v for v in wb["表二"].data_validations.dataValidation if v.type == "custom")
    cell = address(L.TABLE2, "fees", "amount")
    assert f"ROUND({cell},4)={cell}" in fee.formula1 and str(fee.sqref) == cell


def test_unbalanced_column_is_marked(path):
    ws = openpyxl.load_workbook(path)["表三"]
    [(ranges, rules)] = [(r.sqref, r.rules) for r in ws.conditional_formatting]
    assert str(ranges) == f"{address(L.TABLE3, 'new', 'natural')}:{address(L.TABLE3, 'carried_out', 'total')}"
    assert rules[0].formula == ["(D$6+D$7)<>(D$29+D$30)"]


def test_check_sheet_lists_findings_with_explanations(report, path):
    ws = openpyxl.load_workbook(path)[CHECK_SHEET]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    by_rule = {r[1]: r for r in rows}
    assert by_rule["T3-BALANCE"][0] == "错误" and "其他列" in by_rule["T3-BALANCE"][2]
    assert by_rule["T2-VALID"][4] == "年内集中清理后失效 20 件"


def test_explanation_like_a_formula_stays_text_beside_plain_ones(report, tmp_path):
    """Cells of one look share a style record; the text prefix of a 说明 starting with = is part of it,
    so it must neither be lost nor spread to the plain cells styled after it."""
    findings = check(report, today=FAR_FROM_DEADLINE)
    warned = list({f.key: f for f in findings if f.severity.code != "error"}.values())
    assert len(warned) >= 2
    report.explanations[warned[0].key] = "=1+1 是原文写法"
    report.explanations[warned[1].key] = "情况属实"
    findings = check(report, today=FAR_FROM_DEADLINE)  # now carrying the explanations
    ws = openpyxl.load_workbook(write_xlsx(report, tmp_path / "报告.xlsx", findings))[CHECK_SHEET]
    cells = {ws.cell(r, 5).value: ws.cell(r, 5) for r in range(4, ws.max_row + 1)}
    formula_like, plain = cells["=1+1 是原文写法"], cells["情况属实"]
    assert formula_like.data_type == "s" and formula_like.quotePrefix
    assert not plain.quotePrefix
    assert repr(formula_like.font) == repr(plain.font) and repr(formula_like.border) == repr(plain.border)


def test_hidden_marker_reads_back_the_report(report, path):
    wb = openpyxl.load_workbook(path)
    ws = wb[marker.XLSX_SHEET]
    assert ws.sheet_state == "veryHidden"
    assert ws["A1"].value == marker.MARKER and ws["B1"].value == marker.SCHEMA_VERSION
    assert json.loads(ws["C1"].value)["table3"] == {"sheet": "表三", "row": ORIGIN[0], "column": ORIGIN[1]}
    payload = "".join(ws.cell(r, 1).value for r in range(2, ws.max_row + 1))
    assert Report.model_validate(json.loads(payload)["report"]) == report


def test_labels_are_the_official_grid(path):
    ws = openpyxl.load_workbook(path)["表三"]
    for g in L.TABLE3.grid:
        if g.figure is None:
            assert ws.cell(ORIGIN[0] + g.row, ORIGIN[1] + g.col).value == g.text
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert "A8:A29" in merged  # 三、本年度办理结果 spans the 22 outcome rows


@needs_soffice
def test_libreoffice_prints_every_sheet_legibly(tmp_path):
    """表三 landscape at 8 pt or more, 自检 fitted to the page width (all six columns on one page, never
    clipped), page numbers on every page; read back from LibreOffice's PDF with PDFium's font sizes."""
    import pypdfium2
    import pypdfium2.raw as raw

    from tests.factories import county_scale

    r = county_scale(filled_report(), 7)
    r.table3.set("granted", "natural", 1)  # a 错误 and several warnings fill the 自检 sheet
    pdf = convert(write_xlsx(r, tmp_path / "county.xlsx"), "pdf", tmp_path)
    doc = pypdfium2.PdfDocument(str(pdf))
    pages = []
    for i in range(len(doc)):
        text_page = doc[i].get_textpage()
        text = text_page.get_text_range()
        sizes = [raw.FPDFText_GetFontSize(text_page, k) for k in range(text_page.count_chars()) if not text[k].isspace()]
        width, height = doc[i].get_size()
        pages.append(("".join(text.split()), min(sizes), width > height))
    assert len(pages) >= 4
    for n, (text, smallest, _) in enumerate(pages, start=1):
        assert f"第{n}页，共{len(pages)}页" in text
        assert smallest >= 8.0, (n, smallest, text[:40])
    t3 = [p for p in pages if "申请人情况" in p[0]]
    assert t3 and all(landscape for _, _, landscape in t3)
    check_page = next(p for p in pages if "严重程度" in p[0])
    assert "依据" in check_page[0] and "填报单位的说明" in check_page[0]  # the whole width on one page
