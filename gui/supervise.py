"""The supervisor's windows: 汇总 (compile many units), 报送名单 (who sent what), 对比 (two versions).

Each is a top-level window beside the main window, which it uses to open a unit's draft (in review
mode) or the compiled summary. The work itself is done by ``core.aggregate``, ``core.roster`` and
``core.compare``; these classes only show it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox,
                               QPlainTextEdit, QProgressDialog, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from core import aggregate, compare, draft, files
from core import layout as L
from core.errors import ReportFileError, os_reason
from core.findings import Severity, describe_location
from core.model import Comment, Level, OrganKind
from core.roster import Roster, RosterError, Status, load_roster, reconcile, save_roster, write_status_xlsx

from . import file_dialogs
from .dialogs import organ_choosers
from .document import ReportDocument
from .screen_fit import fit_to_screen

STATUS_COLOURS = {Status.MISSING: "#f9d4d4", Status.RECEIVED: "#ffffff", Status.RETURNED: "#fce5c0",
                  Status.APPROVED: "#d9ead3"}
ERROR_COLOUR = "#f9d4d4"


SORT_ROLE = Qt.ItemDataRole.UserRole
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # which unit or state a row shows, whatever the sort order


class _Item(QTableWidgetItem):
    """Sorts by its number when it has one (「空白」 below 0), else by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return self.text() < other.text()  # the base class would call back into this override


def _item(value, sort_key=None, index: int | None = None) -> QTableWidgetItem:
    item = _Item("" if value is None else str(value))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if sort_key is not None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        item.setData(SORT_ROLE, float(sort_key if sort_key is not None else value))
    if index is not None:
        item.setData(INDEX_ROLE, index)
    return item


def _row_index(table: QTableWidget) -> int | None:
    """The index stored in the first cell of the (first) selected row."""
    rows = sorted({i.row() for i in table.selectedItems()})
    item = table.item(rows[0], 0) if rows else None
    return item.data(INDEX_ROLE) if item else None


def _table(name: str, headers: list[str]) -> QTableWidget:
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


def _fill(table: QTableWidget, rows: list[list], colours: list[str | None] | None = None) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = value if isinstance(value, QTableWidgetItem) else _item(value)
            if colours and colours[r]:
                item.setBackground(QBrush(QColor(colours[r])))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.setSortingEnabled(True)


class _Cancelled(Exception):
    pass


def _read_with_progress(parent: QWidget, paths: list[Path]) -> list[aggregate.Unit] | None:
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


def _buttons(specs, layout: QHBoxLayout) -> None:
    """Push buttons (text, slot, objectName) in a row, then a stretch."""
    for text, slot, name in specs:
        button = QPushButton(text, objectName=name)
        button.clicked.connect(slot)
        layout.addWidget(button)
    layout.addStretch(1)


