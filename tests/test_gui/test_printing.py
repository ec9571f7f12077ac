"""PDF and print through Qt: the same document as the Word export, paginated to the GB/T 9704 block."""

from __future__ import annotations

import unicodedata

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from core import layout as L
from core.export import Options
from core.normalize import fold
from gui.printing import render, write_pdf
from tests.factories import filled_report, sample
from core.imports.text import read_text_file
from tests.office import needs_pdftotext, pdf_pages, pdf_text


def text_of(path) -> str:
    # Qt's PDF text layer may map CJK glyphs to radical code points; fold them as a reader's copy would.
    return unicodedata.normalize("NFKC", fold(pdf_text(path)))


@needs_pdftotext
def test_pdf_has_the_expected_pages_and_text(app, tmp_path):
    report = read_text_file(sample("001"))
    path = write_pdf(report, tmp_path / "r.pdf")
    pages = pdf_pages(path)
    assert 5 <= pages <= 7
    text = text_of(path)
    squeezed = "".join(text.split())
    assert report.meta.standard_title in squeezed
    positions = [squeezed.index(unicodedata.normalize("NFKC", p.heading)) for p in L.PARTS]
    assert positions == sorted(positions)  # the six parts in order
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "未经复议直接起诉", "行政规范性文件", "门户网站"):
        assert unicodedata.normalize("NFKC", label) in squeezed
    for n in range(1, pages + 1):
        assert f"—{n}—" in squeezed  # every page numbered
    assert "征求意见稿" not in squeezed


@needs_pdftotext
def test_table_header_repeats_on_the_next_page(app, tmp_path):
    path = write_pdf(read_text_file(sample("001")), tmp_path / "r.pdf")
    squeezed = "".join(text_of(path).split())
    assert squeezed.count("申请人情况") >= 2  # table 三 crosses a page and its header comes again


@needs_pdftotext
def test_draft_pdf_is_marked(app, tmp_path):
    report = read_text_file(sample("000"))  # tables 三 and 四 missing
    path = write_pdf(report, tmp_path / "d.pdf", draft=True, errors=2)
    squeezed = "".join(text_of(path).split())
    assert squeezed.count("征求意见稿(尚有2处错误未改正)") == pdf_pages(path)


def test_printer_renders_the_same_pages(app, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = render(printer, filled_report(), Options())
    assert pages >= 3 and (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_export_actions_in_the_window(window, tmp_path, monkeypatch):
    for kind in ("docx", "xlsx", "pdf"):
        target = tmp_path / f"out.{kind}"
        assert window.export(kind, target) == target and target.stat().st_size > 5_000


def test_final_export_refused_while_errors_remain(window, tmp_path, monkeypatch):
    import gui.dialogs

    window.document.set_cell("table3", "granted", "natural", 1)  # T3-BALANCE, a 错误
    asked = []
    monkeypatch.setattr(gui.dialogs, "ask_draft", lambda parent, title, text: asked.append(text))
    assert window.export("docx", tmp_path / "x.docx") is None
    assert not (tmp_path / "x.docx").exists()
    assert "1 处错误" in asked[0] and "自然人列" in asked[0]
    monkeypatch.setattr(gui.dialogs, "ask_draft", lambda parent, title, text: True)
    path = window.export("docx", tmp_path / "y.docx")
    from docx import Document

    assert Document(str(path)).sections[0].header.paragraphs[0].text.startswith("征求意见稿")


def test_export_asks_where_with_a_sensible_name(window, tmp_path, monkeypatch):
    seen = {}

    def save_name(parent, title, suggested, pattern):
        seen["suggested"] = suggested
        return str(tmp_path / "选择的名字"), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    path = window.export("xlsx")
    assert path == tmp_path / "选择的名字.xlsx" and path.exists()
    assert seen["suggested"].endswith("某某县交通运输局2025年政府信息公开工作年度报告.xlsx")
