"""对比: two versions of one unit's report, every changed cell and paragraph (``core.compare``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPlainTextEdit,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from core import compare, files
from core.errors import ReportFileError

from .. import file_dialogs
from ..screen_fit import fit_to_screen
from .common import cell_item, fill_table, new_table


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
        self.cells = new_table("compare_cells", ["位置", "原数", "新数", "变化"])
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
            rows.append([ch.name, cell_item("空白" if ch.old is None else ch.old, ch.old if ch.old is not None else -1),
                         cell_item("空白" if ch.new is None else ch.new, ch.new if ch.new is not None else -1),
                         cell_item(change, ch.percent if ch.percent is not None else 0)])
        fill_table(self.cells, rows)
        text = [m.describe() for m in c.meta]
        for t in c.texts:
            text += ["", f"【{t.label}】"] + list(t.diff[2:])  # the two file-name lines say nothing here
        self.texts.setPlainText("\n".join(text) if text else "文字和基本信息相同。")
        kind = "跨年度对比（变化按百分比）" if c.across_years else "同一年度的两个版本"
        self.summary.setText("两份报告内容相同。" if c.identical else
                             f"{kind}：数字 {len(c.cells)} 处不同，文字 {len(c.texts)} 处不同，基本信息 {len(c.meta)} 处不同")
