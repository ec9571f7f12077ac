"""Word (.docx) output laid out per GB/T 9704—2012, the way the report is signed and published.

A4 with the standard margins and the 28 × 22 character grid; title in 方正小标宋简体 二号 broken by meaning,
headings in 黑体 and 楷体_GB2312, body in 仿宋_GB2312 三号; `— 1 —` page numbers outside, the dash 7 mm
below the text block; the signature block per §7.3.5.1; the three tables exactly as the official grid with
the widths, line breaks and keep-together rules of core.export.document, header rows repeated, rows never
split. Only body paragraphs and headings are indented (python-docx issue 848: a ``firstLineChars`` in Normal
would indent every table cell, the title and the footers in Word and WPS). Every font is named for East
Asian text, and the font table names the common substitute so Word and WPS fall back to 宋体/仿宋/楷体/黑体.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache, lru_cache
from pathlib import Path

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import nsmap
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser, parse_xml
from docx.shared import Mm, Pt
from lxml import etree

from .. import marker
from ..atomic import write_atomic
from ..model import Report
from ..version import __version__
from .document import (BODY_PT, CONDENSE_PT, LINE_CHARS, ROW_MIN_MM, TEXT_WIDTH_MM, Cell, Closing, Document,
                       Options, Paragraph, Table, build, published)


# python-docx's OxmlElement and qn parse the prefixed tag on every call; an export makes some 20,000
# elements, and that parsing was a quarter of its time. The same elements, the tag looked up once.
@lru_cache(maxsize=None)
def qn(tag: str) -> str:
    return _qn(tag)


@lru_cache(maxsize=None)
def _made_as(tag: str) -> tuple[str, dict[str, str]]:
    prefix = tag.partition(":")[0]
    return qn(tag), {prefix: nsmap[prefix]}


def OxmlElement(tag: str):  # noqa: N802 — python-docx's name, for the same element
    clark, namespaces = _made_as(tag)
    return oxml_parser.makeelement(clark, nsmap=namespaces)


APP_NAME = "政务公开年报助手"
# GB/T 9704—2012: A4, 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINE_TWIPS = 579  # 225 mm / 22 lines, as Word's own 公文 grid
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / LINE_CHARS  # 15.79 pt: 28 characters of 三号 fill 156 mm
CONDENSE_TWIPS = round(CONDENSE_PT * 20)  # 15.7 pt a character: 28 fit in 156 mm
BODY_SIZE = Pt(BODY_PT)
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_PT = 14  # 四号
PAGE_NUMBER_GAP_MM = 7  # GB/T 9704 §7.5: the 一字线 7 mm below the text block
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
# style role → (style id, shown name)
STYLES = {"body": ("ReportBody", "年报正文"), "title": ("Title", "Title"), "heading1": ("Heading1", "Heading 1"),
          "heading2": ("Heading2", "Heading 2"), "closing": ("ReportClosing", "年报落款"),
          "note": ("ReportNote", "年报附注"), "table": ("ReportTable", "年报表格")}

# Children of w:pPr, w:tblPr, w:tcPr, w:sectPr in the order the schema requires (ECMA-376 §17).
_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
            "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
              "tblCaption", "tblDescription", "tblPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"),
    "sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
}


def write_docx(report: Report, path: str | Path, *, draft: bool = False, options: Options | None = None,
               errors: int | None = None) -> Path:
    """Write ``report`` as a .docx, atomically; ``draft`` marks every page as a 征求意见稿.

    A published file carries no comments, change history or reviewer names; ``options.review`` writes the
    审核副本 instead, which lists them and says so on every page."""
    options = options or Options(draft=draft)
    if draft and not options.draft:
        options = Options(fee_header_places=options.fee_header_places, draft=True, review=options.review)
    return write_atomic(path, docx_bytes(report, options, errors), check=check_zip)


def docx_bytes(report: Report, options: Options = Options(), errors: int | None = None) -> bytes:
    buffer = io.BytesIO()
    word_document(report, options, errors).save(buffer)
    return buffer.getvalue()


def check_zip(path: Path) -> None:
    """The written file opens as a zip with every entry intact (a cut or corrupted file is refused)."""
    try:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                raise ValueError("文件内容校验失败")
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ValueError("写出的文件不完整") from None


def word_document(report: Report, options: Options = Options(), errors: int | None = None):
    """The python-docx document of ``report``, marker included, not yet saved."""
    shown = report if options.review else published(report)
    doc = render(build(shown, options, errors))
    _attach_marker(doc, shown, review=options.review)
    return doc


@cache
def _template() -> bytes:
    """python-docx's template with our styles, settings and font table, made once: the same for every report,
    and a fifth of an export's time when made anew."""
    doc = new_docx()
    _drop_template_leftovers(doc)
    _settings(doc)
    _styles(doc)
    _font_table(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(document: Document):
    doc = new_docx(io.BytesIO(_template()))
    _page_setup(doc, document)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)  # the template's empty first paragraph
    end = body.find(qn("w:sectPr"))
    _title(end, document.title_lines)
    for block in document.blocks:
        if isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Closing):
            _closing(end, block)
        else:
            _paragraph(end, block.text, STYLES[block.style][0])
    for block in body.iterchildren():
        if block.tag != _TBL:  # tables are written in schema order (_table_xml), and are most of the body
            for element in block.iter(*_ORDERED_TAGS):
                _reorder(element)
    _properties(doc, document)
    return doc


