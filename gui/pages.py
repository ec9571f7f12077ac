"""One editor page per part of the report, and the 基本信息 page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QSizePolicy, QSpinBox, QVBoxLayout, QWidget)

from core import layout as L
from core.findings import Location
from core.model import Level, OrganKind

from .document import ReportDocument
from .text_editor import NarrativeEditor


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "page-title")
    return label


def _guidance(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "guidance")
    label.setWordWrap(True)
    return label


class Page(QScrollArea):
    """A scrollable page; subclasses fill ``self.body`` and know how to show a finding's location."""

    message = Signal(str)

    def __init__(self, document: ReportDocument, key: str, title: str, parent=None):
        super().__init__(parent)
        self.document = document
        self.key = key
        self.setObjectName("page_" + key)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(18, 12, 18, 12)
        self.body.addWidget(_title(title))
        self.setWidget(inner)
        self.editors: dict[str, NarrativeEditor] = {}

    def add_editor(self, field_key: str, min_lines: int = 6, stretch: int = 1,
                   max_lines: int | None = None) -> NarrativeEditor:
        editor = NarrativeEditor(self.document, field_key, min_lines=min_lines)
        if max_lines:
            editor.set_max_lines(max_lines)
        editor.message.connect(self.message)
        self.editors[field_key] = editor
        self.body.addWidget(editor, stretch)
        return editor

    def current_location(self) -> dict:
        """Where a comment added now would point: the narrative field last typed in, else the part."""
        last = self.window().focusWidget()  # kept while a menu or dialog has the focus
        focused = next((k for k, e in self.editors.items() if e.editor is last), None)
        chosen = focused or (next(iter(self.editors)) if len(self.editors) == 1 else None)
        return {"part": self.key, "field": chosen} if chosen else {"part": self.key}

    def show_location(self, location: Location) -> None:
        if location.field in self.editors:
            editor = self.editors[location.field]
            self.ensureWidgetVisible(editor)
            editor.select_span(location.start, location.end)
        elif self.editors:
            next(iter(self.editors.values())).select_span(0, 0)


class NarrativePage(Page):
    """Part 一 (opening text and the five topics) or parts 五 and 六."""

    def __init__(self, document: ReportDocument, part: L.Part, parent=None):
        super().__init__(document, part.key, part.heading, parent)
        self.body.addWidget(_guidance(part.guidance))
        fields = [f for f in L.TEXT_FIELDS if f.part == part.key]
        for f in fields:
            self.add_editor(f.key, min_lines=5 if len(fields) > 1 else 14)


class TablePage(Page):
    """Parts 二, 三, 四: the official table, plus an optional note written before it."""

    def __init__(self, document: ReportDocument, part: L.Part, parent=None):
        super().__init__(document, part.key, part.heading, parent)
        self.body.addWidget(_guidance(part.guidance))
        from .table_view import FigureTableView  # with its model: loaded when a table page is first built

        layout = L.TABLE_BY_PART[part.key]
        self.table = FigureTableView(document, layout.key)
        self.table.message.connect(self.message)

        actions = QHBoxLayout()
        fill = QPushButton("空白单元格填 0")
        fill.setObjectName(f"fill_blanks_{layout.key}")
        fill.setToolTip("把本报告所有表格中的空白单元格填为 0（没有发生的情况应填 0）")
        fill.clicked.connect(self.table.fill_blanks)
        actions.addWidget(fill)
        actions.addStretch(1)
        unit = QLabel("单位：件" if layout.key != "table2" else "件数单位：件；收费金额单位：万元")
        unit.setProperty("role", "guidance")
        actions.addWidget(unit)
        self.add_editor(part.key, min_lines=2, stretch=0, max_lines=5)
        self.body.addLayout(actions)
        self.body.addWidget(self.table)
        self.body.addStretch(1)

    def current_location(self) -> dict:
        index = self.table.currentIndex()
        cell = self.table.model().cell_at(index.row(), index.column()) if index.isValid() else None
        last = self.window().focusWidget()
        if cell is not None and cell.figure and not any(e.editor is last for e in self.editors.values()):
            row, col = cell.figure
            return {"part": self.key, "table": self.table.layout_.key, "row": row, "column": col}
        return super().current_location()

    def show_location(self, location: Location) -> None:
        if location.table == self.table.layout_.key and (location.row or location.column):
            self.ensureWidgetVisible(self.table)
            if location.row and location.column:
                self.table.select_cell(location.row, location.column)
            else:
                self.table.select_line(location.row, location.column)
        elif location.table == self.table.layout_.key:
            self.ensureWidgetVisible(self.table)
            self.table.setFocus()
        else:
            super().show_location(location)


