"""Read a report from a web page: a saved ``.html``/``.htm`` file or the HTML a browser puts on the clipboard.

A published report sits inside a site's shell (navigation, breadcrumbs, related links, footer). The article
is the smallest element that holds the report's headings and tables; everything outside it is ignored,
except the page title, which names the organ and year when the article itself does not. Paragraphs become
lines of text; tables are read cell by cell with their ``rowspan``/``colspan`` (a cell continuing a merge
reads as empty, as in Word), and handed to the same row reader as every other format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

from .. import layout as L
from ..errors import ReportFileError, damage_reason, os_reason
from ..model import Report
from ..normalize import fold
from .builder import ReportBuilder, match_part_heading, parse_title
from .encoding import EncodingError, _codec, decode_bytes, is_traditional
from .office import identify_table
from .text import Line, read_lines

MAX_HTML_BYTES = 20 * 1024 * 1024  # a saved page with inline images is a few MB; a report's text far less
MAX_ELEMENTS = 400_000
MAX_SPAN = 200  # a rowspan/colspan beyond any real table (the official 表三 spans 22 rows)
MAX_TABLE_CELLS = 20_000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CF_HTML = re.compile(r"^Version:\d[\s\S]{0,400}?StartHTML:", re.I)  # the Windows clipboard's header
_BLOCK = frozenset("address article aside blockquote body center dd div dl dt figcaption figure footer form h1 h2 h3 "
                   "h4 h5 h6 header hr li main nav ol p pre section ul caption".split())
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "select", "option", "button", "iframe", "object",
                   "svg", "math", "textarea"))


class HtmlImportError(ReportFileError):
    pass


def read_html_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise HtmlImportError(f"「{path.name}」有 {size // 1024 // 1024} MB，超过 {MAX_HTML_BYTES // 1024 // 1024} MB，"
                                  f"不像是年度报告的网页，未打开")
        raw = path.read_bytes()
    except OSError as e:
        raise HtmlImportError(f"无法读取「{path.name}」：{os_reason(e)}") from e
    return import_html(decode_html(raw, path.name), path.name)


def decode_html(raw: bytes, name: str) -> str:
    """A page's text: the byte order mark, then the page's own ``<meta charset>``, then detection."""
    m = _META_CHARSET.search(raw[:8192])
    declared = m.group(1).decode("ascii", "replace") if m else None
    try:
        return decode_bytes(raw, name, declared)[0]
    except EncodingError:
        # a page damaged in a few places: read it as a browser does, with the bad bytes replaced
        for codec in filter(None, (_codec(declared) if declared else None, "utf-8", "gb18030")):
            text = raw.decode(codec, errors="replace")
            if text.count("\ufffd") <= max(10, len(text) // 200):
                return text
        raise


def import_html(markup: str, source: str = "", source_format: str = "html") -> Report:
    """The report in a page's markup (a saved page, or the text/html flavour of the clipboard)."""
    blocks, title = _page_blocks(markup, source)
    builder = ReportBuilder(source=source, source_format=source_format)
    lines = _lines(blocks, builder)
    text = "\n".join(ln.text for ln in lines[:200])
    if not any(parse_title(ln.text) for ln in lines[:40] if ln.table is None) and title:
        lines.insert(0, Line("网页标题", title))
    if is_traditional(text):
        builder.unread("网页为繁体中文，表格标签可能无法与简体的官方格式对应，请核对导入结果")
    return read_lines(builder, lines)


# -- the page ----------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # "p" (a line of text) or "t" (a table: rows of cell texts)
    content: object
    element: object


def _page_blocks(markup: str, source: str) -> tuple[list[_Block], str | None]:
    markup = _CF_HTML.sub("<", markup[:2000]) + markup[2000:] if markup.startswith("Version:") else markup
    markup = _XML_DECLARATION.sub("", markup)
    if not markup.strip():
        raise HtmlImportError(f"「{source or '剪贴板'}」中没有网页内容")
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as e:
        raise HtmlImportError(f"「{source or '剪贴板'}」不是可以读取的网页（{damage_reason(e)}）") from e
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise HtmlImportError(f"「{source or '剪贴板'}」包含 {count} 个网页元素，远超年度报告网页，未读取")
    title = _page_title(root)
    blocks = list(_walk(root))
    return _article(blocks), title


def _page_title(root) -> str | None:
    """The report's title as the page head states it (the <title> often adds the site's name)."""
    candidates = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title", "og:title") or \
                (meta.get("property") or "").lower() == "og:title":
            candidates.append(meta.get("content") or "")
    head_title = root.find(".//title")
    if head_title is not None and head_title.text:
        candidates += re.split(r"\s*[_|｜—–-]{1,2}\s*", head_title.text)
    for h in root.iter("h1", "h2"):
        candidates.append(h.text_content())
    for c in candidates:
        c = " ".join(fold(c).split())
        if c and parse_title(c):
            return c
    return None