# -- package: settings, properties, leftovers of the template ---------------------------------------


def _drop_template_leftovers(doc) -> None:
    """The template's thumbnail (an empty Mac Word page) and Word 2010's stylesWithEffects go."""
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def _settings(doc) -> None:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        for setting in compat.iterchildren(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")  # Word 2013 and later: not 兼容模式
    doc.settings.odd_and_even_pages_header_footer = True
    theme = next((p for p in doc.part.package.iter_parts() if p.partname.endswith("/theme/theme1.xml")), None)
    if theme is not None:
        blob = theme.blob.replace(b'<a:ea typeface=""/>', '<a:ea typeface="宋体"/>'.encode())
        theme._blob = blob


def _properties(doc, document: Document) -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = document.title[:255]  # the package's core properties hold at most 255 characters
    props.author = (document.organ or APP_NAME)[:255]
    props.last_modified_by = APP_NAME
    props.subject = "政府信息公开工作年度报告"
    props.comments = document.review_note or document.draft_note or ""
    props.keywords = ""
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = props.modified = now
    app = next((p for p in doc.part.package.iter_parts() if p.partname == "/docProps/app.xml"), None)
    if app is not None:
        ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
        root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
        for tag, value in (("Application", f"{APP_NAME} {__version__}"), ("DocSecurity", "0"),
                           ("Company", ""), ("LinksUpToDate", "false"), ("SharedDoc", "false")):
            etree.SubElement(root, f"{{{ns}}}{tag}").text = value
        app._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- page -------------------------------------------------------------------------------------------


def _page_setup(doc, document: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(15)
    # The footer's one line is PAGE_NUMBER_PT exactly; its dash sits mid-line, 7 mm below the text block.
    line_mm = PAGE_NUMBER_PT * 25.4 / 72
    section.footer_distance = Mm(35 - PAGE_NUMBER_GAP_MM - line_mm / 2)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # 22 lines by the line grid; 28 characters by condensing 三号 by CONDENSE_TWIPS (see _style). Word's
    # character grid would do the same in Word, but LibreOffice and WPS space it out to 17–27 characters.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)
    _page_number(section.footer, "right")  # odd pages: the outside is right
    _page_number(section.even_page_footer, "left")
    note = document.review_note or document.draft_note
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]._p
        _plain_ppr(p, "center", line=None)
        if note:
            r = _run(p, note, FONTS["heading1"][0], 12, latin=LATIN)
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "B3261E")
            r.find(qn("w:rPr")).append(color)


def _page_number(footer, side: str) -> None:
    """`— N —` in 四号 宋体, one character in from the outer edge, no inherited indent."""
    p = footer.paragraphs[0]._p
    _plain_ppr(p, side, line=PAGE_NUMBER_PT * 20, **{side: PAGE_NUMBER_PT * 20})
    font = FONTS["page"][0]
    _run(p, "— ", font, PAGE_NUMBER_PT, latin=font)
    r = _run(p, "", font, PAGE_NUMBER_PT, latin=font)
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
        r.append(el)
    _run(p, " —", font, PAGE_NUMBER_PT, latin=font)


