"""The navigation list and the pages beside it, each page built the first time it is needed.

Only the page on screen is needed to show a report: the others are built one by one once the window has
painted (or at once when something asks for them), so opening a draft does not wait for thirteen editors.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStackedWidget, QWidget

from core import layout as L

from .document import ReportDocument
from .pages import MetaPage, NarrativePage, Page, TablePage


def report_pages(document: ReportDocument) -> list[tuple[str, str, str, Callable[[], Page]]]:
    """(key, navigation label, tooltip, how to build it) for 基本信息 and each part, in order."""
    pages: list[tuple[str, str, str, Callable[[], Page]]] = [("meta", "基本信息", "基本信息", lambda: MetaPage(document))]
    for part in L.PARTS:
        kind = TablePage if part.key in L.TABLE_BY_PART else NarrativePage
        pages.append((part.key, part.nav, part.heading, lambda kind=kind, part=part: kind(document, part)))
    return pages


class PageStack(QObject):
    """Keeps ``nav`` (one row per page) and ``stack`` in step; a row shows a placeholder until built."""

    pageBuilt = Signal(object)  # the Page, just made

    def __init__(self, nav: QListWidget, stack: QStackedWidget, parent=None):
        super().__init__(parent)
        self.nav, self.stack = nav, stack
        self._keys: list[str] = []
        self._build: dict[str, Callable[[], Page]] = {}
        self._built: dict[str, Page] = {}
        self._generation = 0  # a later set_pages cancels the pending builds of the earlier one
        nav.currentRowChanged.connect(self._show_row)

    def set_pages(self, pages: list[tuple[str, str, str, Callable[[], Page]]], current: int) -> None:
        self._generation += 1
        self.nav.blockSignals(True)
        self.nav.clear()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._keys, self._build, self._built = [], {}, {}
        for key, label, tooltip, build in pages:
            placeholder = QWidget()
            placeholder.setObjectName("page_" + key)
            self.stack.addWidget(placeholder)
            item = QListWidgetItem(label)
            item.setToolTip(tooltip)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self._keys.append(key)
            self._build[key] = build
        self.nav.setCurrentRow(current)
        self.nav.blockSignals(False)
        self._show_row(current)

    # -- pages ----------------------------------------------------------------------------------

    def keys(self) -> list[str]:
        return list(self._keys)

    def built(self) -> list[Page]:
        return list(self._built.values())

    def page(self, key: str) -> Page:
        """The page for ``key``, built now if it was not yet (KeyError for no such page)."""
        page = self._built.get(key)
        if page is None:
            index = self._keys.index(key) if key in self._build else None
            if index is None:
                raise KeyError(key)
            page = self._build[key]()
            self._built[key] = page
            self.pageBuilt.emit(page)  # before it is placed: it has the program's normal font
            placeholder = self.stack.widget(index)
            was_current = self.stack.currentIndex() == index
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            if was_current:
                self.stack.setCurrentIndex(index)
        return page

    def go_to(self, key: str) -> Page:
        page = self.page(key)
        self.nav.setCurrentRow(self._keys.index(key))
        return page

    def current(self) -> Page:
        return self.page(self._keys[self.stack.currentIndex()])

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._keys):
            self.page(self._keys[row])
            self.stack.setCurrentIndex(row)

    def build_rest_soon(self) -> None:
        """Build the pages not yet shown, one per turn of the event loop, so typing is never held up long."""
        generation = self._generation

        def next_one() -> None:
            if generation != self._generation or not self.stack.isVisible():
                return  # another report, or the window was closed: the rest are built when asked for
            missing = [k for k in self._keys if k not in self._built]
            if missing:
                self.page(missing[0])
                QTimer.singleShot(0, self, next_one)

        QTimer.singleShot(0, self, next_one)
