"""Print preview, printing and PDF through Qt, drawing the same document structure as the Word export.

The structure (core.export.document) decides what appears; this module only renders it: a QTextDocument
paginated to the GB/T 9704 text block, with `— N —` page numbers outside and table header rows repeated.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QFont, QGuiApplication, QPageLayout, QPageSize, QPagedPaintDevice, QPainter, QPdfWriter,
                           QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat, QTextLength,
                           QTextFrameFormat, QTextTableCellFormat, QTextTableFormat)

from core.export.document import Document, Options, Paragraph, Table, build
from core.model import Report

MM = 1 / 25.4  # inches per millimetre
LEFT, TOP, WIDTH, HEIGHT = 28, 37, 156, 225  # the text block, mm
PAGE_NUMBER_GAP = 7  # mm between the text block and the page number's dash
LINE_PT = 28.9
PDF_DPI = 300
FORMAT_DPI = 96

FAMILIES = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC"],
    "heading1": ["黑体", "SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"],
    "heading2": ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"],
    "table": ["宋体", "SimSun", "Noto Serif CJK SC"],
    "page": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
SIZES = {"title": 22, "heading1": 16, "heading2": 16, "body": 16, "closing": 16}
TABLE_SIZES = {"table2": 10.5, "table3": 10.5, "table4": 9}
COLUMN_WIDTHS_MM = {
    "table2": (48, 36, 36, 36),
    "table3": (11, 20, 50) + (75 / 7,) * 7,
    "table4": (WIDTH / 15,) * 15,
}


def _font(role: str, size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FAMILIES[role])  # the first installed family wins, like Word's substitution
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


class _Renderer:
    def __init__(self, device: QPagedPaintDevice, dpi: float):
        self.device = device
        self.dpi = dpi

    # Page geometry and painting use device pixels; lengths inside text formats are given in
    # 96-dpi pixels, which QTextDocumentLayout scales to the paint device itself.
    def px(self, mm: float) -> float:
        return mm * MM * self.dpi

    def device_pt(self, points: float) -> float:
        return points / 72 * self.dpi

    @staticmethod
    def pt(points: float) -> float:
        return points / 72 * FORMAT_DPI

    @staticmethod
    def mm(mm: float) -> float:
        return mm * MM * FORMAT_DPI

    # -- the flowing text ---------------------------------------------------------------------------

    def text_document(self, document: Document) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setPageSize(QSizeF(self.px(WIDTH), self.px(HEIGHT)))
        doc.setDocumentMargin(0)
        doc.setUndoRedoEnabled(False)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # lay out once at the end, not after every inserted cell
        self._paragraph(cursor, Paragraph(document.title, "title"), first=True)
        self._blank(cursor, LINE_PT)
        closing_started = False
        for block in document.blocks:
            if isinstance(block, Table):
                self._table(cursor, block)
                continue
            if block.style == "closing" and not closing_started:
                self._blank(cursor, LINE_PT)
                closing_started = True
            self._paragraph(cursor, block)
        cursor.endEditBlock()
        return doc

    def _paragraph(self, cursor: QTextCursor, p: Paragraph, first: bool = False) -> None:
        fmt = QTextBlockFormat()
        role = {"closing": "body"}.get(p.style, p.style)
        if p.style == "title":
            fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            fmt.setLineHeight(self.pt(36), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        elif p.style == "closing":
            fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
            fmt.setRightMargin(self.device_pt(32))
            fmt.setLineHeight(self.pt(LINE_PT), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        else:
            fmt.setAlignment(Qt.AlignmentFlag.AlignJustify)
            fmt.setTextIndent(self.device_pt(32))  # two characters of 三号 (not scaled by the layout)
            fmt.setLineHeight(self.pt(LINE_PT), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        if p.style in ("heading1", "heading2"):
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
        char = QTextCharFormat()
        char.setFont(_font(role, SIZES[p.style]))
        if first:
            cursor.setBlockFormat(fmt)
            cursor.setBlockCharFormat(char)
        else:
            cursor.insertBlock(fmt, char)
        cursor.insertText(p.text, char)

    def _blank(self, cursor: QTextCursor, points: float) -> None:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(self.pt(points), QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        cursor.insertBlock(fmt)

    def _table(self, cursor: QTextCursor, table: Table) -> None:
        widths = COLUMN_WIDTHS_MM[table.layout.key]
        fmt = QTextTableFormat()
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        fmt.setBorder(self.pt(0.5))
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderBrush(Qt.GlobalColor.black)
        fmt.setBorderCollapse(True)
        fmt.setCellSpacing(0)
        padding = 0.8
        fmt.setCellPadding(self.mm(padding))
        fmt.setHeaderRowCount(table.header_rows)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 100 * w / WIDTH)
                                       for w in widths])
        fmt.setTopMargin(self.pt(4))
        fmt.setBottomMargin(self.pt(10))
        qt_table = cursor.insertTable(table.rows, table.cols, fmt)
        for cell in table.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                qt_table.mergeCells(cell.row, cell.col, cell.rowspan, cell.colspan)
        size = TABLE_SIZES[table.layout.key]
        for cell in table.cells:
            target = qt_table.cellAt(cell.row, cell.col)
            cell_fmt = QTextTableCellFormat()
            # A label spanning rows starts at its first row, so a page break inside the span never moves
            # its text into the repeated header of the next page.
            cell_fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignTop if cell.rowspan > 1
                                          else QTextCharFormat.VerticalAlignment.AlignMiddle)
            cell_fmt.setBorder(self.pt(0.5))  # with collapsed borders each cell draws its own edges
            cell_fmt.setBorderBrush(Qt.GlobalColor.black)
            cell_fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            target.setFormat(cell_fmt)
            block = QTextBlockFormat()
            left = cell.role == "label" and table.layout.key == "table3" and (cell.col == 2 or cell.colspan > 1)
            block.setAlignment(Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignHCenter)
            char = QTextCharFormat()
            char.setFont(_font("table", size, bold=cell.role == "header"))
            c = target.firstCursorPosition()
            c.setBlockFormat(block)
            c.insertText(cell.text, char)
        cursor.movePosition(QTextCursor.MoveOperation.End)

    # -- pages --------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, document: Document, new_page) -> int:
        doc = self.text_document(document)
        pages = doc.pageCount()
        block = QRectF(0, 0, self.px(WIDTH), self.px(HEIGHT))
        for i in range(pages):
            if i:
                new_page()
            painter.save()
            painter.translate(self.px(LEFT), self.px(TOP) - i * block.height())
            doc.drawContents(painter, QRectF(0, i * block.height(), block.width(), block.height()))
            painter.restore()
            self._page_number(painter, i + 1)
            if document.draft_note:
                self._draft_note(painter, document.draft_note)
        return pages

    def _page_number(self, painter: QPainter, number: int) -> None:
        """`— N —` below the text block: odd pages right, even pages left, one character in."""
        painter.save()
        font = _font("page", 14)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        inset = self.device_pt(14)
        top = self.px(TOP + HEIGHT + PAGE_NUMBER_GAP)
        rect = QRectF(self.px(LEFT) + inset, top, self.px(WIDTH) - 2 * inset, self.device_pt(20))
        align = Qt.AlignmentFlag.AlignRight if number % 2 else Qt.AlignmentFlag.AlignLeft
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignTop, f"— {number} —")
        painter.restore()

    def _draft_note(self, painter: QPainter, note: str) -> None:
        painter.save()
        painter.setFont(_font("heading1", 12))
        painter.setPen(Qt.GlobalColor.darkRed)
        painter.drawText(QRectF(self.px(LEFT), self.px(15), self.px(WIDTH), self.device_pt(20)),
                         Qt.AlignmentFlag.AlignHCenter, note)
        painter.restore()


def _ensure_application() -> None:
    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication(sys.argv[:1] or ["nianbao"])


def _a4(device: QPagedPaintDevice) -> None:
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))


def render(device: QPagedPaintDevice, report: Report, options: Options | None = None,
           errors: int | None = None) -> int:
    """Draw the report onto a printer or PDF writer; returns the number of pages."""
    document = build(report, options or Options(), errors)
    painter = QPainter(device)
    try:
        return _Renderer(device, device.logicalDpiX()).paint(painter, document, device.newPage)
    finally:
        painter.end()


def write_pdf(report: Report, path: str | Path, *, draft: bool = False, options: Options | None = None,
              errors: int | None = None) -> Path:
    _ensure_application()
    path = Path(path)
    options = options or Options(draft=draft)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    _a4(writer)
    writer.setTitle(report.meta.display_title)
    writer.setCreator("政务公开年报助手")
    render(writer, report, options, errors)
    return path


def _printer():
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _a4(printer)
    printer.setFullPage(True)  # margins are the document's own (GB/T 9704), not the driver's
    return printer


def preview(parent, report: Report, options: Options | None = None) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = _printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("打印预览 - " + report.meta.display_title)
    dialog.paintRequested.connect(lambda p: render(p, report, options))
    dialog.resize(1000, 760)
    dialog.exec()


def print_report(parent, report: Report, options: Options | None = None) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog

    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render(printer, report, options)
    return True
