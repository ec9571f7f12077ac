"""Read a report from a .docx: our own export exactly, and reports typed into the template in Word or WPS.

Tables are found by their labels, never by position; merged, split and empty cells, labels broken over
lines, full-width digits and thousands separators are read as the text importer reads them. Our own
exports carry a marker (core.marker): when the visible document is still what was exported, the marker's
report is returned exactly; when someone edited the document afterwards, what the document shows wins.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from .. import layout as L
from .. import marker
from ..errors import ReportFileError
from ..model import Report
from . import safezip
from .builder import ReportBuilder, parse_title
from .office import identify_table, load_marker, merge_hidden, plain_errors
from .text import Line, read_lines


class DocxImportError(ReportFileError):
    pass


def read_docx(path: str | Path) -> Report:
    path = Path(path)
    safezip.check(path, "word/document.xml", "Word 文档")
    with plain_errors(path, DocxImportError, "Word 文档"):
        document = docx.Document(str(path))
    with plain_errors(path, DocxImportError):
        return _read(document, path.name)


def _read(document, name: str) -> Report:
    recorded = load_marker(_marker_bytes(document))
    visible = _signature(document)
    if recorded is not None and any(visible == _signature(_rendered(recorded, places)) for places in (False, True)):
        return recorded  # untouched since we exported it: exact
    builder = ReportBuilder(source=name, source_format="docx")
    report = read_lines(builder, _lines(document, builder))
    if recorded is None:
        return report
    return merge_hidden(report, recorded, "文档")


def _marker_bytes(document) -> bytes | None:
    for rel in document.part.rels.values():
        if rel.reltype == marker.DOCX_REL_TYPE and not rel.is_external:
            return rel.target_part.blob
    return None


def _rendered(report: Report, places: bool):
    from ..export.document import Options
    from ..export.docx import word_document

    return word_document(report, Options(fee_header_places=places))


# -- what the document shows ----------------------------------------------------------------------


def _cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _table_rows(tbl) -> list[list[str]]:
    """Cell texts row by row; a cell continuing a vertical merge reads as empty."""
    rows = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            pr = tc.tcPr
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            continued = merge is not None and merge.get(qn("w:val")) != "restart"
            cells.append("" if continued else _cell_text(tc))
        rows.append(cells)
    return rows


def _paragraph_text(p) -> str:
    parts = []
    for el in p.iter():
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        elif el.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _blocks(document):
    """Paragraph texts and tables of the body, in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield "p", _paragraph_text(child)
        elif child.tag == qn("w:tbl"):
            yield "t", _table_rows(child)


def _signature(document) -> list:
    out = []
    for kind, content in _blocks(document):
        if kind == "p":
            text = content.strip()
            if text:
                out.append(text)
        else:
            out.append(content)
    return out


def _lines(document, builder: ReportBuilder) -> list[Line]:
    lines: list[Line] = []
    paragraph = table_number = 0
    for kind, content in _blocks(document):
        if kind == "p":
            paragraph += 1
            parts = content.split("\n")
            joined = "".join(part.strip() for part in parts)
            if len(parts) > 1 and len(joined) <= 300 and parse_title(joined):
                parts = [joined]  # a title broken over lines within its paragraph (GB/T 9704: by meaning)
            for text in parts:
                lines.append(Line(f"第 {paragraph} 段", text))
            continue
        table_number += 1
        which = identify_table("".join("".join(r) for r in content))
        if which is None:
            builder.unread(f"文档中的第 {table_number} 个表格不是年度报告的统计表，未导入")
            continue
        name = L.TABLE_BY_KEY[which].name
        for r, cells in enumerate(content, 1):
            lines.append(Line(f"{name}（文档第 {table_number} 个表格）第 {r} 行", "\t".join(cells), which, tuple(cells)))
    return lines