def _walk(root):
    """Blocks of the page in reading order: each run of inline text is a line, each top table a table."""
    parts: list[str] = []
    owner = [root]

    def flush():
        text = "".join(parts)
        parts.clear()
        if text.strip():
            return _Block("p", text, owner[0])
        return None

    def visit(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        if tag == "table" and not _layout_table(el):
            b = flush()
            if b:
                yield b
            yield _Block("t", _table_rows(el), el)
            if el.tail:
                parts.append(el.tail)
            return
        if tag == "br":
            b = flush()
            if b:
                yield b
            owner[0] = el.getparent()
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK or tag in ("tr", "td", "th")
        if block:
            b = flush()
            if b:
                yield b
            owner[0] = el
        if el.text:
            parts.append(el.text)
        for child in el:
            yield from visit(child)
        if block:
            b = flush()
            if b:
                yield b
            owner[0] = el.getparent() if el.getparent() is not None else el
        if el.tail:
            parts.append(el.tail)

    body = root.find("body")
    yield from visit(body if body is not None else root)
    b = flush()
    if b:
        yield b


def _layout_table(table) -> bool:
    """A table that lays out the page (old sites put the whole article in one) rather than holding data."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    return any(len(td.text_content()) > 400 for td in table.iter("td", "th"))


def _cell_text(td) -> str:
    """A cell's text; its paragraphs and line breaks join without a space (自/然/人 is one header)."""
    texts = []
    for node in td.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            if node is not td and node.tail:
                texts.append(node.tail)
            continue
        if node.text:
            texts.append(node.text)
        if node is not td and node.tail:
            texts.append(node.tail)
    return " ".join("".join(texts).split()) if len(texts) < 50_000 else ""


def _span(value, limit: int = MAX_SPAN) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), limit))
    except ValueError:
        return 1


def _table_rows(table) -> list[list[str]]:
    """Each row's cells as Word gives them: one per cell, a cell under a rowspan from above as empty."""
    rows = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    occupied: dict[tuple[int, int], int] = {}  # (row, col) → colspan of the merged cell from above
    out: list[list[str]] = []
    cells = 0
    for r, tr in enumerate(rows):
        row: list[str] = []
        col = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, col) in occupied:
                span = occupied[r, col]
                row.append("")
                col += span
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            row.append(_cell_text(td))
            for below in range(1, min(rowspan, len(rows) - r)):
                occupied[r + below, col] = colspan
            col += colspan
            cells += 1
            if cells > MAX_TABLE_CELLS:
                raise HtmlImportError(f"网页中的表格超过 {MAX_TABLE_CELLS} 个单元格，不像是年度报告的统计表，未读取")
        while (r, col) in occupied:
            row.append("")
            col += occupied[r, col]
        out.append(row)
    return out


def _own_row(tr, table) -> bool:
    """A row of this table, not of a table nested in one of its cells."""
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _article(blocks: list[_Block]) -> list[_Block]:
    """The blocks of the report among the site's shell: those within the common ancestor of its headings and tables."""
    element = article_element(blocks)
    if element is None:
        return blocks
    return [b for b in blocks if _within(b.element, element)] or blocks


def article_element(blocks: list[_Block]):
    """The smallest element holding the report's part headings and tables (None when fewer than two are found)."""
    marks = []
    after = -1
    for i, b in enumerate(blocks):
        if b.kind == "t":
            if identify_table("".join("".join(r) for r in b.content)):
                marks.append(i)
        else:
            heading = match_part_heading(str(b.content), after)
            if heading:
                after = L.PARTS.index(heading.part)
                marks.append(i)
    if len(marks) < 2:
        return None
    return _common_ancestor([blocks[i].element for i in marks])


def _ancestors(el) -> list:
    chain = [el]
    while el.getparent() is not None:
        el = el.getparent()
        chain.append(el)
    return chain[::-1]


def _common_ancestor(elements):
    chains = [_ancestors(e) for e in elements]
    common = None
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _within(el, ancestor) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


# -- lines -------------------------------------------------------------------------------------


def _lines(blocks: list[_Block], builder: ReportBuilder) -> list[Line]:
    lines: list[Line] = []
    paragraph = table_number = 0
    for b in blocks:
        if b.kind == "p":
            paragraph += 1
            lines.append(Line(f"网页第 {paragraph} 段", " ".join(str(b.content).split())))
            continue
        table_number += 1
        rows = b.content
        which = identify_table("".join("".join(r) for r in rows))
        if which is None:  # a table of the report's own (a fee table, contacts): its text is narrative
            for r, cells in enumerate(rows, 1):
                if any(c.strip() for c in cells):
                    lines.append(Line(f"网页第 {table_number} 个表格第 {r} 行", "\t".join(c for c in cells if c.strip())))
            continue
        name = L.TABLE_BY_KEY[which].name
        for r, cells in enumerate(rows, 1):
            lines.append(Line(f"{name}（网页第 {table_number} 个表格）第 {r} 行", "\t".join(cells), which, tuple(cells)))
    return lines
