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


# -- pagination read back from the PDF, word by word (pdftotext -bbox-layout) ----------------------

import re as _re  # noqa: E402
import subprocess as _subprocess  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from lxml import etree as _etree  # noqa: E402

from core.export.document import Table, build, published  # noqa: E402
from tests.factories import county_scale  # noqa: E402

MM = 72 / 25.4
BLOCK_TOP, BLOCK_BOTTOM = 37 * MM, (37 + 225) * MM
HEADINGS = {unicodedata.normalize("NFKC", h) for h in [p.heading for p in L.PARTS] + [t.heading for t in L.TOPICS]}


@_dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def read_pages(path) -> list[dict]:
    """Per page: its words and its lines (each a Box), as poppler reads them."""
    xml = _subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True).stdout
    root = _etree.fromstring(xml, _etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for page in root.iter("{*}page"):
        words, lines = [], []
        for line in page.iter("{*}line"):
            ws = [Box(*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
                  for w in line.iter("{*}word")]
            words += ws
            if ws:
                lines.append(Box(min(w.x0 for w in ws), min(w.y0 for w in ws), max(w.x1 for w in ws),
                                 max(w.y1 for w in ws), "".join(w.text for w in ws)))
        pages.append({"words": words, "lines": lines, "text": "".join(w.text for w in words)})
    return pages


def overlaps(pages) -> list[tuple[int, str, str]]:
    found = []
    for n, page in enumerate(pages, start=1):
        words = sorted(page["words"], key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1 - 0.5:
                    break
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx > 0.5 and dy > 0.5:
                    found.append((n, a.text, b.text))
    return found


def stranded_headings(pages) -> list[tuple[int, str]]:
    """Headings that are the last line of the text block on their page."""
    out = []
    for n, page in enumerate(pages[:-1], start=1):
        body = [ln for ln in page["lines"] if ln.y1 <= BLOCK_BOTTOM + 1 and ln.y0 >= BLOCK_TOP - 40
                and not _re.fullmatch(r"—\s*\d+\s*—", ln.text)]
        if body:
            last = max(body, key=lambda ln: ln.y1)
            if unicodedata.normalize("NFKC", last.text) in HEADINGS:
                out.append((n, last.text))
    return out


def outside_the_block(pages) -> list[tuple[int, str]]:
    """Words below the text block other than the page number: a row drawn past the page foot."""
    return [(n, w.text) for n, page in enumerate(pages, start=1) for w in page["words"]
            if w.y1 > BLOCK_BOTTOM + 1 and not _re.fullmatch(r"—|\d+", w.text)]


def row_placement(report) -> tuple[list, dict]:
    """The typesetter's pages: for each table row, the pages it is drawn on (its own, plus repeats)."""
    from gui.typeset import RowPiece, Typesetter

    ts = Typesetter(build(published(report)))
    where: dict[tuple[int, int], list[int]] = {}
    for n, page in enumerate(ts.pages, start=1):
        for placed in page.placed:
            if isinstance(placed.piece.payload, RowPiece):
                where.setdefault((placed.piece.table, placed.piece.payload.row), []).append(n)
    return ts, where


def padded(report, extra: int, digits: int, seed: int):
    r = county_scale(report, digits, seed) if digits > 3 else report.model_copy(deep=True)
    sentence = "全年围绕中心工作，依法依规做好政府信息公开，及时回应社会关切。"
    r.texts["overview"] = (r.texts.get("overview", "") + sentence * extra)[:20000]
    return r


SAMPLES = {p: read_text_file(sample(p)) for p in ("000", "001", "003")}


@needs_pdftotext
@settings(max_examples=14, deadline=None, suppress_health_check=list(HealthCheck))
@given(prefix=st.sampled_from(sorted(SAMPLES)), extra=st.integers(0, 40), digits=st.sampled_from([1, 4, 5, 6, 7]),
       seed=st.integers(0, 1000))
def test_no_overprint_no_stranded_heading_rows_whole(app, tmp_path_factory, prefix, extra, digits, seed):
    report = padded(SAMPLES[prefix], extra, digits, seed)
    path = write_pdf(report, tmp_path_factory.mktemp("pdf") / "r.pdf", draft=True)
    pages = read_pages(path)
    assert overlaps(pages) == []
    assert stranded_headings(pages) == []
    assert outside_the_block(pages) == []
    ts, where = row_placement(report)
    assert len(ts.pages) == len(pages)
    for (table, row), on in where.items():
        assert len(on) == 1, (table, row, on)  # a data row is drawn once: never split, never repeated
    for index, box in enumerate(ts.tables):
        table: Table = box.table
        first_rows = {}
        for (t, row), on in where.items():
            if t == index:
                first_rows.setdefault(on[0], []).append(row)
        for page, rows in first_rows.items():
            data = [r for r in rows if r >= table.header_rows]
            assert len(data) >= min(2, table.rows - table.header_rows), (table.layout.key, page, rows)
        if table.layout.key == "table2":
            assert len(first_rows) == 1  # 表二 is short: always on one page
        # Every row's figures are on the page its label is on (read from the PDF).
        for cell in table.cells:
            if cell.role in ("figure", "derived") and len(cell.text) >= 4:
                page = where[(index, cell.row)][0]
                assert cell.text in "".join(pages[page - 1]["text"].split()), (cell.text, page)


@needs_pdftotext
def test_a_tall_row_at_the_page_foot_moves_under_a_repeated_header(app, tmp_path):
    """Part 一 padded so table 三's rows reach the page foot on some page: the row moves whole."""
    hits = 0
    for extra in range(0, 30, 3):
        report = padded(SAMPLES["001"], extra, 7, extra)
        ts, where = row_placement(report)
        t3 = next(i for i, b in enumerate(ts.tables) if b.table.layout.key == "table3")
        pages_of_t3 = sorted({on[0] for (t, _), on in where.items() if t == t3})
        if len(pages_of_t3) < 2:
            continue
        hits += 1
        for page in pages_of_t3[1:]:
            assert any(t == t3 for t, _ in ts.pages[page - 1].repeated), page  # the header comes again
    assert hits >= 5
    path = write_pdf(padded(SAMPLES["001"], 12, 7, 1), tmp_path / "r.pdf")
    pages = read_pages(path)
    squeezed = ["".join(p["text"].split()) for p in pages]
    t3_pages = [i for i, s in enumerate(squeezed) if "申请人情况" in s]
    assert len(t3_pages) >= 2
    for i in t3_pages[1:]:
        if "三、本年度" in squeezed[i - 1] and "办理结果" in squeezed[i - 1]:
            # a merged label broken by the page is printed again, whole, below the repeated header
            assert "三、本年度" in squeezed[i] or "四、结转" in squeezed[i] or "（七）总计" in squeezed[i]


@needs_pdftotext
def test_the_pdf_text_is_searchable_with_every_table_label(app, tmp_path):
    path = write_pdf(SAMPLES["001"], tmp_path / "r.pdf")
    raw = pdf_text(path)
    assert not [c for c in raw if 0x2E80 <= ord(c) <= 0x2FDF]  # no ⼀ ⾏ ⺠: the real characters
    assert "人民政府" in raw
    squeezed = "".join(raw.split())
    tables = [b for b in build(published(SAMPLES["001"])).blocks if isinstance(b, Table)]
    assert [t.layout.key for t in tables] == [t.key for t in L.TABLES]
    labels = 0
    for table in tables:
        for cell in table.cells:
            if cell.role not in ("figure", "derived") and cell.text:
                # a label set on several lines (「商业/企业」) is found line by line, as any reader copies it
                for line in cell.lines:
                    assert "".join(line.split()) in squeezed, (table.layout.key, cell.text, line)
                labels += 1
    assert labels == sum(1 for t in L.TABLES for g in t.grid if g.figure is None and g.text)


# -- PDF failures are said, never claimed as success ------------------------------------------------


def test_a_pdf_that_comes_out_empty_is_refused_and_nothing_replaced(app, tmp_path, monkeypatch):
    import gui.printing as printing
    from core.atomic import WriteError

    target = tmp_path / "r.pdf"
    target.write_bytes(b"%PDF-1.4 previous good file %%EOF")
    real = printing.QPdfWriter
    monkeypatch.setattr(printing, "QPdfWriter", lambda name: real(str(tmp_path / "elsewhere.pdf")))
    with pytest.raises(WriteError, match="0 字节"):
        write_pdf(filled_report(), target)
    assert target.read_bytes() == b"%PDF-1.4 previous good file %%EOF"


def test_pdf_into_an_unwritable_folder_from_the_command_line(app, tmp_path, monkeypatch, capsys):
    import errno

    from core import atomic
    from tests.factories import run_cli

    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "_create", refuse)
    code, out, err = run_cli(capsys, "export", str(sample("001")), "--pdf", str(tmp_path / "r.pdf"))
    assert code == 2 and "导出 PDF 失败" in err and "没有写入权限" in err and "已导出" not in out
    assert not (tmp_path / "r.pdf").exists()


def test_a_cut_pdf_is_refused(tmp_path):
    from core.export.pdf import check_pdf

    whole = tmp_path / "whole.pdf"
    from core.imports.pdf import has_text_layer  # noqa: F401  (pdfium is a core dependency)

    import gui.printing as printing

    printing.write_pdf(filled_report(), whole)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:-4000])
    with pytest.raises(ValueError, match="不完整|无法打开"):
        check_pdf(cut, 3)
    with pytest.raises(ValueError, match="页"):
        check_pdf(whole, 99)


