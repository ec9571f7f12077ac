"""Reading Word and Excel: exact round trips of our exports, hand-made templates, edited exports."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from core import files, marker
from core.export.document import published
from core.imports.docx import read_docx
from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.model import Level, OrganKind
from core.rules import check
from core.imports.text import read_text_file
from core.imports.xlsx import XlsxImportError, read_xlsx
from tests.factories import DATA, FAR_FROM_DEADLINE, filled_report, reports, sample

HANDMADE = DATA / "handmade" / "template.docx"
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


@SLOW
@given(reports())
def test_random_reports_round_trip_through_word(tmp_path, report):
    path = write_docx(report, tmp_path / "r.docx")
    assert read_docx(path) == published(report)  # a published file carries no review material


@SLOW
@given(reports())
def test_random_reports_round_trip_through_excel(tmp_path, report):
    path = write_xlsx(report, tmp_path / "r.xlsx")
    assert read_xlsx(path) == published(report)


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_each_sample_text_to_word_and_back(prefix, tmp_path):
    report = read_text_file(sample(prefix))
    assert read_docx(write_docx(report, tmp_path / "s.docx")) == published(report)
    assert read_xlsx(write_xlsx(report, tmp_path / "s.xlsx")) == published(report)


def _without_marker(src, dst, member_filter):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            data = member_filter(item.filename, data)
            if data is not None:
                zout.writestr(item, data)
    return dst


def test_our_word_export_reads_by_its_labels_without_the_marker(tmp_path):
    report = read_text_file(sample("001"))

    def drop(name, data):
        if name == marker.DOCX_PART.lstrip("/"):
            return None
        if name == "word/_rels/document.xml.rels":  # an editor that drops parts it does not know
            return re.sub(rb"<Relationship [^>]*" + re.escape(marker.DOCX_REL_TYPE.encode()) + rb"[^>]*/>", b"", data)
        return data

    plain = _without_marker(write_docx(report, tmp_path / "a.docx"), tmp_path / "b.docx", drop)
    read = read_docx(plain)
    for key in ("table2", "table3", "table4"):
        assert read.table(key) == report.table(key)
    assert read.texts == report.texts
    assert (read.meta.organ, read.meta.year) == ("济源市人民政府办公室", 2022)


def test_word_export_edited_by_hand_reads_what_it_shows(tmp_path):
    report = filled_report()
    report.meta.kind, report.meta.level = OrganKind.GOVERNMENT, Level.COUNTY
    path = write_docx(report, tmp_path / "a.docx")
    document = docx.Document(str(path))
    cell = document.tables[1]._cells[3 * 10 + 4]  # 一、新收 / 商业企业
    cell.paragraphs[0].runs[0].text = "5"
    document.save(str(tmp_path / "edited.docx"))
    read = read_docx(tmp_path / "edited.docx")
    assert read.table3.get("new", "business") == 5
    assert read.meta.kind is OrganKind.GOVERNMENT  # from the marker: the page does not show it
    rules = {f.rule for f in check(read, today=FAR_FROM_DEADLINE)}
    assert {"T3-BALANCE", "T3-ROWSUM"} <= rules  # the printed 总计 18 no longer adds up
    assert any("导出后被修改过" in n.message for n in read.imported.notes)


def test_handmade_template_from_libreoffice():
    report = read_docx(HANDMADE)
    assert (report.meta.organ, report.meta.year) == ("某某县自然资源局", 2025)
    t2, t3, t4 = report.table2, report.table3, report.table4
    assert [t2.get("normative", c) for c in ("issued", "repealed", "in_force")] == [2, 1, 35]  # ３５ full width
    assert t2.get("licensing", "decisions") == 1234  # 1,234
    assert t2.get("fees", "amount") == Decimal("12.3456")
    assert t2.get("enforcement", "decisions") is None  # 「—」 read as blank
    assert [t3.get("new", c) for c in ("natural", "business", "legal_services", "total")] == [1200, 30, 13, 1243]
    assert t3.get("granted", "research") is None  # the blank cell
    assert t3.get("withheld.third_party", "natural") == 20  # under the merged 「（三）  不予公开」
    assert t3.get("carried_out", "natural") == 5
    assert [t4.get("reconsideration", c) for c in ("upheld", "corrected", "total")] == [2, 1, 3]
    assert t4.get("litigation_direct", "pending") == 1
    assert report.texts["overview.proactive"] == "全年主动公开政府信息 512 条。"
    assert report.texts["other"] == "本年度未收取信息处理费。"
    findings = check(report, today=FAR_FROM_DEADLINE)
    blanks = sorted((f.location.table, f.location.row, f.location.column) for f in findings if f.rule == "CELL-BLANK")
    assert blanks == [("table2", "enforcement", "decisions"), ("table3", "granted", "research")]
    assert not [f for f in findings if f.severity.code == "error"]


def test_excel_filled_by_hand_values_as_text_and_formulas_replaced(tmp_path):
    report = filled_report()
    path = write_xlsx(report, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["表三"]
    ws["E8"] = "3"  # 予以公开 / 商业企业 typed as text
    ws["E6"] = "3"
    ws["J6"] = 21  # a total typed as a value instead of the formula
    del wb[marker.XLSX_SHEET]
    wb.save(tmp_path / "b.xlsx")
    read = read_xlsx(tmp_path / "b.xlsx")
    assert read.table3.get("granted", "business") == 3 and read.table3.get("new", "business") == 3
    assert read.imported.stated["table3"]["new"]["total"] == 21
    assert (read.meta.organ, read.meta.year) == ("某某县交通运输局", 2025)  # from the 填报单位 line
    errors = {f.rule for f in check(read, today=FAR_FROM_DEADLINE) if f.severity.code == "error"}
    assert errors == {"TXT-MISSING"}  # a workbook holds the tables only: the narrative is still to be written


def test_excel_edited_keeps_the_narrative_from_the_marker(tmp_path):
    report = filled_report()
    wb = openpyxl.load_workbook(write_xlsx(report, tmp_path / "a.xlsx"))
    wb["表二"]["B12"] = 40  # 行政处罚
    wb.save(tmp_path / "b.xlsx")
    read = read_xlsx(tmp_path / "b.xlsx")
    assert read.table2.get("penalty", "decisions") == 40
    assert read.texts == report.texts
    assert any("导出后被修改过" in n.message for n in read.imported.notes)


def test_all_three_tables_on_one_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    source = openpyxl.load_workbook(write_xlsx(filled_report(), tmp_path / "a.xlsx"))
    row = 1
    for name in ("表二", "表三", "表四"):
        for values in source[name].iter_rows(min_row=3, values_only=True):
            for c, v in enumerate(values, 1):
                ws.cell(row, c, v if not (isinstance(v, str) and v.startswith("=")) else None)
            row += 1
        row += 2
    wb.save(tmp_path / "one.xlsx")
    read = read_xlsx(tmp_path / "one.xlsx")
    report = filled_report()
    for key in ("table2", "table3", "table4"):
        assert read.table(key) == report.table(key)


def test_workbook_without_tables_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "工资表"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(XlsxImportError, match="没有找到年度报告的统计表"):
        read_xlsx(tmp_path / "x.xlsx")


def test_open_and_check_by_extension(tmp_path):
    shutil.copy(HANDMADE, tmp_path / "单位.docx")
    assert files.read_report(tmp_path / "单位.docx").meta.organ == "某某县自然资源局"
    assert "*.docx" in files.open_filter() and "*.xlsx" in files.open_filter()
