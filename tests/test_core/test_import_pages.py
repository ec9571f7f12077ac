"""Rebuilding a report from positioned pages, as the PDF reader and the scan (OCR) reader hand them over."""

from __future__ import annotations

from core import layout as L
from core.imports.builder import ReportBuilder
from core.imports.pages import Page, Rule, Word
from core.imports.rebuild import page_lines, read_pages

COLS = L.T3_APPLICANT_COLUMNS


def _text(page: Page, x: float, y: float, text: str, confidence: float = 1.0) -> None:
    page.words.append(Word(x, y, x + 10 * len(text), y + 10, text, confidence))


def _grid(page: Page, xs, ys) -> None:
    for y in ys:
        page.rules.append(Rule(xs[0], y - 0.25, xs[-1], y + 0.25))
    for x in xs:
        page.rules.append(Rule(x - 0.25, ys[0], x + 0.25, ys[-1]))


XS = [50, 250, 290, 330, 370, 410, 450, 490, 530]  # label + 6 applicants + 总计


def _row(page: Page, y: float, label: str, figures, confidence=1.0) -> None:
    _text(page, 52, y + 3, label)
    for x, f in zip(XS[1:], figures):
        _text(page, x + 2, y + 3, str(f), confidence)


def _report_pages():
    one = Page(1, 595, 842)
    _text(one, 100, 40, "某某县民政局")
    _text(one, 100, 55, "2024年政府信息公开工作年度报告")
    _text(one, 60, 90, "三、收到和处理政府信息公开申请情况")
    ys = [120, 140, 160, 180]
    _grid(one, XS, ys)
    _text(one, 52, 123, "申请人情况")
    _row(one, 140, "一、本年新收政府信息公开申请数量", (7, 1, 0, 0, 0, 0, 8))
    _row(one, 160, "（二）部分公开（区分处理的，只计这一", (2, 0, 0, 0, 0, 0, 2))  # broken by the page
    _text(one, 290, 820, "— 1 —")
    two = Page(2, 595, 842)
    ys2 = [60, 80, 100, 120]
    _grid(two, XS, ys2)
    _text(two, 52, 63, "申请人情况")  # the header repeated on the new page
    _text(two, 52, 83, "情形，不计其他情形）")
    for x, f in zip(XS[1:], ("1", "", "", "", "", "", "1")):
        if f:
            _text(two, x + 2, 83, f)
    _row(two, 100, "四、结转下年度继续办理", (0, 1, 0, 0, 0, 0, 1), confidence=0.55)
    _text(two, 60, 140, "四、政府信息公开行政复议、行政诉讼情况")
    _text(two, 290, 820, "— 2 —")
    return [one, two]


def _t3(report, row):
    return tuple(report.table3.get(row, c) for c in COLS)


def test_a_row_broken_by_the_page_is_joined_cell_by_cell_and_the_repeated_header_dropped():
    report = read_pages(ReportBuilder(source="scan", source_format="scan"), _report_pages())
    assert report.meta.organ == "某某县民政局" and report.meta.year == 2024
    assert _t3(report, "new") == (7, 1, 0, 0, 0, 0)
    assert _t3(report, "partial") == (21, 0, 0, 0, 0, 0)  # 2 on page 1 and 1 on page 2 are one figure
    assert report.imported.stated["table3"]["partial"]["total"] == 21


def test_low_confidence_figures_are_read_and_noted_with_page_and_line():
    report = read_pages(ReportBuilder(source="scan", source_format="scan"), _report_pages())
    assert _t3(report, "carried_out") == (0, 1, 0, 0, 0, 0)
    doubtful = [n for n in report.imported.notes if "可信度" in n.message]
    assert doubtful and all("原文第 2 页" in n.message for n in doubtful)
    assert {n.location["row"] for n in doubtful} == {"carried_out"}


def test_page_numbers_are_dropped_and_lines_know_their_page():
    lines = page_lines(_report_pages())
    assert not any("— 1 —" in ln.text or "— 2 —" in ln.text for ln in lines)
    assert {ln.place[0] for ln in lines if ln.table == "table3"} == {1, 2}


def test_rows_without_ruling_lines_are_read_from_word_positions():
    page = Page(1, 595, 842)
    _text(page, 100, 40, "某某县民政局2024年政府信息公开工作年度报告")
    _text(page, 60, 90, "三、收到和处理政府信息公开申请情况")
    _row(page, 120, "一、本年新收政府信息公开申请数量", (3, 0, 0, 0, 0, 0, 3), confidence=0.6)
    _text(page, 60, 160, "四、政府信息公开行政复议、行政诉讼情况")
    report = read_pages(ReportBuilder(source="scan", source_format="scan"), [page])
    assert _t3(report, "new") == (3, 0, 0, 0, 0, 0)
    assert sum("可信度" in n.message for n in report.imported.notes) == 7


def test_narrative_lines_broken_inside_a_sentence_are_one_paragraph():
    page = Page(1, 595, 842)
    _text(page, 100, 40, "某某县民政局2024年政府信息公开工作年度报告")
    _text(page, 60, 90, "一、总体情况")
    for i, text in enumerate(("本年度共收到政府信息公开申请1", "8件，主要工作：一", "是加强组织领导。")):
        # the first two lines reach the right margin, the third ends the paragraph
        page.words.append(Word(80 if i == 0 else 60, 110 + 15 * i, 540 if i < 2 else 200, 120 + 15 * i, text))
    _text(page, 80, 160, "第二段另起一行。")
    report = read_pages(ReportBuilder(source="scan", source_format="scan"), [page])
    assert report.texts["overview"].split("\n") == ["本年度共收到政府信息公开申请18件，主要工作：一是加强组织领导。",
                                                    "第二段另起一行。"]


def test_a_scanned_pdf_goes_to_the_scan_reader_and_through_the_same_rebuilding(tmp_path, monkeypatch):
    import shutil
    import subprocess

    import pytest

    from core import files
    from core.imports import scan
    from tests.realdata import REAL

    if not shutil.which("pdftoppm") or not shutil.which("img2pdf"):  # poppler and img2pdf: Linux tools
        pytest.skip("pdftoppm and img2pdf are not installed")
    png = tmp_path / "page.png"
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(next((REAL / "pdf").glob("*.pdf"))),
                    str(tmp_path / "page")], check=True)
    pdf = tmp_path / "scan.pdf"
    subprocess.run(["img2pdf", str(png), "-o", str(pdf)], check=True)
    monkeypatch.setattr(scan, "component_available", lambda: True)
    monkeypatch.setattr(scan, "read_scan_pages", lambda path, **kw: _report_pages())
    report = files.read_report(pdf)
    assert report.imported.source_format == "scan"
    assert _t3(report, "partial") == (21, 0, 0, 0, 0, 0)
