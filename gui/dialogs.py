"""Small dialogs: a new report, a draft's history of reviewers' edits, and the About box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QMessageBox, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core import __version__
from core import layout as L
from core.findings import Location, describe_location
from core.model import Level, OrganKind, Report, default_report_year  # noqa: F401  (新建's default)

from .screen_fit import fit_to_screen


def choose(parent: QWidget | None, title: str, text: str, buttons: list[str], default: str, escape: str) -> str:
    """Ask with buttons that say what they do (Qt's standard 是/否 cannot); the label chosen is returned.

    Closing the box with Esc or the title bar counts as ``escape``.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    made = {}
    for label in buttons:
        role = QMessageBox.ButtonRole.RejectRole if label == escape else QMessageBox.ButtonRole.ActionRole
        made[label] = box.addButton(label, role)
    box.setDefaultButton(made[default])
    box.setEscapeButton(made[escape])
    box.exec()
    clicked = box.clickedButton()
    return next((label for label, b in made.items() if b is clicked), escape)


def organ_choosers(prefix: str, kind: OrganKind = OrganKind.DEPARTMENT) -> tuple[QComboBox, QComboBox, QSpinBox]:
    """The kind, level and year pickers a new report and a compiled summary both ask for."""
    kinds = QComboBox(objectName=f"{prefix}_kind")
    kinds.addItems([k.value for k in OrganKind])
    kinds.setCurrentText(kind.value)
    levels = QComboBox(objectName=f"{prefix}_level")
    levels.addItems([lv.value for lv in Level])
    levels.setCurrentText(Level.COUNTY.value)
    year = QSpinBox(objectName=f"{prefix}_year")
    year.setRange(2008, 2100)
    year.setValue(default_report_year())
    year.setSuffix(" 年")
    return kinds, levels, year


class NewReportDialog(QDialog):
    """Asks the organ, its kind and level, and the report year (default: see default_report_year)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        self.setObjectName("new_report_dialog")
        self.organ = QLineEdit()
        self.organ.setObjectName("new_organ")
        self.organ.setPlaceholderText("机关全称，如「××县交通运输局」「××镇人民政府」")
        self.organ.textEdited.connect(self._guess)
        self.kind, self.level, self.year = organ_choosers("new")
        self._touched = False
        self.kind.activated.connect(self._touch)
        self.level.activated.connect(self._touch)

        form = QFormLayout()
        form.addRow("机关名称(&N)：", self.organ)
        form.addRow("机关类别(&K)：", self.kind)
        form.addRow("行政层级(&L)：", self.level)
        form.addRow("报告年度(&Y)：", self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        note = QLabel(f"按{L.FORMAT_SOURCE}编写。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, self.sizeHint().height())

    def _touch(self, *_args) -> None:
        self._touched = True

    def _guess(self, organ: str) -> None:
        if self._touched or not organ.strip():
            return  # the clerk chose; don't override
        from core.imports.builder import infer_kind_level  # the readers' module: loaded when first typed

        kind, level = infer_kind_level(organ)
        self.kind.setCurrentText(kind.value)
        self.level.setCurrentText(level.value)

    def accept(self) -> None:
        if not self.organ.text().strip():
            QMessageBox.warning(self, "新建报告", "请填写机关名称。")
            self.organ.setFocus()
            return
        super().accept()

    def report(self) -> Report:
        return Report.new(self.organ.text().strip(), self.year.value(), OrganKind(self.kind.currentText()),
                          Level(self.level.currentText()))


def ask_draft(parent: QWidget, title: str, text: str) -> bool | None:
    """Offer a 征求意见稿 when the final output is not allowed: True to go on as a draft, None to cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    draft_button = box.addButton("征求意见稿", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return True if box.clickedButton() is draft_button else None


def history(parent: QWidget, report: Report) -> QDialog:
    """Every edit a reviewer made in this draft, and the comments with their answers."""
    dialog = QDialog(parent)
    dialog.setObjectName("history_dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle("修改记录与批注")
    rows = [(f"{c.time:%Y-%m-%d %H:%M}", c.author, c.where, c.old, c.new) for c in report.history]
    rows += [(f"{c.time:%Y-%m-%d %H:%M}", c.author, "批注：" + describe_location(Location(**c.location)),
              c.text, ("已处理" + (f"：{c.reply}" if c.reply else "")) if c.resolved else "未处理")
             for c in report.comments]
    table = QTableWidget(len(rows), 5)
    table.setObjectName("history_table")
    table.setHorizontalHeaderLabels(["时间", "审核人", "位置", "原内容 / 批注", "修改为 / 状态"])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r, values in enumerate(sorted(rows)):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("上级审核时对本草稿的每处修改和批注（修改记录随草稿保存，不能删除）：" if rows
                            else "本草稿没有审核修改和批注。"))
    layout.addWidget(table)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 900, 420)
    dialog.open()
    return dialog


def about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, "关于政务公开年报助手",
        f"<h3>政务公开年报助手</h3><p>版本 {__version__}</p>"
        f"<p>政府信息公开工作年度报告的编写与自检工具。表格格式依据{L.FORMAT_SOURCE}。</p>"
        "<p>本程序不联网，所有文件只保存在本机。</p>")
