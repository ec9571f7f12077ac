"""Reports arriving other than through 打开: a file dropped on the window, and a whole report pasted from the
clipboard (a web page's HTML first, then plain text). Both end like 打开: an imported report with its notes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from core import files
from core.errors import ReportFileError

from .document import ReportDocument


class _Drops(QObject):
    """Accepts a dropped file of any readable format and opens it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _dropped_path(event.mimeData()) is not None:
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            path = _dropped_path(event.mimeData())
            if path is not None:
                event.acceptProposedAction()
                if self.window.confirm_discard():
                    self.window.open_path(path)
                return True
        return False


def _dropped_path(mime) -> Path | None:
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in files.READERS:
                return path
    return None


def paste_report(window) -> bool:
    """Read the clipboard as a whole report: its HTML (a copied web page keeps the tables' cells), else its text."""
    from core.imports.html import import_html
    from core.imports.text import import_text

    mime = QApplication.clipboard().mimeData()
    try:
        if mime.hasHtml() and mime.html().strip():
            report = import_html(mime.html(), "剪贴板", "clipboard")
        elif mime.hasText() and mime.text().strip():
            report = import_text(mime.text(), "剪贴板")
        else:
            QMessageBox.information(window, "粘贴整份报告", "剪贴板中没有文字。请先在网页、PDF 或 Word 中全选并复制整份报告。")
            return False
    except ReportFileError as e:
        QMessageBox.warning(window, "粘贴整份报告", str(e))
        return False
    if not window.confirm_discard():
        return False
    window.autosaver.discard()
    window.set_document(ReportDocument(report, None))
    notes = len(report.imported.notes) if report.imported else 0
    window.show_message("已从剪贴板导入报告" + (f"，有 {notes} 条导入提示，见自检面板" if notes else "") + "。请「另存为」年报草稿")
    return True


def install(window) -> None:
    """Drops on the window and 文件 → 粘贴整份报告."""
    window.setAcceptDrops(True)
    window._drops = _Drops(window)
    window.installEventFilter(window._drops)
    action = window._action("粘贴整份报告(&B)", lambda: paste_report(window), QKeySequence("Ctrl+Shift+V"),
                            "action_paste_report")
    window.file_menu.insertAction(window.file_menu.actions()[3], action)
