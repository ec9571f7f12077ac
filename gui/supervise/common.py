"""What the supervisor's windows share: sortable read-only tables, a row of buttons, reading many files
with a progress dialog, and the colours of a unit's state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QProgressDialog, QPushButton,
                               QTableWidget, QTableWidgetItem, QWidget)

from core import aggregate
from core.roster import Status


STATUS_COLOURS = {Status.MISSING: "#f9d4d4", Status.RECEIVED: "#ffffff", Status.RETURNED: "#fce5c0",
                  Status.APPROVED: "#d9ead3"}
ERROR_COLOUR = "#f9d4d4"


SORT_ROLE = Qt.ItemDataRole.UserRole
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # which unit or state a row shows, whatever the sort order


class SortableItem(QTableWidgetItem):
    """Sorts by its number when it has one (「空白」 below 0), else by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return self.text() < other.text()  # the base class would call back into this override


def cell_item(value, sort_key=None, index: int | None = None) -> QTableWidgetItem:
    item = SortableItem("" if value is None else str(value))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if sort_key is not None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        item.setData(SORT_ROLE, float(sort_key if sort_key is not None else value))
    if index is not None:
        item.setData(INDEX_ROLE, index)
    if len(item.text()) > 12:  # what a narrowed column cannot show
        item.setToolTip(item.text())
    return item


def selected_index(table: QTableWidget) -> int | None:
    """The index stored in the first cell of the (first) selected row."""
    rows = sorted({i.row() for i in table.selectedItems()})
    item = table.item(rows[0], 0) if rows else None
    return item.data(INDEX_ROLE) if item else None


def new_table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # file order until a header is clicked
    table.setAlternatingRowColors(True)
    return table


def fill_table(table: QTableWidget, rows: list[list], colours: list[str | None] | None = None) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = value if isinstance(value, QTableWidgetItem) else cell_item(value)
            if colours and colours[r]:
                item.setBackground(QBrush(QColor(colours[r])))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    _cap_columns(table, len(rows))
    table.setSortingEnabled(True)


WRAPPED_ROWS = 500  # beyond this many rows, measuring each wrapped row costs more than it shows


def _cap_columns(table: QTableWidget, rows: int) -> None:
    """No column wider than a third of the window (a long file name would push 说明 out of view); the rows
    of a capped column grow to show their wrapped text."""
    cap = max(table.window().width() // 3, table.fontMetrics().horizontalAdvance("字") * 12)
    capped = False
    for c in range(table.columnCount() - 1):  # the last one stretches into what is left
        if table.columnWidth(c) > cap:
            table.setColumnWidth(c, cap)
            capped = True
    if capped and rows <= WRAPPED_ROWS:
        table.resizeRowsToContents()


class _Cancelled(Exception):
    pass


def read_with_progress(parent: QWidget, paths: list[Path]) -> list[aggregate.Unit] | None:
    """Read and self-check the files, with a cancellable progress dialog (2,000 drafts take a few seconds)."""
    progress = QProgressDialog("正在读取各单位的报告…", "取消", 0, len(paths), parent)
    progress.setWindowTitle("读取报告")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)

    def step(done: int, _total: int) -> None:
        progress.setValue(done)
        if done % 20 == 1:
            QApplication.processEvents()
        if progress.wasCanceled():
            raise _Cancelled

    try:
        return aggregate.read_units(paths, progress=step)
    except _Cancelled:
        return None
    finally:
        progress.close()
        progress.deleteLater()


def button_row(specs, layout: QHBoxLayout) -> None:
    """Push buttons (text, slot, objectName) in a row, then a stretch."""
    for text, slot, name in specs:
        button = QPushButton(text, objectName=name)
        button.clicked.connect(slot)
        layout.addWidget(button)
    layout.addStretch(1)


def short_date(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""
