"""Word (.docx) output laid out per GB/T 9704—2012, the way the report is signed and published.

A4 with the standard margins; title in 方正小标宋简体 二号, headings in 黑体 and 楷体_GB2312, body in
仿宋_GB2312 三号 with a fixed line spacing of 22 lines per page; `— 1 —` page numbers outside; the three
tables exactly as the official grid, header rows repeated on every page, rows never split. Every font is
named for East Asian text, and the font table names the common substitute so Word and WPS fall back to
宋体/仿宋/楷体/黑体 where the GB2312 fonts are not installed.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .. import marker
from ..model import Report
from .document import Cell, Document, Options, Paragraph, Table, build

# GB/T 9704—2012: A4, 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 156
LINE = Pt(28.9)  # 225 mm / 22 lines
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LATIN = "Times New Roman"

# Official face → the substitute Word/WPS should use when the official one is not installed.
FONTS = {
    "title": ("方正小标宋简体", "宋体"),
    "heading1": ("黑体", "SimHei"),
    "heading2": ("楷体_GB2312", "楷体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "table": ("宋体", "SimSun"),
    "page": ("宋体", "SimSun"),
}
TABLE_SIZES = {"table2": Pt(10.5), "table3": Pt(10.5), "table4": Pt(9)}  # 五号, 五号, 小五
COLUMN_WIDTHS_MM = {
    "table2": (48, 36, 36, 36),
    "table3": (11, 20, 50) + (75 / 7,) * 7,
    "table4": (TEXT_WIDTH_MM / 15,) * 15,
}
STYLE_NAMES = {"title": "Title", "heading1": "Heading 1", "heading2": "Heading 2", "body": "Normal",
               "closing": "年报落款"}


def write_docx(report: Report, path: str | Path, *, draft: bool = False, options: Options | None = None,
               errors: int | None = None) -> Path:
    """Write ``report`` as a .docx; ``draft`` marks every page as a 征求意见稿."""
    options = options or Options(draft=draft)
    if draft and not options.draft:
        options = Options(fee_header_places=options.fee_header_places, draft=True)
    path = Path(path)
    word_document(report, options, errors).save(str(path))
    return path


def word_document(report: Report, options: Options = Options(), errors: int | None = None):
    """The python-docx document of ``report``, marker included, not yet saved."""
    doc = render(build(report, options, errors))
    _attach_marker(doc, report)
    return doc


def render(document: Document):
    doc = new_docx()
    _page_setup(doc, document)
    _styles(doc)
    _font_table(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)  # the template's empty first paragraph
    doc.add_paragraph(document.title, style=STYLE_NAMES["title"])
    closing_started = False
    for block in document.blocks:
        if isinstance(block, Table):
            _table(doc, block)
            continue
        if block.style == "closing" and not closing_started:
            doc.add_paragraph("", style=STYLE_NAMES["body"])  # one blank line before the signature
            closing_started = True
        doc.add_paragraph(block.text, style=STYLE_NAMES[block.style])
    props = doc.core_properties
    props.title = document.title[:255]  # the package's core properties hold at most 255 characters
    props.author = document.organ[:255]
    props.subject = "政府信息公开工作年度报告"
    props.comments = document.draft_note or ""
    return doc


# -- page -----------------------------------------------------------------------------------------


def _page_setup(doc, document: Document) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # puts the page number about 7 mm below the text block
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: outside is right
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if document.draft_note:
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(document.draft_note)
            _run_fonts(run, *FONTS["heading1"], Pt(12))
            run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)


def _page_number(p, alignment) -> None:
    """`— N —` in 四号 宋体, one character in from the outer edge."""
    p.alignment = alignment
    fmt = p.paragraph_format
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    _run_fonts(p.add_run("— "), *FONTS["page"], PAGE_NUMBER_SIZE, latin=FONTS["page"][0])
    run = p.add_run()
    _run_fonts(run, *FONTS["page"], PAGE_NUMBER_SIZE, latin=FONTS["page"][0])
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _run_fonts(p.add_run(" —"), *FONTS["page"], PAGE_NUMBER_SIZE, latin=FONTS["page"][0])


# -- styles and fonts -----------------------------------------------------------------------------


def _set_fonts(rpr_parent, east_asia: str, latin: str = LATIN) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # theme fonts would override the named ones
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _run_fonts(run, east_asia: str, _fallback: str, size, latin: str = LATIN) -> None:
    _set_fonts(run._r, east_asia, latin)
    run.font.size = size


def _style(doc, name: str, role: str, size, *, bold=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True,
           line=LINE, space_after=Pt(0)):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    font = style.font
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, FONTS[role][0])
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = space_after
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.first_line_indent = BODY_SIZE * 2 if indent else Pt(0)
    fmt.left_indent = Pt(0)
    fmt.keep_with_next = role in ("heading1", "heading2")
    fmt.widow_control = True
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if indent and ind is not None:
        ind.set(qn("w:firstLineChars"), "200")  # two characters, whatever the font
    return style


def _styles(doc) -> None:
    _style(doc, "Normal", "body", BODY_SIZE)
    _style(doc, "Title", "title", TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=Pt(36),
           space_after=LINE)
    _style(doc, "Heading 1", "heading1", BODY_SIZE)
    _style(doc, "Heading 2", "heading2", BODY_SIZE)
    closing = _style(doc, STYLE_NAMES["closing"], "body", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    closing.paragraph_format.right_indent = BODY_SIZE * 2
    # Built-in title/heading styles carry a border and theme spacing in the default template.
    for name in ("Title", "Heading 1", "Heading 2"):
        ppr = doc.styles[name].element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


def _font_table(doc) -> None:
    """Name each official face with its substitute (w:altName), for machines without the GB2312 fonts."""
    part = next((p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.iterchildren(qn("w:font"))}
    for official, substitute in {v[0]: v[1] for v in FONTS.values()}.items():
        if official in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), official)
        for tag, value in (("w:altName", substitute), ("w:charset", "86"), ("w:family", "modern"),
                           ("w:pitch", "fixed")):
            el = etree.SubElement(font, qn(tag))
            el.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- tables ---------------------------------------------------------------------------------------


def _table(doc, table: Table) -> None:
    widths = [Mm(w) for w in COLUMN_WIDTHS_MM[table.layout.key]]
    t = doc.add_table(rows=table.rows, cols=table.cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    _borders(tbl_pr)
    _cell_margins(tbl_pr)
    for i, col in enumerate(t._tbl.tblGrid.iterchildren(qn("w:gridCol"))):
        col.set(qn("w:w"), str(int(widths[i].twips)))
    for r, row in enumerate(t.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if r < table.header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    grid = t._cells  # one lookup: python-docx rebuilds this list on every t.cell() call
    for cell in table.cells:
        target = grid[cell.row * table.cols + cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid[(cell.row + cell.rowspan - 1) * table.cols + cell.col + cell.colspan - 1])
        _cell_text(target, cell, table)
    for tr in t._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            tc.width = sum(widths[col:col + tc.grid_span], Mm(0))
            col += tc.grid_span
    doc.add_paragraph("", style="Normal").paragraph_format.line_spacing = Pt(12)


def _borders(tbl_pr) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")  # eighths of a point: 0.5 pt
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _cell_margins(tbl_pr) -> None:
    """Narrow cell margins (1 mm): the figure columns are narrow, as in published tables."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(Mm(1).twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _cell_text(target, cell: Cell, table: Table) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = target.paragraphs[0]
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)
    left = cell.role == "label" and table.layout.key == "table3" and (cell.col == 2 or cell.colspan > 1)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(cell.text)
    _run_fonts(run, *FONTS["table"], TABLE_SIZES[table.layout.key])
    run.font.bold = cell.role == "header"


# -- marker ---------------------------------------------------------------------------------------


def _attach_marker(doc, report: Report) -> None:
    part = Part(PackURI(marker.DOCX_PART), marker.DOCX_CONTENT_TYPE, marker.dumps(report), doc.part.package)
    doc.part.relate_to(part, marker.DOCX_REL_TYPE)


__all__ = ["write_docx", "render", "Paragraph", "Table"]
