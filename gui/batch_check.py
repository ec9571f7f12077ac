"""审核汇总 → 批量检查: every report in a folder read and checked off the GUI thread, listed as it is checked
(organ, year, 错误/警告/提示, and what the program could not read, said as its own failure), with a progress
bar, 取消, and the list exported as a workbook. The same checks as ``nianbao check FOLDER --summary``."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QThread, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMainWindow,
                               QMessageBox, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from core import batch
from core.errors import ReportFileError, damage_reason, os_reason
from core.findings import Severity

from . import file_dialogs, paths
from .screen_fit import fit_to_screen

COLUMNS = ("文件", "格式", "机关名称", "报告年度", "错误", "警告", "提示", "未能读取的内容", "主要问题")
UNREAD_COLOUR = QColor("#a04000")  # the program's failure to read: not the report's fault, so not red
ERROR_COLOUR = QColor("#c00000")


class _Worker(QObject):
    progress = Signal(int, int, str)
    checked = Signal(object)
    finished = Signal(bool)  # True when it ran to the end, False when stopped
    failed = Signal(str)

    def __init__(self, folder: Path, stop: threading.Event):
        super().__init__()
        self.folder, self.stop = folder, stop

    def run(self) -> None:
        try:
            batch.check_files([self.folder], progress=lambda done, total, path: self.progress.emit(done, total, path.name),
                              stop=self.stop.is_set, each=self.checked.emit)
        except Exception as e:  # noqa: BLE001 — a folder that cannot be walked must not take the window down
            reason = os_reason(e) if isinstance(e, OSError) else damage_reason(e)
            self.failed.emit(f"无法读取文件夹「{self.folder}」：{reason}")
            return
        self.finished.emit(not self.stop.is_set())


class BatchCheckWindow(QMainWindow):
    """Choose a folder, see each report's state, export the list."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main_window = main_window
        self.setObjectName("batch_check")
        self.setWindowTitle("批量检查")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.folder: Path | None = None
        self.results: list[batch.Checked] = []
        self._thread: QThread | None = None
        self._stop = threading.Event()

        self.folder_label = QLabel("请选择存放报告的文件夹（其中的 Word、Excel、PDF、网页、文字稿和年报草稿都会检查，含子文件夹）。")
        self.folder_label.setObjectName("batch_folder")
        self.folder_label.setWordWrap(True)
        self.choose_button = self._button("选择文件夹(&D)…", self.choose_folder, "batch_choose")
        self.start_button = self._button("开始检查(&S)", self.start, "batch_start")
        self.cancel_button = self._button("取消(&C)", self.cancel, "batch_cancel")
        self.export_button = self._button("导出列表(&E)…", self.export_dialog, "batch_export")
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        for w in (self.choose_button, self.start_button, self.cancel_button, self.export_button):
            top.addWidget(w)
        top.addStretch(1)

        self.bar = QProgressBar()
        self.bar.setObjectName("batch_progress")
        self.bar.setFormat("%v / %m")
        self.bar.setValue(0)
        self.state = QLabel("")
        self.state.setObjectName("batch_state")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("batch_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for i in range(len(COLUMNS) - 2):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Long file and organ names wrap within a capped width, so that 主要问题 stays in view at 150 %.
        char = self.fontMetrics().horizontalAdvance("字")
        self.capped = {0: char * 16, 2: char * 12, len(COLUMNS) - 2: char * 8}
        for col, width in self.capped.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, min(width, header.sectionSizeHint(col)))
        self.table.cellDoubleClicked.connect(self.open_row)
        hint = QLabel("双击一行可在主窗口中打开该文件。「未能读取的内容」是本程序没能读出的部分，不是报告本身的问题，"
                      "请对照原文核对。")
        hint.setWordWrap(True)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.folder_label)
        column.addLayout(top)
        column.addWidget(self.bar)
        column.addWidget(self.state)
        column.addWidget(self.table, 1)
        column.addWidget(hint)
        self.setCentralWidget(body)
        fit_to_screen(self, 1200, 640)

    def _button(self, text: str, slot, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- running -----------------------------------------------------------------------------

    def choose_folder(self) -> None:
        start = str(self.folder or paths.last_folder(self.main_window.settings))
        with file_dialogs.prepared():
            name = QFileDialog.getExistingDirectory(self, "选择存放报告的文件夹", start)
        if name:
            self.set_folder(Path(name))

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_label.setText(f"文件夹：{folder}")
        self.start_button.setEnabled(not self.running())

    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self) -> None:
        if self.folder is None or self.running():
            return
        self.results = []
        self.table.setRowCount(0)
        self.bar.setRange(0, 0)  # busy until the files are counted
        self.state.setText("正在查找报告文件…")
        self._stop = threading.Event()
        self._thread = QThread(self)
        worker = _Worker(self.folder, self._stop)
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)
        worker.progress.connect(self._progress)
        worker.checked.connect(self._add)
        worker.finished.connect(self._done)
        worker.failed.connect(self._failed)
        for signal in (worker.finished, worker.failed):
            # direct: the thread ends even while this window waits for it (closing) without running events
            signal.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(worker.deleteLater)
        self._worker = worker  # kept alive while it runs
        for button, enabled in ((self.start_button, False), (self.choose_button, False), (self.cancel_button, True),
                                (self.export_button, False)):
            button.setEnabled(enabled)
        self._thread.start()

    def cancel(self) -> None:
        if self.running():
            self._stop.set()
            self.state.setText("正在取消（当前文件检查完后停止）…")

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread is None or self._thread.wait(ms)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if done < total:
            self.state.setText(f"正在检查第 {done + 1}/{total} 个：{name}")

    def _add(self, item: batch.Checked) -> None:
        self.results.append(item)
        (name, fmt, organ, year, _kind, _figures, errors, warnings, infos, first, unread) = batch.summary_rows([item])[0]
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate((name, fmt, organ, year, errors, warnings, infos, unread, first)):
            cell = QTableWidgetItem("" if value is None else str(value))
            cell.setToolTip(str(item.path) if col == 0 else cell.text())
            if isinstance(value, int):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, cell)
        if item.report is not None and item.count(Severity.ERROR):
            self.table.item(row, 4).setForeground(QBrush(ERROR_COLOUR))
        if unread:
            self.table.item(row, 7).setForeground(QBrush(UNREAD_COLOUR))
        for col, cap in self.capped.items():
            wanted = self.table.sizeHintForColumn(col)
            if wanted > self.table.columnWidth(col):
                self.table.setColumnWidth(col, min(wanted, cap))
        self._fit_row(row)

    def _fit_row(self, row: int) -> None:
        """As tall as a wrapped file or organ name needs; 主要问题 shows what fits (all of it in its tooltip)."""
        fm = self.table.fontMetrics()
        lines = 1
        for col in self.capped:
            text = self.table.item(row, col).text()
            room = QRect(0, 0, max(self.table.columnWidth(col) - 10, 10), 10_000)
            lines = max(lines, fm.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text).height() // fm.lineSpacing())
        self.table.setRowHeight(row, lines * fm.lineSpacing() + 10)

    def _done(self, complete: bool) -> None:
        self._finish()
        total = len(self.results)
        unreadable = sum(1 for r in self.results if r.report is None)
        with_errors = sum(1 for r in self.results if r.report is not None and r.count(Severity.ERROR))
        partly = sum(1 for r in self.results if r.report is not None and r.unread)
        counts = (f"{total} 个文件：{with_errors} 个有错误，{partly} 个有本程序未能读出的内容，"
                  f"{unreadable} 个本程序无法读取")
        if not total and complete:
            self.state.setText("文件夹中没有可检查的报告文件")
        elif complete:
            self.state.setText(f"已检查 {counts}")
        else:
            self.state.setText(f"已取消，已检查 {counts}")

    def _failed(self, message: str) -> None:
        self._finish()
        self.state.setText(message)
        QMessageBox.warning(self, "批量检查", message)

    def _finish(self) -> None:
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1)
        for button, enabled in ((self.start_button, self.folder is not None), (self.choose_button, True),
                                (self.cancel_button, False), (self.export_button, bool(self.results))):
            button.setEnabled(enabled)

    # -- the list ------------------------------------------------------------------------------

    def export_dialog(self) -> None:
        if not self.results:
            return
        start = str((self.folder or Path.home()) / "批量检查.xlsx")
        with file_dialogs.prepared():
            name, _ = QFileDialog.getSaveFileName(self, "导出检查列表", start, "Excel 工作簿 (*.xlsx)")
        if name:
            self.export(Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx"))

    def export(self, path: Path) -> bool:
        try:
            batch.write_summary(self.results, path)
        except (OSError, ReportFileError) as e:
            reason = os_reason(e, writing=True) if isinstance(e, OSError) else str(e)
            QMessageBox.critical(self, "导出失败", f"无法写入「{path.name}」：{reason}")
            return False
        self.statusBar().showMessage(f"已导出检查列表「{path}」", 8000)
        return True

    def open_row(self, row: int, _column: int = 0) -> None:
        if 0 <= row < len(self.results) and self.main_window.confirm_discard():
            self.main_window.open_path(self.results[row].path)
            self.main_window.raise_()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.running():
            self._stop.set()
            self.wait()  # at most the file being checked
        super().closeEvent(event)


def show(main_window) -> BatchCheckWindow:
    window = BatchCheckWindow(main_window)
    main_window.batch_check = window
    window.show()
    return window
