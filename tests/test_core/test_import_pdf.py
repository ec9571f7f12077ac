"""PDF with a text layer: the corpus reports printed to PDF, our own exports printed to PDF, damaged PDFs, scans."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from core import files
from core.errors import ReportFileError
from core.imports.pdf import MAX_PAGES, PdfImportError, ScannedPdfError, has_text_layer, pdf_pages, read_pdf
from core.imports.rebuild import page_lines
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE
from tests.office import SOFFICE, convert, needs_soffice
from tests.realdata import REAL, compare, truth
from tests.roundtrip import figure_differences, own_reports

ENTRIES = truth()
IDS = [e["file"].split("_")[1] for e in ENTRIES]
# LibreOffice printed this page's 15-column 表四 wider than A4: its last column (a printed 总计) is cut off.
CLIPPED = {"pingtan_spp_2025_104740.html": [("table4", "litigation_after", "total", 0)]}


def corpus_pdf(entry) -> Path:
    return REAL / "pdf" / entry["file"].replace(".html", ".pdf")


@pytest.fixture(scope="module")
def corpus():
    return {e["file"]: read_pdf(corpus_pdf(e)) for e in ENTRIES}


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_figure_of_the_corpus_printed_to_pdf(corpus, entry):
    report = corpus[entry["file"]]
    tally = compare(report, entry)
    assert tally.wrong == [] and tally.missed == CLIPPED.get(entry["file"], [])
    assert report.meta.organ == entry["organ"] and report.meta.year == entry["year"]


def test_title_over_two_lines_gives_organ_and_year_with_a_note(corpus):
    report = corpus["pingtan_zrz_2023_86684.html"]
    assert report.meta.organ == "平潭综合实验区自然资源与生态环境局" and report.meta.year == 2023
    assert any("标题分 2 行书写" in n.message and "第 1 页" in n.message for n in report.imported.notes)


def test_no_errors_beyond_the_printed_defects(corpus):
    for entry in ENTRIES:
        if any(d.startswith("source arithmetic") for d in entry["defects"]):
            continue
        errors = [f for f in check(corpus[entry["file"]], today=FAR_FROM_DEADLINE) if f.severity.code == "error"]
        assert errors == [], entry["file"]


def test_narrative_is_reflowed_and_notes_name_page_and_line(corpus):
    report = corpus["pingtan_jjf_2022_86658.html"]
    # a paragraph that wraps over several PDF lines is one paragraph with no break inside a sentence
    overview = report.texts["overview"]
    assert "根据《中华人民共和国政府信息公开条例》《福建省政府信息公开办法》" in overview
    assert all(line.endswith(("。", "；", "：", "）")) or len(line) < 40 for line in overview.splitlines())
    notes = [n.message for n in report.imported.notes if n.rule == "IMPORT-LABEL"]
    assert notes and all("原文第" in m and "页第" in m for m in notes)


def test_table_rows_know_their_page_and_line(corpus):
    pages = pdf_pages(corpus_pdf(ENTRIES[0]))
    rows = [ln for ln in page_lines(pages) if ln.table == "table3"]
    assert {ln.place[0] for ln in rows} >= {2, 3}  # 表三 runs over pages
    assert all(ln.place[1] >= 1 for ln in rows)


# -- our own reports, printed ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    return own_reports()


@needs_soffice
def test_our_word_export_printed_by_libreoffice_reads_back_exactly(own, tmp_path_factory):
    from core.export.docx import write_docx

    out = tmp_path_factory.mktemp("lo")
    for name, report in own.items():
        docx = out / f"{name}.docx"
        write_docx(report, docx, draft=True)
        pdf = convert(docx, "pdf", out)
        back = files.read_report(pdf)
        assert figure_differences(report, back) == [], name
        assert (back.meta.organ, back.meta.year) == (report.meta.organ, report.meta.year)
        for key, text in report.texts.items():
            assert "".join(back.texts.get(key, "").split()) == "".join(text.split()), (name, key)


@pytest.fixture(scope="module")
def qt_pdfs(own, tmp_path_factory):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    # a widgets application, as the window tests after these need (the print path alone makes a bare GUI one)
    QApplication.instance() or QApplication([])
    from gui.printing import write_pdf

    out = tmp_path_factory.mktemp("qt")
    paths = {}
    for name, report in own.items():
        paths[name] = write_pdf(report, out / f"{name}.pdf", draft=True)
    return paths


@pytest.mark.parametrize("name", own_reports())
def test_our_own_pdf_export_reads_back(own, qt_pdfs, name):
    report = own[name]
    back = read_pdf(qt_pdfs[name])
    assert figure_differences(report, back) == []
    assert back.meta.organ == report.meta.organ


def test_our_own_pdf_export_keeps_the_narrative(own, qt_pdfs):
    for name, report in own.items():
        back = read_pdf(qt_pdfs[name])
        for key, text in report.texts.items():
            assert "".join(back.texts.get(key, "").split()) == "".join(text.split()), (name, key)


# -- damaged, hostile and scanned PDFs -------------------------------------------------------------


def test_a_scan_without_text_layer_is_refused_clearly(tmp_path, monkeypatch):
    from core.imports import scan as scan_reader

    monkeypatch.setattr(scan_reader, "component_available", lambda: False)
    if not shutil.which("pdftoppm") or not shutil.which("img2pdf"):  # poppler and img2pdf: Linux tools
        pytest.skip("pdftoppm and img2pdf are not installed")
    png = tmp_path / "page.png"
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", "-f", "1", "-l", "1",
                    str(corpus_pdf(ENTRIES[0])), str(tmp_path / "page")], check=True)
    scan = tmp_path / "scan.pdf"
    subprocess.run(["img2pdf", str(png), "-o", str(scan)], check=True)
    with pytest.raises(ReportFileError, match="扫描件.*需要可选组件「扫描件识别」"):
        files.read_report(scan)
    with pytest.raises(ScannedPdfError, match="没有文字层"):
        read_pdf(scan)
    assert has_text_layer(scan) is False and has_text_layer(corpus_pdf(ENTRIES[0])) is True


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n", b"not a pdf at all" * 100, b"%PDF-1.7\n" + os.urandom(5000)])
def test_damaged_pdf_is_a_chinese_message(tmp_path, content):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    with pytest.raises(PdfImportError) as e:
        files.read_report(path)
    message = str(e.value).replace("report.pdf", "").replace("PDF", "")
    assert "report.pdf" in str(e.value) and not any("a" <= c.lower() <= "z" for c in message)


def test_truncated_pdf_is_a_message_or_a_report(tmp_path):
    data = corpus_pdf(ENTRIES[0]).read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 100):
        path = tmp_path / "cut.pdf"
        path.write_bytes(data[:cut])
        try:
            files.read_report(path)
        except PdfImportError as e:
            assert "cut.pdf" in str(e)


def test_too_many_pages_is_refused(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(100, 100)
    path = tmp_path / "many.pdf"
    pdf.save(str(path))
    with pytest.raises(PdfImportError, match=f"超过 {MAX_PAGES} 页"):
        read_pdf(path)


def test_a_page_renders_for_the_review_view():
    pages = pdf_pages(corpus_pdf(ENTRIES[0]))
    png = pages[0].render(40)
    assert png.startswith(b"\x89PNG") and len(png) > 1000


def test_pdf_is_in_the_registry():
    assert ".pdf" in files.READERS and "*.pdf" in files.open_filter()
    assert SOFFICE is None or Path(SOFFICE).exists()


def _with_repeated_stream_start(data: bytes, times: int) -> bytes:
    """A damage the fuzz harness made: 512 bytes from the end of one object into the start of a long stream
    repeated, which moves every offset after it (the cross-reference table no longer fits) and leaves each
    copy an ``endobj`` and a ``stream`` without its ``endstream``."""
    at = next(m.start() for m in re.finditer(rb"\d+ 0 obj", data)
              if data.find(b"endstream", m.start()) - m.start() > 600 and b"endobj" in data[m.start() - 70:m.start()]
              and b"endstream" not in data[m.start() - 70:m.start()])
    return data[:at] + data[at - 70:at + 442] * times + data[at - 70:]


def test_pdf_whose_repair_would_take_minutes_is_refused_at_once(tmp_path):
    # PDFium spends minutes in one call on such a file (83 CPU-s with 7,800 copies); no time budget stops it there.
    path = tmp_path / "拼接损坏.pdf"
    path.write_bytes(_with_repeated_stream_start(corpus_pdf(ENTRIES[0]).read_bytes(), 4000))
    started = time.process_time()
    with pytest.raises(PdfImportError) as e:
        files.read_report(path)
    assert time.process_time() - started < 2
    assert "拼接损坏.pdf" in str(e.value) and "缺少结束标记" in str(e.value) and "交叉引用表" in str(e.value)


def test_pdf_with_a_few_damaged_objects_is_still_repaired_and_read(tmp_path):
    # The same damage on a small scale costs PDFium nothing: the file is read, not refused.
    original = corpus_pdf(ENTRIES[0])
    path = tmp_path / "少量损坏.pdf"
    path.write_bytes(_with_repeated_stream_start(original.read_bytes(), 3))
    assert read_pdf(path).table3 == read_pdf(original).table3
