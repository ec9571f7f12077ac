"""Files dropped on the window, and 文件 → 粘贴整份报告: wired at start, the readers load on first use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence

from core import files


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


def install(window) -> None:
    """Drops on the window and 文件 → 粘贴整份报告."""
    window.setAcceptDrops(True)
    window._drops = _Drops(window)
    window.installEventFilter(window._drops)
    action = window._action("粘贴整份报告(&B)", lambda: _paste(window), QKeySequence("Ctrl+Shift+V"),
                            "action_paste_report")
    window.file_menu.insertAction(window.file_menu.actions()[3], action)


def _paste(window) -> bool:
    from .import_review import paste_report

    return paste_report(window)