# -- paragraphs (built as XML directly: python-docx's add_paragraph is too slow for long text) --------


def _new_p(end, style_id: str | None):
    p = OxmlElement("w:p")
    if style_id:
        ppr = OxmlElement("w:pPr")
        ps = OxmlElement("w:pStyle")
        ps.set(qn("w:val"), style_id)
        ppr.append(ps)
        p.append(ppr)
    end.addprevious(p)
    return p


def _lines(r, lines) -> None:
    """Text into run ``r``, a line break between lines (the breaks chosen by meaning)."""
    for i, line in enumerate(lines):
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set(qn("xml:space"), "preserve")
        r.append(t)


def _paragraph(end, text: str, style_id: str):
    p = _new_p(end, style_id)
    if text:
        r = OxmlElement("w:r")
        _lines(r, (text,))
        p.append(r)
    return p


def _title(end, lines: tuple[str, ...]) -> None:
    p = _new_p(end, STYLES["title"][0])
    r = OxmlElement("w:r")
    _lines(r, lines)
    p.append(r)


def _closing(end, block: Closing) -> None:
    _paragraph(end, "", STYLES["closing"][0])  # one blank line between the text and the signature
    for text, indent in ((block.organ, block.organ_indent), (block.date, block.date_indent)):
        p = _paragraph(end, text, STYLES["closing"][0])
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(round(indent * CHAR_PITCH_PT * 20)))
        ind.set(qn("w:firstLine"), "0")
        ind.set(qn("w:firstLineChars"), "0")
        p.find(qn("w:pPr")).append(ind)


def _plain_ppr(p, align: str, line: int | None, left: int = 0, right: int = 0):
    """A paragraph with no indent of its own or inherited (firstLineChars 0 overrides Normal's), no grid."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    for child in list(ppr):
        if child.tag in (qn("w:ind"), qn("w:jc"), qn("w:spacing"), qn("w:snapToGrid")):
            ppr.remove(child)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    ppr.append(_spacing(line, 0))
    ind = OxmlElement("w:ind")
    for attr, value in (("w:left", left), ("w:right", right), ("w:firstLine", 0), ("w:firstLineChars", 0)):
        ind.set(qn(attr), str(int(value)))
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), {"left": "left", "right": "right", "center": "center"}[align])
    ppr.append(jc)
    return ppr


def _spacing(line: int | None, after: int):
    """No space before, ``after`` twips after; ``line`` twips exactly, or single spacing when None."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), str(after))
    spacing.set(qn("w:line"), str(int(line)) if line else "240")
    spacing.set(qn("w:lineRule"), "exact" if line else "auto")
    return spacing


def _run(p, text: str, east_asia: str, size: float, latin: str = LATIN, bold: bool = False):
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin),
                        ("w:hint", "eastAsia")):
        fonts.set(qn(attr), value)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), str(int(round(size * 2))))
        rpr.append(sz)
    r.append(rpr)
    if text:
        _lines(r, (text,))
    p.append(r)
    return r


_RANK = {name: {qn("w:" + k): i for i, k in enumerate(order)} for name, order in _ORDER.items()}
_ORDERED_TAGS = tuple(qn("w:" + k) for k in _ORDER)  # the elements whose children have a schema order


def _reorder(element) -> None:
    children = list(element)
    if len(children) < 2:
        return
    rank = _RANK[etree.QName(element).localname]
    ordered = sorted(children, key=lambda c: rank.get(c.tag, len(rank)))
    if ordered != children:
        for c in children:
            element.remove(c)
        element.extend(ordered)


# -- styles and fonts -------------------------------------------------------------------------------


def _set_fonts(element, east_asia: str, latin: str = LATIN) -> None:
    rpr = element.get_or_add_rPr()
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


