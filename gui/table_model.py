"""One Qt table model per official table, laid out as the printed grid over the core model."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from core import layout as L
from core.findings import Severity
from core.model import parse_figure

from .document import ReportDocument

PreviousRole = Qt.ItemDataRole.UserRole + 1  # last year's figure as text, for the faint hint
KeyRole = Qt.ItemDataRole.UserRole + 2  # (row key, column key) of a figure cell, None elsewhere

HEADER_BG = QColor("#eef1f5")
DERIVED_BG = QColor("#e8eef8")
TINTS = {
    Severity.ERROR: QColor("#f9d4d4"),
    Severity.WARNING: QColor("#fde9b8"),
    Severity.INFO: QColor("#d8e8fb"),
}
EXPLAINED_TINT = QColor("#eef3e6")


def normalize_input(text: str) -> str:
    """What a clerk typed or pasted, as the core reads it: full-width digits, separators and spaces removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace(",", "").replace(" ", "")


def display(value) -> str:
    return "" if value is None else str(value)


class FigureTableModel(QAbstractTableModel):
    """Rows × columns are the official printed grid; label cells are read-only, figure cells edit the report."""

    message = Signal(str)

    def __init__(self, document: ReportDocument, table_key: str, parent=None):
        super().__init__(parent)
        self.document = document
        self.layout = L.TABLE_BY_KEY[table_key]
        rows, cols = self.layout.grid_size
        self._owner: list[list[L.GridCell | None]] = [[None] * cols for _ in range(rows)]
        for cell in self.layout.grid:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    self._owner[r][c] = cell
        self._tints: dict[tuple[str, str], tuple[Severity, bool, list[str]]] = {}
        self._previous: dict[tuple[str, str], object] = {}
        document.cellsChanged.connect(self._on_cells_changed)
        document.findingsChanged.connect(self._on_findings_changed)
        document.previousChanged.connect(self._on_previous_changed)
        self._on_findings_changed(emit=False)
        self._on_previous_changed(emit=False)

    # -- structure ------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.layout.grid_size[0]

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.layout.grid_size[1]

    def cell_at(self, row: int, col: int) -> L.GridCell | None:
        return self._owner[row][col]

    def index_of(self, row_key: str, col_key: str) -> QModelIndex:
        cell = self.layout.figure_positions[(row_key, col_key)]
        return self.index(cell.row, cell.col)

    def is_input(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        cell = self._owner[index.row()][index.column()]
        return cell is not None and cell.figure is not None and cell.figure in self.layout.inputs

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.is_input(index):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # -- reading --------------------------------------------------------------------------------

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        cell = self._owner[index.row()][index.column()]
        if cell is None:
            return None
        if cell.figure is None:
            return self._label_data(cell, role)
        key = cell.figure
        table = self.document.report.table(self.layout.key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return display(table.get(*key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            tint = self._tints.get(key)
            if tint is not None:
                return QBrush(EXPLAINED_TINT if tint[1] else TINTS[tint[0]])
            if self.layout.is_derived(*key):
                return QBrush(DERIVED_BG)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(key)
        if role == PreviousRole:
            value = self._previous.get(key)
            return None if value is None else str(value)
        if role == KeyRole:
            return key
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.layout.cell_name(*key) + "：" + (display(table.get(*key)) or "空白")
        return None

    def label_text(self, cell: L.GridCell) -> str:
        """A label as displayed: table 四's four-character headers break in the middle, as printed."""
        if self.layout.key == "table4" and cell.role == "header" and cell.colspan == 1 and len(cell.text) == 4:
            return cell.text[:2] + "\n" + cell.text[2:]
        return cell.text

    def _label_data(self, cell: L.GridCell, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if cell.role == "label" and cell.colspan > 1 or cell.col == 2 and self.layout.key == "table3":
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and cell.role == "header":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and cell.role == "note":
            return cell.text
        return None

    def _tooltip(self, key: tuple[str, str]) -> str:
        lines = []
        row, col = key
        if self.layout.is_derived(row, col):
            lines.append("自动计算的合计，不能直接填写")
        tint = self._tints.get(key)
        if tint is not None:
            lines += tint[2]
        if key in self._previous:
            lines.append(f"上年：{display(self._previous[key]) or '空白'}")
        return "\n".join(lines)

    # -- writing --------------------------------------------------------------------------------

    def refusal(self, index, text: str) -> str | None:
        """Why ``text`` cannot go into the input cell at ``index`` (in Chinese), or None when it can."""
        if not self.is_input(index):
            return None
        row, col = self._owner[index.row()][index.column()].figure
        try:
            parse_figure(self.layout, row, col, normalize_input(text) or None)
        except ValueError as e:
            return str(e)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.is_input(index):
            return False
        row, col = self._owner[index.row()][index.column()].figure
        text = normalize_input(str(value)) if value is not None else ""
        try:
            self.document.set_cell(self.layout.key, row, col, text or None)
        except ValueError as e:
            self.message.emit(str(e))
            return False
        return True

    # -- refresh --------------------------------------------------------------------------------

    def _emit_all(self, roles=None) -> None:
        rows, cols = self.layout.grid_size
        self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, cols - 1), roles or [])

    def _on_cells_changed(self, table: str, _cells) -> None:
        if table == self.layout.key:
            self._emit_all()  # the derived totals of every touched row and column change with them

    def _on_findings_changed(self, emit: bool = True) -> None:
        hits: dict[tuple[str, str], list] = {}
        positions = self.layout.figure_positions
        for finding in self.document.findings:
            for loc in finding.locations:
                if loc.table != self.layout.key or (loc.row is None and loc.column is None):
                    continue
                if loc.row is not None and loc.column is not None:
                    keys = [(loc.row, loc.column)] if (loc.row, loc.column) in positions else []
                else:  # a whole row or column
                    keys = [k for k in positions if loc.row in (None, k[0]) and loc.column in (None, k[1])]
                for key in keys:
                    found = hits.setdefault(key, [])
                    if finding not in found:
                        found.append(finding)
        tints = {}
        for key, found in hits.items():
            open_ = [f for f in found if not f.explanation]
            worst = min(open_ or found, key=lambda f: f.severity.rank)
            texts = [f"{f.severity.label}：{f.message}" + (f"（已说明：{f.explanation}）" if f.explanation else "")
                     for f in found]
            tints[key] = (worst.severity, not open_, texts)
        if tints != self._tints:
            self._tints = tints
            if emit:
                self._emit_all([Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    def _on_previous_changed(self, emit: bool = True) -> None:
        prev = self.document.previous
        self._previous = prev.table(self.layout.key).resolved() if prev is not None else {}
        if emit:
            self._emit_all([PreviousRole, Qt.ItemDataRole.ToolTipRole])
