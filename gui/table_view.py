"""The editor of one official table: typing like a spreadsheet, paste from Excel/WPS, finding tints."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QRect, Qt, Signal
from PySide6.QtGui import (QAction, QColor, QGuiApplication, QKeySequence, QPalette,
                           QRegularExpressionValidator)
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QHeaderView, QLineEdit, QMenu,
                               QScrollArea, QStyledItemDelegate, QTableView, QToolTip)

from .document import ReportDocument
from .table_model import FigureTableModel, KeyRole, PreviousRole, normalize_input
from .table_sizes import LABEL_SHARES, minimum_labels as labels_width, narrow_figure

# Digits in either width, separators (removed), and a sign or decimal point: those reach the cell's own
# check on Enter and are refused there with the reason, rather than dropped so that "2.5" would become 25.
FIGURE_PATTERN = r"[-－+＋]?[0-9０-９,，\s]*([.．。][0-9０-９]*)?"
HINT_COLOR = QColor("#8a94a6")


class FigureDelegate(QStyledItemDelegate):
    """A digits-only editor; Enter and Tab commit and move on like a spreadsheet."""

    def __init__(self, view: "FigureTableView"):
        super().__init__(view)
        self.view = view

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        money = self.view.model().layout.kind(*index.data(KeyRole)) == "money"
        editor.setValidator(QRegularExpressionValidator(FIGURE_PATTERN, editor))
        editor.inputRejected.connect(lambda: self.refuse(editor, "这里只能填写数字" + (
            "（金额单位为万元，可带小数）" if money else "（没有发生的请填 0）")))
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor, index):
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        model.setData(index, self.typed(editor), Qt.ItemDataRole.EditRole)

    @staticmethod
    def typed(editor) -> str:
        return normalize_input(editor.text()).replace("。", ".")

    def refuse(self, editor, reason: str) -> None:
        """Say at the cell and in the status bar why the keystroke or figure was not taken."""
        self.view.message.emit(reason)
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), reason, editor)

    def eventFilter(self, editor, event):
        if event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            moves = {Qt.Key.Key_Return: "down", Qt.Key.Key_Enter: "down", Qt.Key.Key_Tab: "right",
                     Qt.Key.Key_Backtab: "left"}
            if key in moves:
                reason = self.view.model().refusal(self.view.currentIndex(), self.typed(editor))
                if reason:  # the editor stays open with what was typed, so nothing changes unseen
                    self.refuse(editor, f"未填写：{reason}")
                    editor.selectAll()
                    return True
                direction = moves[key]
                if direction == "down" and mods & Qt.KeyboardModifier.ShiftModifier:
                    direction = "up"
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.view.advance(direction)
                return True
        return super().eventFilter(editor, event)

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        previous = index.data(PreviousRole)
        if previous is None:
            return
        painter.save()
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.72, 6.0))
        painter.setFont(font)
        painter.setPen(HINT_COLOR)
        rect = option.rect.adjusted(2, 1, -3, -1)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, previous)
        painter.restore()


class FigureTableView(QTableView):
    """The official table as the clerk edits it; every change goes through the document's undo stack."""

    message = Signal(str)

    def __init__(self, document: ReportDocument, table_key: str, parent=None):
        super().__init__(parent)
        self.document = document
        self.setObjectName(f"table_{table_key}")
        model = FigureTableModel(document, table_key, self)
        model.message.connect(self.message)
        self.setModel(model)
        self.layout_ = model.layout
        self._fitted_figure = 0
        model.dataChanged.connect(self._figures_changed)
        self.setItemDelegate(FigureDelegate(self))
        for cell in self.layout_.grid:
            if cell.rowspan > 1 or cell.colspan > 1:
                self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setTabKeyNavigation(True)  # Tab moves between cells; Ctrl+Tab leaves the table
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fb6"))
        self.setPalette(palette)
        self._inputs = sorted(((c.row, c.col) for c in self.layout_.grid
                               if c.figure is not None and c.figure in self.layout_.inputs))
        self._size_columns()
        self._add_actions()
        first = self._inputs[0]
        self.setCurrentIndex(model.index(*first))

    # -- layout ---------------------------------------------------------------------------------

    LABEL_SHARES = LABEL_SHARES

    def _size_columns(self) -> None:
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setMinimumSectionSize(1)  # the header is hidden: its own minimum means nothing
        self.fit_columns(self.viewport().width() or 900)

    def fit_columns(self, width: int) -> None:
        """Fit the table to ``width`` pixels: figures get what they need, labels share the rest.

        Column labels wrap onto two lines when narrow, as in print; below the minimum width the page
        scrolls sideways rather than cutting the table off.
        """
        fm = self.fontMetrics()
        narrow, minimum_labels = narrow_figure(self.layout_, fm), labels_width(self.layout_, fm)
        roomy = max(fm.horizontalAdvance("社会公益") + 10, fm.horizontalAdvance("000000") + 12)
        cols = self.model().columnCount()
        shares = self.LABEL_SHARES[self.layout_.key]
        figures = cols - len(shares)
        if self.layout_.key == "table4":
            self._fitted_figure = self._widest_figure(fm)
            narrow = narrow_figure(self.layout_, fm, self.text_margins(), self._fitted_figure)
        self.setMinimumWidth(narrow * figures + minimum_labels + 2 * self.frameWidth())
        if self.layout_.key == "table2":
            figure = max(roomy, (width - minimum_labels) // figures)
        elif self.layout_.key == "table4":
            figure = max(narrow, width // figures)
        else:
            figure = roomy if width - roomy * figures >= minimum_labels * 2 else narrow
        rest = max(width - figure * figures, minimum_labels)
        for col, label_width in enumerate(self._label_widths(rest, shares, fm)):
            self.setColumnWidth(col, label_width)
        for col in range(len(shares), cols):
            self.setColumnWidth(col, figure)
        self.fit_rows()

    def _label_widths(self, rest: int, shares: tuple, fm) -> list[int]:
        """Label columns share ``rest`` in proportion, none narrower than its widest unbreakable piece of text
        (「三、」 and 「（三）」 do not break: a narrower column would cut them); the widest share gives way."""
        least = [0] * len(shares)
        whole = QRect(0, 0, 1, 10_000)
        for cell in self.layout_.grid:
            if cell.text and cell.col < len(shares) and cell.colspan == 1:
                piece = fm.boundingRect(whole, int(Qt.TextFlag.TextWordWrap), self.model().label_text(cell)).width()
                least[cell.col] = max(least[cell.col], piece + self.text_margins())
        widths = [max(int(rest * share), low) for share, low in zip(shares, least)]
        if widths:
            widest = shares.index(max(shares))
            widths[widest] = max(least[widest], widths[widest] - (sum(widths) - rest))
        return widths

    def text_margins(self) -> int:
        """The pixels of a cell that text cannot use: the item view's margin on each side and the grid line."""
        return 2 * (self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 1

    def _widest_figure(self, fm) -> int:
        model = self.model()
        return max((fm.horizontalAdvance(model.index(c.row, c.col).data() or "") for c in self.layout_.grid
                    if c.figure is not None), default=0)

    def _figures_changed(self) -> None:
        """A figure wider than the narrow columns of 表四 widens them (and the page scrolls) rather than being cut."""
        if self.layout_.key == "table4" and self._widest_figure(self.fontMetrics()) != self._fitted_figure:
            self.fit_columns(self.viewport().width() or 900)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoomed: columns and rows measured in the new font
            self.fit_columns(self.viewport().width() or 900)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns(self.viewport().width())

    def fit_rows(self) -> None:
        """Row heights that fit wrapped labels, measuring a merged cell across its whole span.

        QTableView.resizeRowsToContents measures a merged cell as if it were one column wide, which makes
        the header rows of table 三 several times too tall.
        """
        fm = self.fontMetrics()
        pad = 10
        margins = self.text_margins()
        base = fm.height() + pad
        rows = self.model().rowCount()
        heights = [base] * rows
        spanning = []
        for cell in self.layout_.grid:
            if not cell.text:
                continue
            width = sum(self.columnWidth(c) for c in range(cell.col, cell.col + cell.colspan)) - margins
            flags = int(Qt.TextFlag.TextWordWrap)
            text = self.model().label_text(cell)
            needed = fm.boundingRect(QRect(0, 0, max(width, 10), 10_000), flags, text).height() + pad
            if cell.rowspan == 1:
                heights[cell.row] = max(heights[cell.row], needed)
            else:
                spanning.append((cell, needed))
        for cell, needed in spanning:
            span = range(cell.row, cell.row + cell.rowspan)
            missing = needed - sum(heights[r] for r in span)
            if missing > 0:
                for r in span:
                    heights[r] += -(-missing // cell.rowspan)
        for r, h in enumerate(heights):
            self.setRowHeight(r, h)
        # The whole table shows at once; the page around it scrolls.
        self.setFixedHeight(sum(heights) + 2 * self.frameWidth())

    def sizeHint(self):
        hint = super().sizeHint()
        width = sum(self.columnWidth(c) for c in range(self.model().columnCount())) + 2 * self.frameWidth()
        height = sum(self.rowHeight(r) for r in range(self.model().rowCount())) + 2 * self.frameWidth()
        hint.setWidth(width)
        hint.setHeight(height)
        return hint

    # -- navigation -----------------------------------------------------------------------------

    def advance(self, direction: str) -> None:
        """Move to the next input cell down/up/right/left of the current one (wrapping like reading order)."""
        current = self.currentIndex()
        here = (current.row(), current.column())
        if direction in ("right", "left"):
            order = self._inputs
        else:
            order = sorted(self._inputs, key=lambda p: (p[1], p[0]))
        if direction in ("left", "up"):
            order = order[::-1]
        key = (lambda p: p) if direction in ("right", "left") else (lambda p: (p[1], p[0]))
        pos = key(here)
        after = [p for p in order if (key(p) > pos if direction in ("right", "down") else key(p) < pos)]
        target = after[0] if after else order[0]
        self.setCurrentIndex(self.model().index(*target))

    def currentChanged(self, current, previous):
        super().currentChanged(current, previous)
        self.reveal(current)

    def reveal(self, index) -> None:
        """Scroll the page around the table so the cell being typed into is on screen.

        The table shows whole (the page scrolls, not the table), so QTableView's own scrollTo never moves.
        """
        if not index.isValid():
            return
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None or area.widget() is None:
            return
        rect = self.visualRect(index)
        centre = self.viewport().mapTo(area.widget(), rect.center())
        area.ensureVisible(centre.x(), centre.y(), rect.width() // 2 + 8, rect.height() + 8)

    def keyPressEvent(self, event):
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Copy):
            return self.copy()
        if event.matches(QKeySequence.StandardKey.Paste):
            return self.paste()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            return self.clear_selection()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            return self.advance("up" if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else "down")
        if key == Qt.Key.Key_Tab:
            return self.advance("right")
        if key == Qt.Key.Key_Backtab:
            return self.advance("left")
        super().keyPressEvent(event)

    def select_cell(self, row_key: str, col_key: str) -> None:
        index = self.model().index_of(row_key, col_key)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_line(self, row_key: str | None = None, col_key: str | None = None) -> None:
        cells = [c for (r, k), c in self.layout_.figure_positions.items()
                 if (row_key is None or r == row_key) and (col_key is None or k == col_key)]
        if not cells:
            return
        model = self.model()
        selection = QItemSelection()
        for c in cells:
            selection.select(model.index(c.row, c.col), model.index(c.row, c.col))
        first = min(cells, key=lambda c: (c.row, c.col))
        self.setCurrentIndex(model.index(first.row, first.col))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(model.index(first.row, first.col))
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- clipboard ------------------------------------------------------------------------------

    def _selected_rect(self) -> QRect | None:
        indexes = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return QRect(min(cols), min(rows), max(cols) - min(cols) + 1, max(rows) - min(rows) + 1)

    def copy(self) -> None:
        rect = self._selected_rect()
        if rect is None:
            return
        model = self.model()
        lines = []
        for r in range(rect.top(), rect.bottom() + 1):
            cells = []
            for c in range(rect.left(), rect.right() + 1):
                owner = model.cell_at(r, c)
                top_left = owner is not None and (owner.row, owner.col) == (r, c)
                cells.append(model.index(r, c).data() or "" if top_left else "")
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")

    def paste(self, text: str | None = None) -> bool:
        """Fill cells from the current one with a block copied from Excel/WPS; all or nothing, one undo step."""
        text = QGuiApplication.clipboard().text() if text is None else text
        rows = [line.split("\t") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        while rows and rows[-1] == [""]:
            rows.pop()
        if not rows:
            return False
        start = self.currentIndex()
        model = self.model()
        height, width = model.rowCount(), model.columnCount()
        depth, breadth = len(rows), max(len(r) for r in rows)
        if start.row() + depth > height or start.column() + breadth > width:
            self.message.emit(f"粘贴的数据有 {depth} 行 {breadth} 列，从当前单元格开始超出了表格范围，未粘贴。"
                              f"请先选中要填写的第一个单元格")
            return False
        changes = []
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                index = model.index(start.row() + i, start.column() + j)
                if not model.is_input(index):
                    continue  # labels and totals in the pasted area keep their own content
                cell = model.cell_at(index.row(), index.column())
                if (cell.row, cell.col) != (index.row(), index.column()):
                    continue
                row_key, col_key = cell.figure
                changes.append((self.layout_.key, row_key, col_key, normalize_input(value) or None))
        if not changes:
            self.message.emit("粘贴区域内没有可填写的单元格")
            return False
        try:
            self.document.set_cells(changes, "粘贴")
        except ValueError as e:
            self.message.emit(f"未粘贴：{e}")
            return False
        self.message.emit(f"已粘贴 {len(changes)} 个单元格")
        return True

    def clear_selection(self) -> None:
        model = self.model()
        changes = []
        for index in self.selectedIndexes() or [self.currentIndex()]:
            if model.is_input(index):
                row_key, col_key = model.cell_at(index.row(), index.column()).figure
                changes.append((self.layout_.key, row_key, col_key, None))
        if changes:
            self.document.set_cells(changes, "清除")

    def fill_blanks(self) -> None:
        count = self.document.fill_blanks()
        self.message.emit(f"已将 {count} 个空白单元格填为 0" if count else "没有空白单元格")

    # -- menu -----------------------------------------------------------------------------------

    def _add_actions(self) -> None:
        self._menu_actions = []
        for text, slot, shortcut in (("复制", self.copy, QKeySequence.StandardKey.Copy),
                                     ("粘贴", self.paste, QKeySequence.StandardKey.Paste),
                                     ("清除", self.clear_selection, QKeySequence.StandardKey.Delete),
                                     ("空白单元格填 0", self.fill_blanks, None)):
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self._menu_actions.append(action)

    def contextMenuEvent(self, event):
        menu = QMenu(self)
        menu.addActions(self._menu_actions)
        menu.exec(event.globalPos())