def _style(doc, role: str, font_role: str, size: float, *, align: str = "both", first_line_chars: int = 0,
           line: int | None = LINE_TWIPS, space_after: int = 0, keep_next: bool = False, grid: bool = True,
           based_on: str | None = "Normal", condensed: bool = False):
    style_id, name = STYLES.get(role, (role, role))
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.styleId = style_id
    if based_on and style.name != based_on:
        style.base_style = styles[based_on]
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    el = style.element
    _set_fonts(el, FONTS[font_role][0])
    rpr = el.get_or_add_rPr()
    for tag in ("w:color", "w:spacing"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    if condensed:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
        rpr.append(spacing)
    ppr = el.get_or_add_pPr()
    for child in list(ppr):
        if child.tag in (qn("w:ind"), qn("w:jc"), qn("w:spacing"), qn("w:snapToGrid"), qn("w:keepNext"),
                         qn("w:keepLines"), qn("w:pBdr"), qn("w:widowControl"), qn("w:outlineLvl"),
                         qn("w:overflowPunct")):
            ppr.remove(child)
    if keep_next:
        ppr.append(OxmlElement("w:keepNext"))
    widow = OxmlElement("w:widowControl")
    ppr.append(widow)
    # No punctuation hanging into the margin: LibreOffice then leaves a line-end 「、」 undrawn (and out of
    # the PDF's text); Word and WPS push the character before it to the next line instead, as 公文 do.
    hang = OxmlElement("w:overflowPunct")
    hang.set(qn("w:val"), "0")
    ppr.append(hang)
    if not grid:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.append(snap)
    ppr.append(_spacing(line, space_after))
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), "0")
    ind.set(qn("w:right"), "0")
    # firstLineChars wins over firstLine in Word and WPS; both are stated so nothing is inherited.
    ind.set(qn("w:firstLine"), str(int(first_line_chars / 100 * BODY_PT * 20)))
    ind.set(qn("w:firstLineChars"), str(first_line_chars))
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    ppr.append(jc)
    if role in ("heading1", "heading2"):
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "0" if role == "heading1" else "1")
        ppr.append(level)
    _reorder(ppr)
    _reorder(rpr)
    return style


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
        for sz in defaults.iter(qn("w:sz"), qn("w:szCs")):
            sz.set(qn("w:val"), str(int(BODY_PT * 2)))  # the character grid is measured in the default size
        for spacing in defaults.iter(qn("w:spacing")):
            spacing.getparent().remove(spacing)
    # Normal carries no indent: table cells, headers and footers are based on it.
    _style(doc, "Normal", "body", BODY_PT, based_on=None)
    _style(doc, "body", "body", BODY_PT, first_line_chars=200, condensed=True)
    _style(doc, "note", "body", BODY_PT, align="both", first_line_chars=200, condensed=True)
    _style(doc, "title", "title", 22, align="center", line=720, space_after=LINE_TWIPS, grid=False)
    _style(doc, "heading1", "heading1", BODY_PT, first_line_chars=200, keep_next=True, condensed=True)
    _style(doc, "heading2", "heading2", BODY_PT, first_line_chars=200, keep_next=True, condensed=True)
    _style(doc, "closing", "body", BODY_PT, align="left", condensed=True)
    _style(doc, "table", "table", 10.5, align="center", line=None, grid=False)
    for name in ("Header", "Footer"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            style.element.get_or_add_pPr().append(ind)
        ind.set(qn("w:firstLine"), "0")
        ind.set(qn("w:firstLineChars"), "0")
        _reorder(style.element.get_or_add_pPr())


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


# -- tables -----------------------------------------------------------------------------------------


def _el(tag: str, parent=None, **attrs):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn("w:" + key), str(value))
    if parent is not None:
        parent.append(el)
    return el


def _table(doc, table: Table) -> None:
    """The table written as XML text from the grid and parsed once (python-docx's cell merging is quadratic,
    and making its thousands of elements one by one was a third of an export): fixed layout, header rows
    repeated, rows never split, merges as gridSpan and vMerge."""
    tbl = parse_xml(_table_xml(table))
    doc.element.body.find(qn("w:sectPr")).addprevious(tbl)
    after = doc.add_paragraph("", style=doc.styles["Normal"])._p
    _plain_ppr(after, "left", line=240)


def _xml(element) -> str:
    """An element's XML without the namespace declaration its table declares once."""
    return etree.tostring(element, encoding="unicode").replace(_W_DECLARATION, "")


_W_DECLARATION = f' xmlns:w="{nsmap["w"]}"'
_TBL = qn("w:tbl")


