"""Qt's own file dialog, where the platform has no native one, made fit for long Chinese file names.

Windows (and desktops with a GTK theme) show their native dialogs; elsewhere Qt draws its own, which
by default lists names in narrow columns cut off at the same place — 「济源市人民政府办公室2021年…」
and 「…2022年…」 look identical — with dates as 「2 12 2026」 and a JSON draft called 「纯文本文档」.
Wrap the static QFileDialog call in ``with prepared(parent):`` and the Qt dialog, if one opens, shows
details with the whole name, dates as 2026-12-02 14:05, sizes as in Explorer and our own file types.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QHeaderView, QTreeView, QWidget

from .paths import last_folder
from .screen_fit import fit_to_screen

TYPE_NAMES = {".nbdraft": "年报草稿", ".docx": "Word 文档", ".xlsx": "Excel 工作簿", ".pdf": "PDF 文件",
              ".txt": "文字稿", ".json": "名单（JSON）", ".bak": "草稿备份"}
NAME, SIZE, TYPE, DATE = range(4)


def size_text(size: int) -> str:
    """Sizes as Windows Explorer shows them: whole KB, rounded up."""
    if size < 1024 * 1024 * 10:
        return f"{max(1, -(-size // 1024)):,} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


class _Readable(QIdentityProxyModel):
    """The file system model with dates, sizes and file types written for a Chinese clerk."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (SIZE, TYPE, DATE):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                info = source.fileInfo(self.mapToSource(index))
                if index.column() == DATE:
                    return info.lastModified().toString("yyyy-MM-dd HH:mm")
                if info.isDir():
                    return "" if index.column() == SIZE else "文件夹"
                if index.column() == SIZE:
                    return size_text(info.size())
                suffix = "." + info.suffix().lower()
                if suffix in TYPE_NAMES:
                    return TYPE_NAMES[suffix]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)


def polish(dialog: QFileDialog) -> None:
    """Details view, names in full, and a size that fits the screen."""
    if dialog.property("nianbao_polished"):
        return
    dialog.setProperty("nianbao_polished", True)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.setProxyModel(_Readable(dialog))
    fit_to_screen(dialog, 960, 560)
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        fm = view.fontMetrics()
        for column, sample in ((SIZE, "99,999 KB"), (TYPE, "Excel 工作簿"), (DATE, "2026-12-31 23:59")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, fm.horizontalAdvance(sample) + 24)


def _polish_open_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog) and widget.isVisible() \
                and not widget.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):  # a native one
            polish(widget)


@contextmanager
def prepared(parent: QWidget | None = None):
    """Around a static QFileDialog call: polish the Qt dialog it opens (a native one is left alone)."""
    QTimer.singleShot(0, _polish_open_dialogs)  # runs inside the dialog's own event loop
    yield


def ask_report(parent: QWidget, title: str, settings) -> Path | None:
    """A report to read (any format the program reads), chosen from the folder last used."""
    from core import files

    with prepared():
        name, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder(settings)), files.open_filter())
    return Path(name) if name else None