def _short_date(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


# -- 汇总 --------------------------------------------------------------------------------------


class CompileWindow(QMainWindow):
    """Pick the units' files, see each unit's state, the sums and who contributed what; open the summary."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main_window = main_window
        self.setObjectName("compile_window")
        self.setWindowTitle("汇总多个单位的年度报告")
        self.units: list[aggregate.Unit] = []
        self.left_out: set[int] = set()  # ids of units the supervisor unticked
        self.ticked_in: set[int] = set()  # ids of units left out by default that the supervisor ticked back
        self.result: aggregate.Compilation | None = None

        top = QHBoxLayout()
        _buttons((("添加文件(&F)…", self.add_files_dialog, "compile_add_files"),
                  ("添加文件夹(&D)…", self.add_folder_dialog, "compile_add_folder"),
                  ("清空", self.clear, "compile_clear")), top)
        self.organ = QLineEdit(objectName="compile_organ")
        self.organ.setPlaceholderText("汇总机关，如「××县人民政府」")
        self.kind, self.level, self.year = organ_choosers("compile", OrganKind.GOVERNMENT)
        self.exclude_errors = QCheckBox("不计入有错误的单位", objectName="compile_exclude_errors")
        self.exclude_errors.toggled.connect(self.recompile)
        form = QFormLayout()
        form.addRow("汇总机关：", self.organ)
        row = QHBoxLayout()
        for w in (QLabel("类别"), self.kind, QLabel("层级"), self.level, QLabel("年度"), self.year, self.exclude_errors):
            row.addWidget(w)
        row.addStretch(1)
        form.addRow("", row)

        self.unit_table = _table("compile_units", ["计入", "单位", "文件", "年度", "错误", "警告", "空白格", "说明"])
        self.unit_table.itemChanged.connect(self._ticked)
        self.unit_table.itemSelectionChanged.connect(self._show_unit_findings)
        self.unit_table.cellDoubleClicked.connect(lambda r, _c: self.open_unit(r))
        self.messages = QPlainTextEdit(objectName="compile_messages", readOnly=True)
        self.unit_findings = QPlainTextEdit(objectName="compile_unit_findings", readOnly=True)
        self.unit_findings.setPlaceholderText("选中一个单位，查看它的自检结果")

        self.cell_table = QComboBox(objectName="compile_cell_table")
        self.cell_table.addItems([t.name for t in L.TABLES])
        self.cell_row = QComboBox(objectName="compile_cell_row")
        self.cell_col = QComboBox(objectName="compile_cell_col")
        self.cell_table.currentIndexChanged.connect(self._fill_cell_choices)
        self.cell_row.currentIndexChanged.connect(self.show_breakdown)
        self.cell_col.currentIndexChanged.connect(self.show_breakdown)
        self.sum_label = QLabel(objectName="compile_cell_sum")
        self.breakdown = _table("compile_breakdown", ["单位", "填报数", "占比"])
        export_breakdown = QPushButton("导出分单位明细(&E)…", objectName="compile_export_breakdown")
        export_breakdown.clicked.connect(self.export_breakdown)

        cell_box = QWidget()
        cell_layout = QVBoxLayout(cell_box)
        pick = QHBoxLayout()
        for w in (self.cell_table, self.cell_row, self.cell_col):
            pick.addWidget(w, 1 if w is not self.cell_table else 0)
        cell_layout.addLayout(pick)
        cell_layout.addWidget(self.sum_label)
        cell_layout.addWidget(self.breakdown, 1)
        cell_layout.addWidget(export_breakdown)

        tabs = QTabWidget(objectName="compile_tabs")
        tabs.addTab(self.messages, "汇总提示")
        tabs.addTab(self.unit_findings, "单位自检")
        tabs.addTab(cell_box, "分单位明细")
        self.tabs = tabs

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.unit_table)
        split.addWidget(tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        open_summary = QPushButton("生成汇总报告并打开(&O)", objectName="compile_open_summary")
        open_summary.setDefault(True)
        open_summary.clicked.connect(self.open_summary)
        self.status = QLabel(objectName="compile_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(open_summary)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(body)
        self._fill_cell_choices()
        fit_to_screen(self, 1100, 760)
        self.year.valueChanged.connect(self.recompile)  # what is another year depends on it
        self.recompile()

    # -- input ----------------------------------------------------------------------------------

    def add_files_dialog(self) -> None:
        with file_dialogs.prepared():
            names, _ = QFileDialog.getOpenFileNames(self, "选择各单位的报告", "", files.open_filter())
        if names:
            self.add_paths([Path(n) for n in names])

    def add_folder_dialog(self) -> None:
        with file_dialogs.prepared():
            folder = QFileDialog.getExistingDirectory(self, "选择存放各单位报告的文件夹")
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        known = {u.path.resolve() for u in self.units}
        found = [p for p in aggregate.collect_files(paths) if p.resolve() not in known]
        units = _read_with_progress(self, found)
        if units is None:
            return
        self.units += units
        if not self.organ.text() and self.units:
            years = [u.year for u in self.units if u.readable]
            if years:
                self.year.setValue(max(set(years), key=years.count))
        self.recompile()

    def clear(self) -> None:
        self.units, self.left_out, self.ticked_in = [], set(), set()
        self.recompile()

    def default_reason(self, unit: aggregate.Unit) -> str | None:
        """Why a unit is left out unless the supervisor ticks it: another year's figures, or tables that
        would be summed as zeros."""
        if not unit.readable:
            return None
        year = self.year.value()
        if unit.year != year:
            return f"是 {unit.year} 年度的报告，汇总为 {year} 年度，默认不计入"
        missing = [t.name for t in (L.TABLE3, L.TABLE4) if unit.table_is_blank(t.key)]
        if missing:
            return f"{'、'.join(missing)}没有填写，计入会按 0 汇总，默认不计入"
        return None

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        unit = self._unit_of_row(item.row())
        if unit is None:
            return
        if item.checkState() == Qt.CheckState.Checked:
            self.left_out.discard(id(unit))
            self.ticked_in.add(id(unit))
        else:
            self.left_out.add(id(unit))
            self.ticked_in.discard(id(unit))
        self.recompile()

    # -- the compile ----------------------------------------------------------------------------

    def recompile(self) -> None:
        self._defaults = {id(u): reason for u in self.units
                          if id(u) not in self.ticked_in and (reason := self.default_reason(u))}
        exclude = [u for u in self.units if id(u) in self.left_out or id(u) in self._defaults]
        self.result = aggregate.compile_units(self.units, self.organ.text().strip(), self.year.value(),
                                              OrganKind(self.kind.currentText()), Level(self.level.currentText()),
                                              self.exclude_errors.isChecked(), exclude)
        self._fill_units()
        self._fill_messages()
        self.show_breakdown()

    def _fill_units(self) -> None:
        result = self.result
        why = {id(u): self._defaults.get(id(u), reason) for u, reason in result.excluded}
        rows, colours = [], []
        for i, u in enumerate(self.units):
            tick = _item("", sort_key=i, index=i)
            if u.readable:
                tick.setFlags(tick.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                tick.setCheckState(Qt.CheckState.Unchecked if id(u) in why else Qt.CheckState.Checked)
            note = u.error or why.get(id(u), "")
            if u.readable and u.year != result.summary.meta.year and id(u) not in why:
                note = (note + "；" if note else "") + f"年度为 {u.year} 年"
            rows.append([tick, u.name, u.path.name, u.year if u.readable else "",
                         u.errors if u.readable else "", u.warnings if u.readable else "",
                         len(u.blank_cells) if u.readable else "", note])
            colours.append(ERROR_COLOUR if not u.readable or u.errors else None)
        self.unit_table.blockSignals(True)
        _fill(self.unit_table, rows, colours)
        self.unit_table.blockSignals(False)
        included = len(result.included)
        self.status.setText(f"共 {len(self.units)} 个文件，计入 {included} 个单位；"
                            f"无法读取 {len(result.unreadable)} 个，有错误 {len(result.with_errors)} 个，"
                            f"重复 {len(result.duplicates)} 组")

    def _fill_messages(self) -> None:
        r = self.result
        lines = []
        for u in r.unreadable:
            lines.append(f"无法读取：{u.error}")
        for d in r.duplicates:
            lines.append(f"重复：{d.describe()}")
        for u in r.with_errors:
            lines.append(f"有错误：「{u.name}」有 {u.errors} 处错误" + ("（未计入）" if u not in r.included else
                                                                     "（已计入，请核实后再汇总）"))
        for u in r.other_year:
            if id(u) in self._defaults:
                continue  # said below, with the other units left out by default
            lines.append(f"年度不同：「{u.name}」是 {u.year} 年的报告，汇总为 {r.summary.meta.year} 年（已计入）")
        for u in self.units:
            if id(u) in self._defaults:
                lines.append(f"未计入：「{u.name}」{self._defaults[id(u)]}；确需计入的请在「计入」列勾选")
        for u, cells in r.blanks:
            names = "、".join(L.TABLE_BY_KEY[t].cell_name(row, col) for t, row, col in cells[:3])
            more = f"等 {len(cells)} 格" if len(cells) > 3 else ""
            lines.append(f"空白：「{u.name}」{names}{more}未填写，按 0 汇总")
        self.messages.setPlainText("\n".join(lines) if lines else
                                   ("各单位均可读取，没有重复，也没有错误。" if self.units else "请添加各单位的报告文件或文件夹。"))

    def _unit_of_row(self, row: int) -> aggregate.Unit | None:
        item = self.unit_table.item(row, 0)
        index = item.data(INDEX_ROLE) if item else None
        return self.units[index] if index is not None and index < len(self.units) else None

    def _show_unit_findings(self) -> None:
        rows = {i.row() for i in self.unit_table.selectedItems()}
        unit = self._unit_of_row(min(rows)) if rows else None
        if unit is None:
            return
        if not unit.readable:
            text = unit.error
        else:
            text = "\n".join(f"[{f.severity.label}] {describe_location(f.location)}：{f.message}"
                             for f in unit.findings if f.severity is not Severity.INFO) or "没有错误和警告。"
        self.unit_findings.setPlainText(f"{unit.name}（{unit.path.name}）\n\n{text}")
        self.tabs.setCurrentWidget(self.unit_findings)

    def open_unit(self, row: int) -> None:
        unit = self._unit_of_row(row)
        if unit is not None and self.main_window.confirm_discard():
            if self.main_window.open_path(unit.path):
                self.main_window.raise_()

    # -- breakdown ------------------------------------------------------------------------------

    def _layout(self) -> L.TableLayout:
        return L.TABLES[self.cell_table.currentIndex()]

    def _fill_cell_choices(self) -> None:
        layout = self._layout()
        for combo, lines in ((self.cell_row, layout.rows), (self.cell_col, layout.columns)):
            combo.blockSignals(True)
            combo.clear()
            for line in lines:
                combo.addItem(layout.row_labels.get(line.key, line.label) if combo is self.cell_row else line.label,
                              line.key)
            combo.blockSignals(False)
        self.show_breakdown()

    def select_cell(self, table: str, row: str, col: str) -> None:
        self.cell_table.setCurrentIndex([t.key for t in L.TABLES].index(table))
        self.cell_row.setCurrentIndex(self.cell_row.findData(row))
        self.cell_col.setCurrentIndex(self.cell_col.findData(col))
        self.tabs.setCurrentIndex(2)

    def show_breakdown(self) -> None:
        layout, row, col = self._layout(), self.cell_row.currentData(), self.cell_col.currentData()
        if self.result is None or row is None or col is None:
            return
        if (row, col) not in layout.figure_positions:
            self.sum_label.setText(f"{layout.cell_name(row, col)}不是填数的单元格，请另选")
            _fill(self.breakdown, [])
            return
        total = self.result.summary.table(layout.key).resolved()[(row, col)]
        parts = self.result.breakdown(layout.key, row, col)
        rows = []
        for c in parts:
            value = c.value
            share = f"{value / total * 100:.1f}%" if value and total else ""
            rows.append([c.unit.name, _item("空白" if value is None else value,
                                            sort_key=value if value is not None else -1), share])
        _fill(self.breakdown, rows)
        self.sum_label.setText(f"{layout.cell_name(row, col)}：汇总 {total if total is not None else '空白'}，"
                               f"来自 {len(parts)} 个单位")

    def export_breakdown(self) -> None:
        if self.result is None or not self.result.included:
            QMessageBox.information(self, "导出分单位明细", "还没有可汇总的单位。")
            return
        with file_dialogs.prepared():
            name, _ = QFileDialog.getSaveFileName(self, "导出分单位明细", "分单位明细.xlsx", "Excel 工作簿 (*.xlsx)")
        if name:
            try:
                aggregate.write_breakdown_xlsx(self.result, Path(name))
            except (OSError, ReportFileError) as e:
                reason = os_reason(e, writing=True) if isinstance(e, OSError) else e
                QMessageBox.critical(self, "导出失败", f"无法写入「{Path(name).name}」：{reason}")
                return
            self.statusBar().showMessage(f"已导出到「{name}」", 8000)

    def open_summary(self) -> None:
        if not self.organ.text().strip():
            QMessageBox.warning(self, "汇总", "请先填写汇总机关的名称。")
            self.organ.setFocus()
            return
        self.recompile()
        r = self.result
        if not r.included:
            QMessageBox.warning(self, "汇总", "没有可以汇总的单位。")
            return
        problems = len(r.unreadable) + len(r.with_errors) + sum(d.reason == aggregate.SAME_ORGAN for d in r.duplicates)
        if problems and QMessageBox.question(
                self, "汇总", f"有 {problems} 个单位需要注意（无法读取、有错误或重复），见「汇总提示」。仍然生成汇总报告吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        if not self.main_window.confirm_discard():
            return
        summary = r.summary.model_copy(deep=True)
        self.main_window.set_document(ReportDocument(summary))
        self.main_window.show_message(f"已汇总 {len(r.included)} 个单位的表格；请填写文字部分后另存为草稿")
        self.main_window.raise_()


# -- 报送名单 -----------------------------------------------------------------------------------


class RosterWindow(QMainWindow):
    """The subordinate units against the files that arrived: who is missing, returned, approved."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main_window = main_window
        self.setObjectName("roster_window")
        self.setWindowTitle("报送名单")
        self.settings = main_window.settings
        self.roster = Roster()
        self.roster_path: Path | None = None
        self.folder: Path | None = None
        self.units: list[aggregate.Unit] = []
        self.result = None

        buttons = QHBoxLayout()
        _buttons((("打开名单(&L)…", self.open_roster_dialog, "roster_open"),
                  ("选择收件文件夹(&F)…", self.choose_folder, "roster_folder"),
                  ("刷新(&R)", self.refresh_files, "roster_refresh")), buttons)
        self.source = QLabel(objectName="roster_source")
        self.source.setWordWrap(True)

        self.table = _table("roster_table", ["单位名称", "单位类型", "状态", "错误", "警告", "文件", "文件时间", "对应方式"])
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_selected())
        self.others = _table("roster_unmatched", ["文件", "报告中的机关名称", "可能的单位"])

        actions = QHBoxLayout()
        _buttons((("打开审核(&O)", self.open_selected, "roster_open_unit"),
                  ("退回(&B)…", self.return_selected, "roster_return"),
                  ("通过(&P)", lambda: self.set_status(Status.APPROVED), "roster_approve"),
                  ("清除状态", lambda: self.set_status(None), "roster_clear_status"),
                  ("手工对应(&M)…", self.match_by_hand, "roster_match"),
                  ("导出报送情况(&X)…", self.export_status, "roster_export")), actions)
        self.counts = QLabel(objectName="roster_counts")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(buttons)
        layout.addWidget(self.source)
        layout.addWidget(self.counts)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel("未能对应到名单的文件（选中文件和上方的单位后点「手工对应」）："))
        box_layout.addWidget(self.others)
        split.addWidget(box)
        split.setStretchFactor(0, 3)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        self.setCentralWidget(body)
        fit_to_screen(self, 1100, 720)

        last_roster, last_folder = self.settings.value("roster_path", ""), self.settings.value("roster_folder", "")
        if last_roster and Path(last_roster).is_file():
            self.load(Path(last_roster), quiet=True)
        if last_folder and Path(last_folder).is_dir():
            self.folder = Path(last_folder)
            self.refresh_files()
        self.refresh()

    # -- files ----------------------------------------------------------------------------------

    def open_roster_dialog(self) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "打开名单", "", "名单 (*.xlsx *.json)")
        if name:
            self.load(Path(name))

    def load(self, path: Path, quiet: bool = False) -> bool:
        try:
            self.roster = load_roster(path)
        except RosterError as e:
            if not quiet:
                QMessageBox.warning(self, "无法打开名单", str(e))
            return False
        if path.suffix.lower() == ".xlsx":  # states and manual matches live in a JSON beside it
            beside = path.with_suffix(".json")
            if beside.is_file():
                try:
                    self.roster = load_roster(beside)
                    path = beside
                except RosterError:
                    pass
        self.roster_path = path
        self.settings.setValue("roster_path", str(path))
        self.refresh()
        return True

    def choose_folder(self) -> None:
        with file_dialogs.prepared():
            folder = QFileDialog.getExistingDirectory(self, "选择存放各单位报告的文件夹")
        if folder:
            self.folder = Path(folder)
            self.settings.setValue("roster_folder", folder)
            self.refresh_files()

    def refresh_files(self) -> None:
        if self.folder is None:
            return
        units = _read_with_progress(self, aggregate.collect_files([self.folder]))
        if units is not None:
            self.units = units
        self.refresh()

    def _save_roster(self) -> bool:
        """States and manual matches are kept in JSON (an .xlsx roster gets a .json beside it)."""
        if self.roster_path is None:
            QMessageBox.information(self, "报送名单", "请先打开名单，退回、通过的状态和手工对应保存在名单文件中。")
            return False
        target = self.roster_path.with_suffix(".json")
        new = not target.exists()
        try:
            save_roster(self.roster, target)
        except RosterError as e:
            QMessageBox.critical(self, "保存名单失败", str(e))
            return False
        if new:  # said once, when the file first appears beside the roster
            QMessageBox.information(self, "报送名单", f"退回、通过的状态和手工对应保存在「{target.name}」中（与名单在同一"
                                                   f"文件夹：{target.parent}），下次打开名单时自动读取。")
        self.roster_path = target
        self.settings.setValue("roster_path", str(target))
        return True

    def states_file(self) -> Path | None:
        return self.roster_path.with_suffix(".json") if self.roster_path else None

    # -- view -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.result = reconcile(self.roster, self.units)
        kept = self.states_file()
        self.source.setText(f"名单：{self.roster_path.name if self.roster_path else '（未打开）'}    "
                            f"收件文件夹：{self.folder or '（未选择）'}"
                            + (f"    状态保存在：{kept.name}" if kept else ""))
        self.source.setToolTip(str(kept) if kept else "")
        rows, colours = [], []
        for i, s in enumerate(self.result.states):
            latest = s.latest
            rows.append([_item(s.unit.name, index=i), s.unit.kind.value, s.status.value, s.errors, s.warnings,
                         "、".join(f.path.name for f in s.files), _short_date(latest.modified if latest else None),
                         s.how])
            colours.append(ERROR_COLOUR if s.errors else STATUS_COLOURS[s.status])
        _fill(self.table, rows, colours)
        pending = self._pending_files()
        others = [[_item(u.path.name, index=i), u.organ if u.readable else u.error,
                   "、".join(c.name for c in cands)] for i, (u, cands) in enumerate(pending)]
        _fill(self.others, others)
        self.counts.setText(self.result.counts_line() if self.roster.units else "请先打开名单（.xlsx：单位名称、单位类型两列）")

    def _pending_files(self) -> list:
        """Files no roster unit clearly fits, each with the units it might be."""
        return [(u, ()) for u in self.result.unmatched] + list(self.result.ambiguous)

    def _selected_state(self):
        index = _row_index(self.table)
        return self.result.states[index] if index is not None else None

    def set_status(self, status: Status | None) -> None:
        state = self._selected_state()
        if state is None:
            return
        self.roster.set_status(state.unit.name, status)
        self._save_roster()
        self.refresh()

    def return_selected(self) -> None:
        """退回 with a reason: kept in the roster, and written into the unit's draft as a 批注 it will see."""
        state = self._selected_state()
        if state is None:
            QMessageBox.information(self, "退回", "请先在名单中选中要退回的单位。")
            return
        name = state.unit.name
        reason, ok = QInputDialog.getMultiLineText(
            self, "退回", f"退回「{name}」的原因（写入该单位报送的草稿，作为批注出现在它的自检中）：", state.unit.note)
        if not ok:
            return
        reason = reason.strip()
        if not reason:
            QMessageBox.information(self, "退回", "请写明退回原因，单位才知道要改什么。未退回。")
            return
        told = self._comment_on_latest(state, reason)
        unit = self.roster.unit(name)
        old = unit.status, unit.status_at, unit.note
        unit.note = reason
        self.roster.set_status(name, Status.RETURNED)
        if not self._save_roster():
            unit.status, unit.status_at, unit.note = old
        self.refresh()
        self.statusBar().showMessage(f"已退回「{name}」。{told}", 12000)

    def _comment_on_latest(self, state, reason: str) -> str:
        """Put the reason into the unit's latest draft as a 批注; what happened, in one sentence."""
        latest = state.latest
        if latest is None:
            return "该单位尚未报送文件，退回原因记在名单中。"
        if latest.path.suffix.lower() != draft.EXTENSION:
            return f"「{latest.path.name}」不是年报草稿，无法写入批注；退回原因记在名单中，请另行告知该单位。"
        author = self.main_window.reviewer_name(ask=False) or "上级"
        try:
            report = draft.load(latest.path)
            report.comments.append(Comment(location={}, text=reason, author=author))
            draft.save(report, latest.path)
        except (ReportFileError, OSError, ValueError) as e:
            reason_text = os_reason(e, writing=True) if isinstance(e, OSError) else e
            QMessageBox.warning(self, "退回", f"无法把退回原因写入「{latest.path.name}」：{reason_text}。退回原因记在名单中。")
            return ""
        return f"退回原因已作为批注写入「{latest.path.name}」，请把这份文件发回该单位。"

    def open_selected(self) -> None:
        state = self._selected_state()
        latest = state.latest if state else None
        if latest is None:
            return
        if self.main_window.confirm_discard() and self.main_window.open_path(latest.path):
            self.main_window.begin_review(self.main_window.reviewer_name())
            self.main_window.raise_()

    def match_by_hand(self) -> None:
        state, index = self._selected_state(), _row_index(self.others)
        if state is None or index is None:
            QMessageBox.information(self, "手工对应", "请在上方选中名单中的单位，在下方选中要对应的文件。")
            return
        unit = self._pending_files()[index][0]
        alias = unit.organ or unit.path.name
        self.roster.assign(alias, state.unit.name)
        self._save_roster()
        self.refresh()

    def export_status(self) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getSaveFileName(self, "导出报送情况", "报送情况.xlsx", "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        today = dt.date.today()  # 年月日 outside the format: see Comment.message
        title = f"{today:%Y}年{today:%m}月{today:%d}日政府信息公开工作年度报告报送情况"
        try:
            write_status_xlsx(self.result, Path(name), title)
        except (OSError, ReportFileError) as e:
            reason = os_reason(e, writing=True) if isinstance(e, OSError) else e
            QMessageBox.critical(self, "导出失败", f"无法写入「{Path(name).name}」：{reason}")
            return
        self.statusBar().showMessage(f"已导出到「{name}」", 8000)


# -- 对比 --------------------------------------------------------------------------------------


class CompareWindow(QMainWindow):
    """Two versions of one unit's report: every changed cell and paragraph."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main_window = main_window
        self.setObjectName("compare_window")
        self.setWindowTitle("对比两个版本")
        self.paths: list[Path | None] = [None, None]
        self.labels = [QLabel("（未选择）", objectName="compare_old"), QLabel("（未选择）", objectName="compare_new")]
        form = QFormLayout()
        for i, text in enumerate(("原版本：", "新版本：")):
            row = QHBoxLayout()
            pick = QPushButton("选择…", objectName=f"compare_pick_{'old' if i == 0 else 'new'}")
            pick.clicked.connect(lambda _=False, i=i: self.pick(i))
            row.addWidget(self.labels[i], 1)
            row.addWidget(pick)
            form.addRow(text, row)
        current = QPushButton("以当前打开的报告作为新版本", objectName="compare_use_current")
        current.clicked.connect(self.use_current)
        form.addRow("", current)
        self.summary = QLabel(objectName="compare_summary")
        self.cells = _table("compare_cells", ["位置", "原数", "新数", "变化"])
        self.texts = QPlainTextEdit(objectName="compare_texts", readOnly=True)
        tabs = QTabWidget()
        tabs.addTab(self.cells, "表格数字")
        tabs.addTab(self.texts, "文字和基本信息")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)
        self.setCentralWidget(body)
        fit_to_screen(self, 1000, 700)
        self.reports = [None, None]

    def pick(self, which: int) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "选择报告", "", files.open_filter())
        if name:
            self.load(which, Path(name))

    def load(self, which: int, path: Path) -> bool:
        try:
            self.reports[which] = files.read_report(path)
        except ReportFileError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return False
        self.labels[which].setText(str(path))
        self.show_comparison()
        return True

    def use_current(self) -> None:
        self.reports[1] = self.main_window.document.report.model_copy(deep=True)
        self.labels[1].setText(f"当前窗口：{self.reports[1].meta.display_title}")
        self.show_comparison()

    def show_comparison(self) -> None:
        old, new = self.reports
        if old is None or new is None:
            return
        c = compare.compare(old, new)
        rows = []
        for ch in c.cells:
            change = f"{ch.percent:+}%" if ch.percent is not None else ""
            rows.append([ch.name, _item("空白" if ch.old is None else ch.old, ch.old if ch.old is not None else -1),
                         _item("空白" if ch.new is None else ch.new, ch.new if ch.new is not None else -1),
                         _item(change, ch.percent if ch.percent is not None else 0)])
        _fill(self.cells, rows)
        text = [m.describe() for m in c.meta]
        for t in c.texts:
            text += ["", f"【{t.label}】"] + list(t.diff[2:])  # the two file-name lines say nothing here
        self.texts.setPlainText("\n".join(text) if text else "文字和基本信息相同。")
        kind = "跨年度对比（变化按百分比）" if c.across_years else "同一年度的两个版本"
        self.summary.setText("两份报告内容相同。" if c.identical else
                             f"{kind}：数字 {len(c.cells)} 处不同，文字 {len(c.texts)} 处不同，基本信息 {len(c.meta)} 处不同")
