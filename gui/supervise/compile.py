"""汇总: compile many units' reports into one summary, with each unit's state and who contributed what.

The work is done by ``core.aggregate``; this window only shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMainWindow, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from core import aggregate, files
from core import layout as L
from core.errors import ReportFileError, os_reason
from core.findings import Severity, describe_location
from core.model import Level, OrganKind

from .. import file_dialogs
from ..dialogs import organ_choosers
from ..document import ReportDocument
from ..screen_fit import fit_to_screen
from .common import ERROR_COLOUR, INDEX_ROLE, button_row, cell_item, fill_table, new_table, read_with_progress


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
        button_row((("添加文件(&F)…", self.add_files_dialog, "compile_add_files"),
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

        self.unit_table = new_table("compile_units", ["计入", "单位", "文件", "年度", "错误", "警告", "空白格", "说明"])
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
        self.breakdown = new_table("compile_breakdown", ["单位", "填报数", "占比"])
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
        split.setSizes([300, 200])  # the same 3 : 2 from the start (the hints would give the units less)

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
        units = read_with_progress(self, found)
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
            tick = cell_item("", sort_key=i, index=i)
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
        fill_table(self.unit_table, rows, colours)
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
            fill_table(self.breakdown, [])
            return
        total = self.result.summary.table(layout.key).resolved()[(row, col)]
        parts = self.result.breakdown(layout.key, row, col)
        rows = []
        for c in parts:
            value = c.value
            share = f"{value / total * 100:.1f}%" if value and total else ""
            rows.append([c.unit.name, cell_item("空白" if value is None else value,
                                            sort_key=value if value is not None else -1), share])
        fill_table(self.breakdown, rows)
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
