"""帮助 → 使用说明: the user guide inside the program, offline, with a table of contents and search.

The prose is ``resources/guide/guide.html``; part headings, guidance and table labels are filled in from
``core.layout`` so that the guide never disagrees with the form.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from core import layout as L

from . import resources
from .screen_fit import fit_to_screen


def guide_html() -> str:
    """The guide with the layout's own headings and labels put in."""
    text = resources.path("guide", "guide.html").read_text(encoding="utf-8")
    rows = L.TABLE3.row_by_key
    values = {
        "format_source": L.FORMAT_SOURCE,
        "topics": "<ul>" + "".join(f"<li><b>{html.escape(t.heading)}</b>：{html.escape(t.guidance)}</li>"
                                   for t in L.TOPICS) + "</ul>",
        "t3_total_row": html.escape(rows["total"].label),
        "t3_total_col": html.escape(L.TABLE3.column_by_key["total"].label),
        "t3_balance": f"「{rows['new'].label}」+「{rows['carried_in'].label}」＝"
                      f"「{rows['total'].label}」+「{rows['carried_out'].label}」",
    }
    for part in L.PARTS:
        values[f"part:{part.key}"] = html.escape(part.heading)
        values[f"guidance:{part.key}"] = html.escape(part.guidance)
    return re.sub(r"\{([a-z0-9_:]+)\}", lambda m: values[m.group(1)], text)


class GuideWindow(QMainWindow):
    """The guide beside the form: contents on the left, a search box above."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guide_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # shown again, it is built again: it is quick
        self.setWindowTitle("使用说明 - 政务公开年报助手")
        self.browser = QTextBrowser(objectName="guide_text")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(guide_html())
        self.contents = QListWidget(objectName="guide_contents")
        for anchor, title in re.findall(r'<h[12] id="([a-z]+)">(.*?)</h[12]>', guide_html()):
            item = QListWidgetItem(re.sub(r"<[^>]+>", "", title))
            item.setData(Qt.ItemDataRole.UserRole, anchor)
            self.contents.addItem(item)
        self.contents.currentItemChanged.connect(
            lambda item, _old: item and self.browser.scrollToAnchor(item.data(Qt.ItemDataRole.UserRole)))
        self.contents.setMaximumWidth(self.fontMetrics().horizontalAdvance("九、上级审核与汇总（审核汇总菜单）") + 24)

        self.search = QLineEdit(objectName="guide_search")
        self.search.setPlaceholderText("查找（回车查找下一处）")
        self.search.returnPressed.connect(self.find_next)
        find = QPushButton("查找下一处")
        find.clicked.connect(self.find_next)
        self.found = QLabel(objectName="guide_found")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(find)
        top.addWidget(self.found)

        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)
        fit_to_screen(self, 960, 680)

    def find_next(self) -> bool:
        word = self.search.text().strip()
        if not word:
            return False
        found = self.browser.find(word)
        if not found:  # wrap around to the top
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(word)
        self.found.setText("" if found else "没有找到")
        return found