def _table_xml(table: Table) -> str:
    widths = [int(Mm(w).twips) for w in table.widths_mm]
    tbl_pr = OxmlElement("w:tblPr")
    _el("w:tblStyle", tbl_pr, val="TableGrid")
    _el("w:tblW", tbl_pr, type="dxa", w=sum(widths))
    _el("w:jc", tbl_pr, val="center")
    _borders(tbl_pr)
    _el("w:tblLayout", tbl_pr, type="fixed")
    _cell_margins(tbl_pr)
    _el("w:tblLook", tbl_pr, val="04A0", firstRow=1, lastRow=0, firstColumn=1, lastColumn=0, noHBand=0, noVBand=1)
    out = [f"<w:tbl{_W_DECLARATION}>", _xml(tbl_pr), "<w:tblGrid>"]
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    starts = {(c.row, c.col): c for c in table.cells}
    below: dict[tuple[int, int], Cell] = {}  # positions continuing a cell merged from a row above
    for c in table.cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            below[(r, c.col)] = c
    height = f'<w:trHeight w:val="{int(Mm(ROW_MIN_MM).twips)}" w:hRule="atLeast"/>'
    for r in range(table.rows):
        # cantSplit: a row never breaks across pages; tblHeader: repeated at the top of every page
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < table.header_rows else "")
                   + height + "</w:trPr>")
        keep = table.keep_with_next[r]  # Word keeps the row with the next one
        col = 0
        while col < table.cols:
            cell = starts.get((r, col))
            continued = below.get((r, col)) if cell is None else None
            if cell is None and continued is None:
                col += 1  # inside a cell spanning columns (never reached for the official grids)
                continue
            spanned = cell or continued
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{sum(widths[col:col + spanned.colspan])}"/>')
            if spanned.colspan > 1:
                out.append(f'<w:gridSpan w:val="{spanned.colspan}"/>')
            if spanned.rowspan > 1:
                out.append('<w:vMerge w:val="restart"/>' if cell is not None else "<w:vMerge/>")
            if cell is not None:
                if cell.role in ("figure", "derived"):
                    out.append("<w:noWrap/>")  # a figure is set smaller to fit
                out += ['<w:vAlign w:val="center"/></w:tcPr><w:p>', _cell_ppr(cell.align, keep),
                        _cell_run(cell.size, cell.role == "header")]
                out += _lines_xml(cell.lines or (cell.text,))  # broken by meaning for this width
                out.append("</w:r></w:p></w:tc>")
            else:
                out += ['<w:vAlign w:val="center"/></w:tcPr><w:p>', _cell_ppr("center", keep), "</w:p></w:tc>"]
            col += spanned.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _lines_xml(lines) -> list[str]:
    """As ``_lines``: text with a line break between lines."""
    out = []
    for i, line in enumerate(lines):
        if i:
            out.append("<w:br/>")
        out.append(f'<w:t xml:space="preserve">{_escape(line)}</w:t>')
    return out


def _escape(text: str) -> str:
    # not xml.sax.saxutils.escape: that module loads urllib and ssl, and the program loads no network code
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=None)
def _cell_ppr(align: str, keep_next: bool) -> str:
    """The paragraph properties of a table cell, merged continuations included, in schema order."""
    p = OxmlElement("w:p")
    ppr = _plain_ppr(p, align, line=None)
    if keep_next:
        ppr.insert(0, OxmlElement("w:keepNext"))
    ppr.insert(0, _el("w:pStyle", val=STYLES["table"][0]))
    return _xml(ppr)


@lru_cache(maxsize=None)
def _cell_run(size: float, bold: bool) -> str:
    """A table cell's run with its properties (open: the text follows)."""
    return _xml(_run(OxmlElement("w:p"), "", FONTS["table"][0], size, bold=bold)).removesuffix("</w:r>")


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


# -- marker -----------------------------------------------------------------------------------------


def _attach_marker(doc, report: Report, review: bool) -> None:
    part = Part(PackURI(marker.DOCX_PART), marker.DOCX_CONTENT_TYPE, marker.dumps(report, review=review),
                doc.part.package)
    doc.part.relate_to(part, marker.DOCX_REL_TYPE)


__all__ = ["write_docx", "docx_bytes", "render", "Paragraph", "Table"]