def test_window_pdf_failure_is_a_message_not_a_success(window, tmp_path, monkeypatch):
    import errno

    from PySide6.QtWidgets import QMessageBox

    from core import atomic

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(atomic, "_create", lambda path: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    assert window.export("pdf", tmp_path / "r.pdf") is None
    assert shown and "磁盘空间不足" in shown[0] and not (tmp_path / "r.pdf").exists()
    assert "已导出" not in window.statusBar().currentMessage()


@needs_pdftotext
def test_window_exports_a_labelled_review_copy(window, tmp_path, monkeypatch):
    from core.model import Comment

    window.document.report.comments.append(Comment(author="市政务公开办", text="请核实表三第一行"))
    action = window.findChild(type(window.menuBar().actions()[0]), "action_export_review")
    assert action is not None and "审核副本" in action.text()
    seen = {}

    def save_name(parent, title, suggested, pattern):
        seen["suggested"] = suggested
        return str(tmp_path / "副本"), "PDF 文件 (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    action.trigger()
    path = tmp_path / "副本.pdf"
    assert path.exists() and "审核副本" in seen["suggested"] and "不得公开" in seen["suggested"]
    text = "".join(text_of(path).split())
    assert text.count("审核副本") >= pdf_pages(path) and "请核实表三第一行" in text
    published_pdf = window.export("pdf", tmp_path / "公开.pdf")
    assert "请核实表三第一行" not in "".join(text_of(published_pdf).split())
