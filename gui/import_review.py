"""Imported reports in the window: a whole report pasted from the clipboard (a web page's HTML first, then
plain text; the menu entry and dropped files are wired in gui.drops), and the 导入核对 view that shows every
figure read beside the source it was read from (the PDF page with the figure outlined, or the source line),
marks the cells not read or assumed, and leads from a cell or an import note to that cell in the main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QScrollArea, QSpinBox, QSplitter,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from core import layout as L
from core.errors import ReportFileError
from core.findings import Location
from core.imports.review import PAGED_FORMATS, CellMark, ReviewSource, cell_marks, note_place, open_source
from core.model import Note, Report, SourcePlace

from . import file_dialogs
from .document import ReportDocument
from .screen_fit import fit_to_screen


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
    show_review(window)
    return True


# -- 导入核对 -----------------------------------------------------------------------------------------

NOT_READ_COLOUR = QColor("#f8d0d0")  # a cell left blank by the import: the clerk must fill it from the source
ASSUMED_COLOUR = QColor("#fbe8b0")  # read, but with a note (assumed, doubtful, label differs)
BOX_PEN = QColor("#d01010")
_ROLE_CELL = Qt.ItemDataRole.UserRole  # (table, row, column) of a table item
_ROLE_NOTE = Qt.ItemDataRole.UserRole  # index of a note in the import record
_STATE_WORD = {CellMark.NOT_READ: "未读取", CellMark.ASSUMED: "有提示", CellMark.READ: "已读取"}


class ImportReviewWindow(QWidget):
    """导入核对: the tables as read beside their source; a click on a cell or a note leads to it."""

    def __init__(self, window, report: Report):
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("import_review")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # shown after an import without taking the keyboard from the main window the clerk is typing in
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.window_ = window
        self.report = report
        self.record = report.imported
        self.source: ReviewSource = open_source(self.record)
        self.marks = cell_marks(report)
        self._pixmaps: dict[tuple[int, int], QPixmap] = {}
        self._place: SourcePlace | None = None
        self.setWindowTitle(f"导入核对 - {self.source.name}")

        counts = {state: sum(1 for m in self.marks.values() if m.state == state) for state in _STATE_WORD}
        head = QLabel(f"原文：{self.source.name}　　已读取 {counts[CellMark.READ]} 格，"
                      f"有提示 {counts[CellMark.ASSUMED]} 格，未读取 {counts[CellMark.NOT_READ]} 格"
                      f"（红色为未读取，黄色为有提示）。点击单元格或提示，可看到它在原文中的位置，并转到主窗口中的该单元格。")
        head.setWordWrap(True)
        head.setObjectName("review_summary")
        self.remark = QLabel(self.source.remark)
        self.remark.setObjectName("review_remark")
        self.remark.setWordWrap(True)
        self.remark.setVisible(bool(self.source.remark))
        self.remark.setStyleSheet("color: #a04000")
        self.locate_button = QPushButton("指定原文件(&L)…")
        self.locate_button.setObjectName("review_locate")
        self.locate_button.clicked.connect(lambda _checked=False: self.locate_dialog())
        # a paged source that moved or changed: the clerk can say where the file read is now
        self.locate_button.setVisible(bool(self.source.remark) and self.record.source_format in PAGED_FORMATS)

        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for layout in L.TABLES:
            table = self._table(layout)
            self.tables[layout.key] = table
            self.tabs.addTab(table, layout.name)
        self.cell_source = QLabel("选中一个单元格，这里显示它读自原文的哪一处。")
        self.cell_source.setObjectName("review_cell_source")
        self.cell_source.setWordWrap(True)
        self.cell_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.cell_source)

        self.source_view = QStackedWidget()
        self.lines = QListWidget()
        self.lines.setObjectName("review_lines")
        self.lines.setWordWrap(True)
        for i, line in enumerate(self.source.lines):
            # a paged source's notes count lines on each page as printed: a running number would not match them
            self.lines.addItem(f"第 {line.page} 页  {line.text}" if line.page else f"{i + 1:>4}  {line.text}")
        self.page_label = QLabel()
        self.page_label.setObjectName("review_page")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidget(self.page_label)
        self.page_scroll.setWidgetResizable(True)
        self.page_number = QSpinBox()
        self.page_number.setObjectName("review_page_number")
        self.page_number.setPrefix("第 ")
        self.page_number.setSuffix(f" 页，共 {len(self.source.pages)} 页")
        self.page_number.setRange(1, max(1, len(self.source.pages)))
        self.page_number.valueChanged.connect(lambda n: self._show_page(n, None))
        page_panel = QWidget()
        page_column = QVBoxLayout(page_panel)
        page_column.setContentsMargins(0, 0, 0, 0)
        page_column.addWidget(self.page_number, 0, Qt.AlignmentFlag.AlignLeft)
        page_column.addWidget(self.page_scroll, 1)
        self.source_view.addWidget(self.lines)
        self.source_view.addWidget(page_panel)
        self.source_view.setCurrentIndex(1 if self.source.pages else 0)

        self.notes = QListWidget()
        self.notes.setObjectName("review_notes")
        self.notes.setWordWrap(True)
        for i, note in enumerate(self.record.notes):
            item = QListWidgetItem(f"[{note.severity.label}] {note.message}")
            item.setData(_ROLE_NOTE, i)
            self.notes.addItem(item)
        if not self.record.notes:
            self.notes.addItem("导入时没有提示。")
        self.notes.itemClicked.connect(self._note_clicked)
        self.notes.itemActivated.connect(self._note_clicked)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.source_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        upright = QSplitter(Qt.Orientation.Vertical)
        upright.addWidget(split)
        notes_box = QWidget()
        notes_column = QVBoxLayout(notes_box)
        notes_column.setContentsMargins(0, 0, 0, 0)
        notes_column.addWidget(QLabel(f"导入提示（{len(self.record.notes)} 条）"))
        notes_column.addWidget(self.notes)
        upright.addWidget(notes_box)
        upright.setStretchFactor(0, 3)
        upright.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(head)
        remark_row = QHBoxLayout()
        remark_row.addWidget(self.remark, 1)
        remark_row.addWidget(self.locate_button)
        outer.addLayout(remark_row)
        outer.addWidget(upright, 1)
        if self.source.pages:
            self._show_page(1, None)
        fit_to_screen(self, 1280, 720)

    def locate_dialog(self) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "指定导入时的原文件", "", "PDF 文件 (*.pdf)")
        if name:
            self.locate(Path(name))

    def locate(self, path: Path) -> bool:
        """Show the pages of ``path`` when it is the file that was imported; else say why not."""
        source = open_source(self.record, path)
        if not source.pages:
            source.close()
            self.remark.setText(source.remark)
            return False
        self.source.close()
        self.source, self._pixmaps = source, {}
        self.remark.setVisible(False)
        self.locate_button.setVisible(False)
        self.page_number.setSuffix(f" 页，共 {len(source.pages)} 页")
        self.page_number.setRange(1, len(source.pages))
        self.source_view.setCurrentIndex(1)
        self._show_page(1, None)
        return True

    # -- building ----------------------------------------------------------------------------

    @staticmethod
    def _wrap_row_labels(table: QTableWidget) -> None:
        """Row labels of 表三 run to forty characters: wrapped in a column of fourteen, so that the figures
        beside them stay in view (the rows grow to hold them)."""
        header = table.verticalHeader()
        fm = header.fontMetrics()
        width = fm.horizontalAdvance("字") * 14
        header.setDefaultAlignment(Qt.AlignmentFlag(Qt.AlignmentFlag.AlignLeft.value | Qt.AlignmentFlag.AlignVCenter.value
                                                    | Qt.TextFlag.TextWordWrap.value))
        header.setMaximumWidth(width)
        pad = 8
        for row in range(table.rowCount()):
            text = table.verticalHeaderItem(row).text()
            needed = fm.boundingRect(QRect(0, 0, width - 2 * pad, 10_000), int(Qt.TextFlag.TextWordWrap), text)
            table.setRowHeight(row, max(table.rowHeight(row), needed.height() + pad))

    def _table(self, layout: L.TableLayout) -> QTableWidget:
        table = QTableWidget(len(layout.rows), len(layout.columns))
        table.setObjectName(f"review_{layout.key}")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setHorizontalHeaderLabels([c.short for c in layout.columns])
        table.setVerticalHeaderLabels([r.short for r in layout.rows])
        figures = self.report.table(layout.key)
        for i, row in enumerate(layout.rows):
            table.verticalHeaderItem(i).setToolTip(row.label)
            for j, col in enumerate(layout.columns):
                mark = self.marks.get((layout.key, row.key, col.key))
                if mark is None and (row.key, col.key) not in layout.figure_positions:
                    continue  # a cell the format does not have
                value = figures.get(row.key, col.key)
                item = QTableWidgetItem("" if value is None else str(value))
                item.setData(_ROLE_CELL, (layout.key, row.key, col.key))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if mark is None:  # a total: computed by the program from the cells above
                    item.setForeground(QBrush(QColor("#707070")))
                    item.setToolTip("合计，由程序计算")
                else:
                    if mark.state == CellMark.NOT_READ:
                        item.setBackground(NOT_READ_COLOUR)
                        item.setText("未读取")
                    elif mark.state == CellMark.ASSUMED:
                        item.setBackground(ASSUMED_COLOUR)
                    item.setToolTip(self._cell_text(layout.key, row.key, col.key))
                table.setItem(i, j, item)
        table.resizeColumnsToContents()
        self._wrap_row_labels(table)
        table.currentItemChanged.connect(lambda item, _old: self._cell_chosen(item, go=False))
        table.itemClicked.connect(lambda item: self._cell_chosen(item, go=True))
        table.itemActivated.connect(lambda item: self._cell_chosen(item, go=True))
        return table

    def _cell_text(self, table: str, row: str, col: str) -> str:
        """What the clerk reads under the tables: the cell, how it was read, where, and the source text."""
        layout = L.TABLE_BY_KEY[table]
        mark = self.marks.get((table, row, col))
        parts = [f"{layout.cell_name(row, col)}：{_STATE_WORD[mark.state]}" if mark else layout.cell_name(row, col)]
        place = self.record.cell_source(table, row, col)
        if place is not None:
            parts.append("原文" + self._where(place) + (f"：{self._line_text(place)}" if self._line_text(place) else ""))
        elif mark and mark.state == CellMark.NOT_READ:
            parts.append("原文中未找到这一格的数字")
        for i in mark.notes if mark else ():
            parts.append(self.record.notes[i].message)
        return "\n".join(parts)

    def _where(self, place: SourcePlace) -> str:
        if place.page is not None:
            return f"第 {place.page} 页"
        return f"第 {place.line + 1} 行" if place.line is not None else ""

    def _line_text(self, place: SourcePlace) -> str:
        if place.line is not None and place.line < len(self.source.lines):
            return self.source.lines[place.line].text.replace("\t", "  ")
        return ""

    # -- following a cell or a note --------------------------------------------------------------

    def _cell_chosen(self, item, go: bool) -> None:
        cell = item.data(_ROLE_CELL) if item is not None else None
        if not cell:
            return
        table, row, col = cell
        self.cell_source.setText(self._cell_text(table, row, col))
        place = self.record.cell_source(table, row, col)
        if place is None:
            mark = self.marks.get(cell)
            notes = [self.record.notes[i] for i in mark.notes] if mark else []
            place = next((p for p in (note_place(n, self.record) for n in notes) if p is not None), None)
        self.show_place(place)
        if go:
            self.go_to_cell(Location(part=L.TABLE_BY_KEY[table].part, table=table, row=row, column=col))

    def _note_clicked(self, item: QListWidgetItem) -> None:
        index = item.data(_ROLE_NOTE)
        if index is None:
            return
        note: Note = self.record.notes[index]
        self.show_place(note_place(note, self.record))
        loc = note.as_finding().location
        table = self.tables.get(loc.table or "")
        if table is not None and loc.row and loc.column:
            self._select_item(loc.table, loc.row, loc.column)
        self.go_to_cell(loc)

    def _select_item(self, table: str, row: str, col: str) -> None:
        layout = L.TABLE_BY_KEY[table]
        widget = self.tables[table]
        self.tabs.setCurrentWidget(widget)
        r = [x.key for x in layout.rows].index(row)
        c = [x.key for x in layout.columns].index(col)
        widget.blockSignals(True)
        widget.setCurrentCell(r, c)
        widget.blockSignals(False)
        self.cell_source.setText(self._cell_text(table, row, col))

    def go_to_cell(self, location: Location) -> None:
        """The cell (or part) in the main window, as a finding in the 自检 panel leads there."""
        from core.findings import Finding, Severity

        self.window_.show_finding(Finding("IMPORT-REVIEW", Severity.INFO, "", (location,)))

    def show_place(self, place: SourcePlace | None) -> None:
        """The source at ``place``: its page with the box outlined (when the pages can be shown), else its line."""
        self._place = place
        if place is None:
            return
        if self.source.pages and place.page is not None and place.page <= len(self.source.pages):
            self.source_view.setCurrentIndex(1)
            self._show_page(place.page, place.box)
        elif place.line is not None and place.line < self.lines.count():
            self.source_view.setCurrentIndex(0)
            self.lines.setCurrentRow(place.line)
            self.lines.scrollToItem(self.lines.item(place.line), QAbstractItemView.ScrollHint.PositionAtCenter)

    def _show_page(self, number: int, box) -> None:
        page = self.source.pages[number - 1]
        width = max(400, self.page_scroll.viewport().width() - 4)
        dpi = max(36, min(200, 72 * width / max(page.width, 1)))
        key = (number, round(dpi))
        if key not in self._pixmaps:
            pixmap = QPixmap()
            try:
                pixmap.loadFromData(page.render(dpi), "PNG")
            except Exception:  # noqa: BLE001 — a page that cannot be drawn again: the lines still show the source
                self.remark.setText(f"第 {number} 页无法显示，请对照下方的原文文字")
                self.remark.setVisible(True)
                return
            self._pixmaps[key] = pixmap
        pixmap = self._pixmaps[key].copy()
        if box is not None:
            scale = dpi / 72
            painter = QPainter(pixmap)
            painter.setPen(QPen(BOX_PEN, 2))
            x0, top, x1, bottom = box
            painter.drawRect(QRectF(x0 * scale - 3, top * scale - 3, (x1 - x0) * scale + 6, (bottom - top) * scale + 6))
            painter.end()
        self.page_label.setPixmap(pixmap)
        self.page_number.blockSignals(True)
        self.page_number.setValue(number)
        self.page_number.blockSignals(False)
        if box is not None:
            y = int(box[1] * dpi / 72)
            self.page_scroll.ensureVisible(int(box[0] * dpi / 72), y, 50, self.page_scroll.viewport().height() // 3)
        self.shown_box = box

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.source.close()
        super().closeEvent(event)


def show_review(window) -> ImportReviewWindow | None:
    """The 导入核对 view of the window's report, when it was imported (a window of its own, one at a time)."""
    report = window.document.report
    old = getattr(window, "import_review", None)
    if old is not None:
        try:
            old.close()
        except RuntimeError:
            pass  # already deleted with its report
    window.import_review = None
    if report.imported is None:
        window.show_message("这份报告不是导入的，没有导入核对内容")
        return None
    view = ImportReviewWindow(window, report)
    window.import_review = view
    view.show()
    return view


_OFFICE_KINDS = {".docx": "Word 文档", ".xlsx": "Excel 工作簿"}


def review_travels_in_drafts(path: Path) -> str:
    """Why a Word or Excel file opened in place of a draft has no 批注 or 修改记录: published files carry none."""
    kind = _OFFICE_KINDS.get(path.suffix.lower(), "文件")
    return (f"「{path.name}」是{kind}，不是年报草稿。已读取其中的表格和文字；批注和修改记录只保存在年报草稿"
            f"（.nbdraft）中，导出的{kind}不带这些内容。如需继续审核或保留修改记录，请打开原来的年报草稿；"
            f"否则请把这份报告「另存为」年报草稿。")


def after_import(window, path: Path) -> None:
    """What follows opening a file that is not a draft: the 导入核对 view, and for a Word or Excel file the
    reminder that the review (批注, 修改记录) travels only in drafts."""
    if path.suffix.lower() in _OFFICE_KINDS:
        QMessageBox.information(window, "打开的不是年报草稿", review_travels_in_drafts(path))
    if window.document.report.imported is not None:
        show_review(window)
