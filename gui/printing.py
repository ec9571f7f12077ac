"""Print preview, printing and PDF: the pages gui.typeset lays out from the document structure.

The structure (core.export.document) decides what appears, the page breaking (core.export.paginate) where
each page ends; gui.typeset draws it with QPainter. A PDF is written to a temporary file, its text layer
given the real characters (core.export.pdf), checked page by page and only then renamed over the target.
The command line reaches :func:`write_pdf` through the writer registry (see :func:`register`), so the
core never imports this package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPagedPaintDevice, QPainter, QPdfWriter

from core.atomic import WriteError, atomic_path
from core.export import pdf as pdf_file
from core.export.document import Document, Options, build, published
from core.model import Report

from . import file_dialogs, paths
from .screen_fit import fit_to_screen
from .typeset import Typesetter, document_text, radical_mapping

PDF_DPI = 1200  # QPdfWriter's unit: positions are kept to 1/1200 inch
APP_NAME = "政务公开年报助手"


def document_of(report: Report, options: Options | None = None, errors: int | None = None) -> Document:
    """What is printed: the published report (no comments, history or import record) unless a review copy."""
    options = options or Options()
    return build(report if options.review else published(report), options, errors)


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
    typesetter = Typesetter(document_of(report, options, errors))
    painter = QPainter()
    if not painter.begin(device):
        raise WriteError("无法开始打印：打印机或文件不可用")
    try:
        return typesetter.paint(painter, device)
    finally:
        painter.end()


def write_pdf(report: Report, path: str | Path, *, draft: bool = False, options: Options | None = None,
              errors: int | None = None) -> Path:
    """Write the report as a searchable PDF, atomically; WriteError (a Chinese sentence) when it fails."""
    _ensure_application()
    path = Path(path)
    options = options or Options(draft=draft)
    if draft and not options.draft:
        options = Options(fee_header_places=options.fee_header_places, draft=True, review=options.review)
    document = document_of(report, options, errors)
    typesetter = Typesetter(document)
    expected = len(typesetter.pages)
    mapping = radical_mapping(document_text(document))

    def check(tmp: Path) -> None:
        pdf_file.check_pdf(tmp, expected)
        pdf_file.fix_text_layer(tmp, mapping)  # the real characters, so 「人民政府」 can be found and copied

    with atomic_path(path, check=check) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        _a4(writer)
        writer.setTitle(document.title)
        writer.setCreator(APP_NAME)
        painter = QPainter()
        if not painter.begin(writer):  # the temporary file could not be opened for writing
            raise WriteError(f"无法写入「{path.name}」：没有写入权限或磁盘不可用")
        try:
            typesetter.paint(painter, writer)
        finally:
            painter.end()  # writes the file's end (cross-reference table) and closes it
        del writer
    return path


def register() -> None:
    """Give the core's writer registry the PDF writer (entry point ``nianbao.writers``)."""
    from core import files

    files.register_writer(".pdf", "PDF 文件", write_pdf)


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
    typesetter = Typesetter(document_of(report, options))  # laid out once, painted for every refresh

    def paint(device) -> None:
        painter = QPainter()
        if painter.begin(device):
            try:
                typesetter.paint(painter, device)
            finally:
                painter.end()

    dialog.paintRequested.connect(paint)
    fit_to_screen(dialog, 1000, 760)
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


# -- the window's review copy (the menu item is one line in the main window) ------------------------

REVIEW_TITLE = "导出审核副本"


def export_review_copy(window, path: Path | None = None) -> Path | None:
    """「导出审核副本」: a Word or PDF copy that lists the supervisors' comments and the change history,
    marked 「审核副本……不得公开」 on every page and in its name. Never the file to publish."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from core.errors import ReportFileError

    report = window.document.report
    if path is None:
        folder = paths.last_folder(window.settings)
        suggested = folder / f"{report.meta.display_title}（审核副本，不得公开）.docx"
        with file_dialogs.prepared():
            name, chosen = QFileDialog.getSaveFileName(window, REVIEW_TITLE, str(suggested),
                                                       "Word 文档 (*.docx);;PDF 文件 (*.pdf)")
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".docx", ".pdf"):
            path = path.with_name(path.name + (".pdf" if "pdf" in chosen else ".docx"))
    options = Options(review=True)
    try:
        if path.suffix.lower() == ".pdf":
            write_pdf(report, path, options=options)
        else:
            from core.export.docx import write_docx

            write_docx(report, path, options=options)
    except ReportFileError as e:
        QMessageBox.critical(window, REVIEW_TITLE, str(e))
        return None
    paths.remember_folder(window.settings, path)
    window.show_message(f"已导出审核副本（含审核意见和修改记录，不得公开）：{path}")
    return path
