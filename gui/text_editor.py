"""The editor of one narrative field: guidance, a character count, last year's text beside it."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QSplitter, QVBoxLayout,
                               QWidget)

from core import layout as L
from core import sentences

from .document import ReportDocument


_WHITESPACE = re.compile(r"\s")


def non_space_count(text: str) -> int:
    """The 字 of the count label: characters that are not white space (one C-speed pass, no Python loop)."""
    return len(_WHITESPACE.sub("", text))


class CountLabel(QLabel):
    """The 字 count under an editor. Its size is fixed (to fit the longest count, refitted when its font
    changes): a label that may change size makes every keystroke lay out and repaint the whole page."""

    WIDEST = "9999999 字"

    def __init__(self, parent=None):
        super().__init__(parent)
        self._fit()

    def _fit(self) -> None:
        text = self.text()
        super().setText(self.WIDEST)
        hint = self.sizeHint()
        super().setText(text)
        self.setFixedSize(hint)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


def object_name(field_key: str) -> str:
    return "text_" + field_key.replace(".", "_")


class NarrativeEditor(QWidget):
    """Edits ``document.report.texts[field_key]``; every change is one undoable document command."""

    message = Signal(str)

    def __init__(self, document: ReportDocument, field_key: str, parent=None, min_lines: int = 6):
        super().__init__(parent)
        self.document = document
        self.field = L.TEXT_FIELD_BY_KEY[field_key]
        self._updating = False
        self._typed: str | None = None

        title = QLabel(self.field.label)
        title.setProperty("role", "field-title")
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        guidance = QLabel(self.field.guidance)
        guidance.setProperty("role", "guidance")
        guidance.setWordWrap(True)

        self.editor = QPlainTextEdit()
        self.editor.setObjectName(object_name(field_key))
        self.editor.setProperty("role", "narrative")
        self.editor.setPlaceholderText(self.field.guidance)
        self.editor.setUndoRedoEnabled(False)  # the document's undo stack covers text too
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(document.report.text(field_key))
        line = self.editor.fontMetrics().lineSpacing()
        self.editor.setMinimumHeight(line * min_lines + 16)
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.editor.textChanged.connect(self._on_edited)
        self.editor.installEventFilter(self)

        self.previous = QPlainTextEdit()
        self.previous.setObjectName(object_name(field_key) + "_previous")
        self.previous.setProperty("role", "previous")
        self.previous.setReadOnly(True)
        self.previous.hide()

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.previous)
        splitter.setChildrenCollapsible(False)

        self.count = CountLabel()
        self.count.setProperty("role", "count")
        self.previous_button = QPushButton("对照上年")
        self.previous_button.setCheckable(True)
        self.previous_button.setToolTip("在右侧显示上年报告中这一部分的文字")
        self.previous_button.toggled.connect(self._show_previous)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        if field_key in sentences.SENTENCES:
            text, _ = sentences.SENTENCES[field_key]
            self.insert_button = QPushButton(text)
            self.insert_button.setObjectName(object_name(field_key) + "_insert")
            self.insert_button.setToolTip("根据表格中的数字生成一句话插入到光标处，插入后可自由修改")
            self.insert_button.clicked.connect(self.insert_sentence)
            bottom.addWidget(self.insert_button)
        bottom.addWidget(self.previous_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(title)
        layout.addWidget(guidance)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        document.textChanged.connect(self._on_document_changed)
        document.previousChanged.connect(self._on_previous_changed)
        self._on_previous_changed()
        self._update_count()

    def eventFilter(self, watched, event):
        # QPlainTextEdit claims Ctrl+Z / Ctrl+Y for its own undo, which is off (the document's stack holds
        # text edits too), so the keys did nothing here: route them to the document's stack.
        if watched is self.editor and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            stack = self.document.undo_stack
            for keys, act in ((QKeySequence.StandardKey.Undo, stack.undo), (QKeySequence.StandardKey.Redo, stack.redo)):
                if event.matches(keys) or (keys == QKeySequence.StandardKey.Redo and event.keyCombination()
                                           == (Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Y)):
                    event.accept()
                    if event.type() == QEvent.Type.KeyPress:
                        act()
                    return True
        return super().eventFilter(watched, event)

    def set_max_lines(self, lines: int) -> None:
        """Keep a short optional field short."""
        height = self.editor.fontMetrics().lineSpacing() * lines + 16
        self.editor.setMaximumHeight(height)
        self.splitter.setMaximumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    # -- editing --------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        text = self.editor.toPlainText()  # once per keystroke: a copy of the whole field
        if not self._updating:
            self._typed = text  # what the editor shows: the document's textChanged need not read it back
            try:
                self.document.set_text(self.field.key, text, typing=True)
            finally:
                self._typed = None
        self._update_count(text)

    def _on_document_changed(self, field_key: str) -> None:
        if field_key != self.field.key:
            return
        text = self.document.report.text(field_key)
        if text == (self._typed if self._typed is not None else self.editor.toPlainText()):
            return
        # Undo/redo changed the text: show it, keeping the cursor where the change happened.
        old = self.editor.toPlainText()
        start = next((i for i, (a, b) in enumerate(zip(old, text)) if a != b), min(len(old), len(text)))
        self._updating = True
        try:
            self.editor.setPlainText(text)
            cursor = self.editor.textCursor()
            cursor.setPosition(min(start + max(len(text) - len(old), 0), len(text)))
            self.editor.setTextCursor(cursor)
        finally:
            self._updating = False
        self._update_count()

    def _update_count(self, text: str | None = None) -> None:
        if text is None:
            text = self.editor.toPlainText()
        self.count.setText(f"{non_space_count(text)} 字")

    def insert_sentence(self) -> None:
        _, make = sentences.SENTENCES[self.field.key]
        sentence = make(self.document.report)
        if sentence is None:
            self.message.emit("相关表格还没有填写，无法生成句子")
            return
        self.editor.textCursor().insertText(sentence)
        self.message.emit("已根据表格插入：" + sentence)

    def select_span(self, start: int | None, end: int | None) -> None:
        cursor = self.editor.textCursor()
        length = len(self.editor.toPlainText())
        cursor.setPosition(min(start or 0, length))
        if end is not None and end > (start or 0):
            cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- last year ------------------------------------------------------------------------------

    def _on_previous_changed(self) -> None:
        prev = self.document.previous
        has = prev is not None
        self.previous_button.setEnabled(has)
        if has:
            text = prev.text(self.field.key)
            self.previous.setPlainText(text or "（上年报告中这一部分为空）")
            self.previous_button.setToolTip(f"在右侧显示 {prev.meta.year} 年报告中这一部分的文字")
        else:
            self.previous_button.setChecked(False)

    def _show_previous(self, shown: bool) -> None:
        self.previous.setVisible(shown)