class MetaPage(Page):
    """基本信息: organ, kind, level, year, title, deadline and the closing block."""

    def __init__(self, document: ReportDocument, parent=None):
        super().__init__(document, "meta", "基本信息", parent)
        meta = document.report.meta
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.organ = QLineEdit(meta.organ)
        self.organ.setObjectName("meta_organ")
        self.organ.setPlaceholderText("机关全称，如「××县交通运输局」")
        self.organ.editingFinished.connect(lambda: self._set(organ=self.organ.text().strip()))
        form.addRow("机关名称(&N)：", self.organ)

        self.kind = QComboBox()
        self.kind.setObjectName("meta_kind")
        self.kind.addItems([k.value for k in OrganKind])
        self.kind.currentTextChanged.connect(lambda t: self._set(kind=OrganKind(t)))
        form.addRow("机关类别(&K)：", self.kind)

        self.level = QComboBox()
        self.level.setObjectName("meta_level")
        self.level.addItems([lv.value for lv in Level])
        self.level.currentTextChanged.connect(lambda t: self._set(level=Level(t)))
        form.addRow("行政层级(&L)：", self.level)

        self.year = QSpinBox()
        self.year.setObjectName("meta_year")
        self.year.setRange(2008, 2100)
        self.year.setSuffix(" 年")
        self.year.editingFinished.connect(lambda: self._set(year=self.year.value()))
        form.addRow("报告年度(&Y)：", self.year)

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("meta_title")
        self.title_edit.editingFinished.connect(
            lambda: self._set(title=self.title_edit.text().strip() or None))
        form.addRow("标题(&T)：", self.title_edit)

        self.compiler = QLineEdit(meta.compiler)
        self.compiler.setObjectName("meta_compiler")
        self.compiler.setPlaceholderText("汇总报告或代为编制时填写")
        self.compiler.editingFinished.connect(lambda: self._set(compiler=self.compiler.text().strip()))
        form.addRow("编制单位：", self.compiler)

        self.contact = QLineEdit(meta.contact)
        self.contact.setObjectName("meta_contact")
        self.contact.setPlaceholderText("如对本报告有疑问，可联系的地址、邮编和电话")
        self.contact.editingFinished.connect(lambda: self._set(contact=self.contact.text().strip()))
        form.addRow("联系方式：", self.contact)

        self.deadline_custom = QCheckBox("另行规定")
        self.deadline_custom.setObjectName("meta_deadline_custom")
        self.deadline = QDateEdit()
        self.deadline.setObjectName("meta_deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy年M月d日")
        self.deadline_custom.toggled.connect(self._deadline_changed)
        self.deadline.editingFinished.connect(self._deadline_changed)
        row = QHBoxLayout()
        row.addWidget(self.deadline)
        row.addWidget(self.deadline_custom)
        row.addStretch(1)
        form.addRow("公开期限：", row)

        self.sign = QCheckBox("在文末加落款（机关名称和日期）")
        self.sign.setObjectName("meta_sign")
        self.sign_date = QDateEdit()
        self.sign_date.setObjectName("meta_sign_date")
        self.sign_date.setCalendarPopup(True)
        self.sign_date.setDisplayFormat("yyyy年M月d日")
        self.sign.toggled.connect(self._sign_changed)
        self.sign_date.editingFinished.connect(self._sign_changed)
        row = QHBoxLayout()
        row.addWidget(self.sign_date)
        row.addWidget(self.sign)
        row.addStretch(1)
        form.addRow("落款：", row)

        version = QLabel(f"{L.FORMAT_VERSION} 年版（{L.FORMAT_SOURCE}）")
        version.setWordWrap(True)
        # As wide as the fields: the form measures a wrapped label's height at the field width, and a label
        # left at its own narrower hint would wrap to lines that height does not hold.
        version.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form.addRow("格式版本：", version)
        self.body.addLayout(form)
        self.body.addWidget(_guidance(
            "机关类别和行政层级决定适用的检查：人民政府（含乡镇）须报告工作考核、社会评议和责任追究结果；"
            "县级和乡级机关没有规章制定权。本级人民政府报告的公开期限为次年3月31日，其他为次年1月31日，"
            "当地另有规定的请勾选「另行规定」。"))
        self.body.addStretch(1)
        document.metaChanged.connect(self.refresh)
        self.refresh()

    def _set(self, **changes) -> None:
        try:
            self.document.set_meta(**changes)
        except ValueError as e:
            self.message.emit(f"未修改：{e}")
            self.refresh()

    def _deadline_changed(self, *_args) -> None:
        custom = self.deadline_custom.isChecked()
        self.deadline.setEnabled(custom)
        self._set(deadline=self.deadline.date().toPython() if custom else None)

    def _sign_changed(self, *_args) -> None:
        signed = self.sign.isChecked()
        self.sign_date.setEnabled(signed)
        self._set(sign_date=self.sign_date.date().toPython() if signed else None)

    def refresh(self) -> None:
        meta = self.document.report.meta
        widgets = (self.organ, self.kind, self.level, self.year, self.title_edit, self.deadline,
                   self.deadline_custom, self.sign, self.sign_date, self.compiler, self.contact)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.organ.setText(meta.organ)
            self.kind.setCurrentText(meta.kind.value)
            self.level.setCurrentText(meta.level.value)
            self.year.setValue(meta.year)
            self.title_edit.setText(meta.title or "")
            self.title_edit.setPlaceholderText(f"留空则使用标准标题：{meta.standard_title}")
            self.compiler.setText(meta.compiler)
            self.contact.setText(meta.contact)
            self.deadline_custom.setChecked(meta.deadline is not None)
            self.deadline.setDate(QDate(meta.effective_deadline))
            self.deadline.setEnabled(meta.deadline is not None)
            self.sign.setChecked(meta.sign_date is not None)
            self.sign_date.setDate(QDate(meta.sign_date or dt.date(meta.year + 1, 1, 20)))
            self.sign_date.setEnabled(meta.sign_date is not None)
        finally:
            for w in widgets:
                w.blockSignals(False)

    def show_location(self, location: Location) -> None:
        self.organ.setFocus()
