"""The Word export, read back: every table cell by cell against the shared layout, and the page rules."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core import layout as L
from core import marker
from core.export import Options
from core.export.docx import write_docx
from core.model import Report
from tests.factories import filled_report
from tests.office import convert, needs_soffice, pdf_pages


@pytest.fixture
def report():
    r = filled_report()
    r.table3.set("granted", "research", None)  # a blank stays blank in print
    r.table2.set("fees", "amount", "0.1234")
    r.meta.sign_date = dt.date(2026, 1, 20)
    return r


@pytest.fixture
def docx_path(report, tmp_path):
    return write_docx(report, tmp_path / "报告.docx")


def read_grid(table) -> dict[tuple[int, int], tuple[int, int, str]]:
    """(row, col) of each top-left cell → (rowspan, colspan, text), from gridSpan and vMerge in the XML."""
    cells: dict[tuple[int, int], list] = {}
    open_merges: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.iterchildren(qn("w:tr"))):
        c = 0
        for tc in tr.iterchildren(qn("w:tc")):
            pr = tc.tcPr
            span = int(pr.find(qn("w:gridSpan")).get(qn("w:val"))) if pr is not None and \
                pr.find(qn("w:gridSpan")) is not None else 1
            vmerge = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                top = open_merges[c]
                cells[top][0] += 1
            else:
                cells[(r, c)] = [1, span, text]
                if vmerge is not None:
                    open_merges[c] = (r, c)
            c += span
    return {k: tuple(v) for k, v in cells.items()}


def expected_grid(report: Report, layout: L.TableLayout) -> dict[tuple[int, int], tuple[int, int, str]]:
    out = {}
    for g in layout.grid:
        if g.figure is not None:
            value = report.table(layout.key).get(*g.figure)
            text = "" if value is None else str(value)
        else:
            text = g.text
        out[(g.row, g.col)] = (g.rowspan, g.colspan, text)
    return out


def test_tables_match_the_layout_cell_by_cell(report, docx_path):
    doc = Document(str(docx_path))
    assert len(doc.tables) == 3
    for table, layout in zip(doc.tables, L.TABLES):
        assert read_grid(table) == expected_grid(report, layout), layout.name


def test_figures_as_typed_by_hand(docx_path):
    table3 = Document(str(docx_path)).tables[1]
    grid = read_grid(table3)
    assert grid[(3, 3)][2] == "16" and grid[(3, 9)][2] == "18"  # 一、新收 自然人 / 总计
    assert grid[(5, 5)][2] == ""  # the blank 科研机构 cell of 予以公开
    table2 = read_grid(Document(str(docx_path)).tables[0])
    assert table2[(13, 1)] == (1, 3, "0.1234")


def test_parts_and_topics_in_order(report, docx_path):
    doc = Document(str(docx_path))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert paragraphs[0] == ("Title", "某某县交通运输局\n2025年政府信息公开工作年度报告")  # broken by meaning
    assert [t for s, t in paragraphs if s == "Heading 1"] == [p.heading for p in L.PARTS]
    assert [t for s, t in paragraphs if s == "Heading 2"] == [t.heading for t in L.TOPICS]
    assert paragraphs[-2:] == [("年报落款", "某某县交通运输局"), ("年报落款", "2026年1月20日")]


def test_page_layout_per_gb_t_9704(docx_path):
    doc = Document(str(docx_path))
    s = doc.sections[0]
    def mm(*lengths):
        return tuple(round(x.mm, 1) for x in lengths)

    assert mm(s.page_width, s.page_height) == (210, 297)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (37, 35, 28, 26)
    normal, body = doc.styles["Normal"], doc.styles["年报正文"]
    assert normal.font.size == Pt(16) and round(body.paragraph_format.line_spacing.pt, 2) == 28.95  # 22 lines
    assert body.paragraph_format.first_line_indent == Pt(32) and not normal.paragraph_format.first_line_indent
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}
    for name, face in expected.items():
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face, name
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would override the named one
    assert doc.styles["Title"].font.size == Pt(22)


def test_fallback_fonts_are_named_in_the_font_table(docx_path):
    with zipfile.ZipFile(docx_path) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    for official, substitute in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'w:name="{official}"' in fonts and f'w:altName w:val="{substitute}"' in fonts


def test_page_numbers_outside_on_odd_and_even_pages(docx_path):
    doc = Document(str(docx_path))
    assert doc.settings.odd_and_even_pages_header_footer
    s = doc.sections[0]
    for footer, side in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in xml and p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment is not None and side.upper() in str(p.alignment)


def test_header_rows_repeat_and_rows_never_split(docx_path):
    doc = Document(str(docx_path))
    for table, layout in zip(doc.tables, L.TABLES):
        rows = list(table._tbl.iterchildren(qn("w:tr")))
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
        headers = [tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows]
        assert headers == [i < layout.header_rows for i in range(len(rows))]


def test_tables_fit_the_text_width(docx_path):
    doc = Document(str(docx_path))
    for table in doc.tables:
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
        assert abs(sum(widths) - Mm(156).twips) <= len(widths)


def test_marker_carries_the_report(report, docx_path):
    with zipfile.ZipFile(docx_path) as z:
        payload = json.loads(z.read(marker.DOCX_PART.lstrip("/")))
    assert payload["format"] == marker.MARKER
    assert Report.model_validate(payload["report"]) == report


def test_draft_is_marked_on_every_page(report, tmp_path):
    path = write_docx(report, tmp_path / "d.docx", draft=True, errors=3)
    s = Document(str(path)).sections[0]
    assert s.header.paragraphs[0].text == "征求意见稿（尚有 3 处错误未改正）"
    assert s.even_page_header.paragraphs[0].text == s.header.paragraphs[0].text


def test_fee_header_option(report, tmp_path):
    path = write_docx(report, tmp_path / "f.docx", options=Options(fee_header_places=True))
    assert read_grid(Document(str(path)).tables[0])[(12, 1)][2] == L.T2_FEE_HEADER_PLACES


@needs_soffice
def test_libreoffice_renders_it(docx_path, tmp_path):
    pdf = convert(docx_path, "pdf", tmp_path)
    assert 3 <= pdf_pages(pdf) <= 6
