"""A workbook written row by row, straight into its zip file: for sheets of tens of thousands of rows.

openpyxl, even in write-only mode, spends some 10 µs a cell; a supervisor's breakdown of 50,000 units has
ten million cells. This writer formats each row as SpreadsheetML text at once and streams it into the
zip entry, so time grows with the cells and memory stays flat. It writes only what the breakdown needs:
numbers, text (always as text — a value starting with ``=`` is never a formula), blank styled cells,
bold, a solid fill, wrapping, a number format, column widths, frozen panes and an auto filter.

It writes into a file it is given: the caller writes through :mod:`core.atomic`, so a failed or killed
write never leaves half a workbook where the previous one was.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Iterable

MAX_TEXT = 32_767  # Excel's limit of characters in a cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # no XML file can hold them
# XML escapes by hand: xml.sax.saxutils would import urllib.request (the program never loads network modules)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_FLUSH_ROWS = 256


@dataclass(frozen=True)
class Style:
    bold: bool = False
    fill: str | None = None  # RGB, e.g. "FFF2B3"
    wrap: bool = False
    number_format: str | None = None


PLAIN = Style()


@dataclass(frozen=True)
class Cell:
    """A value with a style; a plain value in a row is a cell without one."""

    value: Any
    style: Style = PLAIN


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    """Text as XML holds it, in an element or an attribute."""
    return _ILLEGAL.sub("", value[:MAX_TEXT]).translate(_ESCAPES)


class _Styles:
    def __init__(self) -> None:
        self.xfs: list[Style] = [PLAIN]
        self.index: dict[Style, int] = {PLAIN: 0}

    def of(self, style: Style) -> int:
        if style not in self.index:
            self.index[style] = len(self.xfs)
            self.xfs.append(style)
        return self.index[style]

    def xml(self) -> str:
        formats = sorted({s.number_format for s in self.xfs if s.number_format})
        format_ids = {f: 164 + i for i, f in enumerate(formats)}
        fills = sorted({s.fill for s in self.xfs if s.fill})
        fill_ids = {f: 2 + i for i, f in enumerate(fills)}
        num_fmts = "".join(f'<numFmt numFmtId="{format_ids[f]}" formatCode="{_text(f)}"/>'
                           for f in formats)
        fill_xml = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{f}"/><bgColor rgb="00{f}"/>'
                           f'</patternFill></fill>' for f in fills)
        xfs = []
        for s in self.xfs:
            attrs = (f'numFmtId="{format_ids.get(s.number_format, 0)}" fontId="{1 if s.bold else 0}" '
                     f'fillId="{fill_ids.get(s.fill, 0)}" borderId="0" xfId="0"')
            attrs += ' applyNumberFormat="1"' if s.number_format else ""
            attrs += ' applyFont="1"' if s.bold else ""
            attrs += ' applyFill="1"' if s.fill else ""
            if s.wrap:
                xfs.append(f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
                '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
                '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
                f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


class Sheet:
    """One worksheet being written: ``append`` rows, then ``close`` (done by the workbook)."""

    def __init__(self, book: "StreamingWorkbook", title: str, number: int, widths: dict[int, float],
                 freeze: tuple[int, int] | None):
        self.book, self.title, self.number = book, title, number
        self.rows = 0
        self.auto_filter: str | None = None  # e.g. "A2:H100", set before the workbook is closed
        self._columns: list[str] = []
        self._buffer: list[str] = []
        self._stream = book._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
        self._write(self._head(widths, freeze))

    def _head(self, widths: dict[int, float], freeze: tuple[int, int] | None) -> str:
        if freeze:
            cols, rows = freeze  # columns and rows kept in view
            corner = f"{column_letter(cols + 1)}{rows + 1}"
            pane = "bottomRight" if cols and rows else ("bottomLeft" if rows else "topRight")
            split = (f'xSplit="{cols}" ' if cols else "") + (f'ySplit="{rows}" ' if rows else "")
            view = (f'<sheetView workbookViewId="0"><pane {split}topLeftCell="{corner}" activePane="{pane}" '
                    f'state="frozen"/><selection pane="{pane}"/></sheetView>')
        else:
            view = '<sheetView workbookViewId="0"/>'
        cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(widths.items()))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")

    def _write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    def append(self, values: Iterable[Any]) -> None:
        self.rows += 1
        r = self.rows
        parts = [f'<row r="{r}">']
        styles = self.book._styles
        values = list(values)
        columns = self._columns
        while len(columns) < len(values):
            columns.append(column_letter(len(columns) + 1))
        for i, value in enumerate(values):
            kind = type(value)
            if kind is int:  # most cells of a breakdown: one format, no style
                parts.append(f'<c r="{columns[i]}{r}"><v>{value}</v></c>')
                continue
            style = 0
            if kind is Cell:
                style, value = styles.of(value.style), value.value
            attrs = f'r="{self._columns[i]}{r}"' + (f' s="{style}"' if style else "")
            kind = type(value)
            if kind is int or kind is float or kind is Decimal:
                parts.append(f"<c {attrs}><v>{value}</v></c>")
            elif value is None or value == "":
                if style:
                    parts.append(f"<c {attrs}/>")
            elif kind is bool:
                parts.append(f'<c {attrs} t="b"><v>{int(value)}</v></c>')
            else:  # text, never a formula
                parts.append(f'<c {attrs} t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>')
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._write("".join(self._buffer))
            self._buffer.clear()

    def close(self) -> None:
        self._flush()
        tail = "</sheetData>"
        if self.auto_filter:
            tail += f'<autoFilter ref="{self.auto_filter}"/>'
        self._write(tail + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                    "</worksheet>")
        self._stream.close()


class StreamingWorkbook:
    """``with StreamingWorkbook(file) as wb: ws = wb.sheet("名称", widths={1: 30}, freeze=(2, 3)); ws.append(…)``.

    ``file`` is a binary file open for writing (the temporary file of :func:`core.atomic.atomic_file`);
    the workbook is complete in it when the block ends without an exception.
    """

    def __init__(self, file: BinaryIO):
        # The fastest deflate: a province's breakdown is tens of megabytes of XML, and level 6 took longer
        # than writing it, for a file a quarter smaller.
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._styles = _Styles()
        self._sheets: list[Sheet] = []
        self._open: Sheet | None = None

    def sheet(self, title: str, widths: dict[int, float] | None = None,
              freeze: tuple[int, int] | None = None) -> Sheet:
        """A new sheet (the previous one is finished: one zip entry is written at a time)."""
        if self._open:
            self._open.close()
        self._open = Sheet(self, title, len(self._sheets) + 1, widths or {}, freeze)
        self._sheets.append(self._open)
        return self._open

    def close(self) -> None:
        """Finish the workbook: the last sheet, the parts that list the sheets, the zip's directory."""
        if self._open:
            self._open.close()
            self._open = None
        self._write_parts()
        self._zip.close()

    def __enter__(self) -> "StreamingWorkbook":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        # on an exception the file is left unfinished: its atomic writer discards it

    def _write_parts(self) -> None:
        sheets = "".join(f'<sheet name="{_text(s.title)}" sheetId="{s.number}" r:id="rId{s.number}"/>'
                         for s in self._sheets)
        names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{s.number - 1}" hidden="1">'
                        f"'{_text(s.title)}'!{_absolute(s.auto_filter)}</definedName>"
                        for s in self._sheets if s.auto_filter)
        ns = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
        self._zip.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<workbook {ns}><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
                           + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        rels = "".join(f'<Relationship Id="rId{s.number}" Type="{rel}/worksheet" '
                       f'Target="worksheets/sheet{s.number}.xml"/>' for s in self._sheets)
        styles_id = len(self._sheets) + 1
        rels += f'<Relationship Id="rId{styles_id}" Type="{rel}/styles" Target="styles.xml"/>'
        package = "http://schemas.openxmlformats.org/package/2006/relationships"
        self._zip.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<Relationships xmlns="{package}">{rels}</Relationships>')
        self._zip.writestr("xl/styles.xml", self._styles.xml())
        self._zip.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                           'Target="xl/workbook.xml"/></Relationships>')
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{s.number}.xml" ContentType="{sheet_type}"/>'
                            for s in self._sheets)
        self._zip.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                           'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                           '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                           'officedocument.spreadsheetml.sheet.main+xml"/>'
                           '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                           f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>')


def _absolute(ref: str) -> str:
    """A2:H10 → $A$2:$H$10."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def check_workbook(path: Path) -> None:
    """For :func:`core.atomic.atomic_path`'s ``check``: refuse a file whose zip directory is not whole."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError("写出的工作簿不完整") from e
    if not {"xl/workbook.xml", "[Content_Types].xml"} <= names:
        raise ValueError("写出的工作簿缺少必需的部件")
