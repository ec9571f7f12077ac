"""The 自检 panel: findings grouped by severity, refreshed after every edit; click one to go to it.

A table's blank cells are one entry (「表三有 143 个空白单元格」, with 填 0) that opens to the cells, so
one typed figure in an empty table does not bury the real problems under a hundred warnings. A new
report shows one calm 「开始填写」 until the clerk has typed something.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QDockWidget, QGridLayout, QLabel, QPushButton, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from core import layout as L
from core.findings import Finding, Severity, describe_location

from .document import ReportDocument

FindingRole = Qt.ItemDataRole.UserRole + 10
GROUP_COLORS = {Severity.ERROR: "#b3261e", Severity.WARNING: "#9a6700", Severity.INFO: "#1f5fa8"}
EXPLAINED = "已说明"
BLANK_RULE = "CELL-BLANK"
TYPING_PAUSE_MS = 250  # the list is rebuilt once typing pauses this long, not on every keystroke
NAMED_BLANKS = 3  # cells named in a blank-cell group's own line


@dataclass(frozen=True)
class BlankCells:
    """The blank cells of one table, shown as one entry."""

    table: str
    findings: tuple[Finding, ...]

    @property
    def key(self) -> str:
        return f"{BLANK_RULE}@{self.table}"

    @property
    def severity(self) -> Severity:
        return self.findings[0].severity

    @property
    def message(self) -> str:
        layout = L.TABLE_BY_KEY[self.table]
        names = "、".join(_short_cell(layout, f) for f in self.findings[:NAMED_BLANKS])
        more = "等" if len(self.findings) > NAMED_BLANKS else ""
        return (f"{layout.name}有 {len(self.findings)} 个空白单元格（{names}{more}）；"
                f"没有发生的情况应填 0，可点「填 0」一次填完")


def _short_cell(layout: L.TableLayout, f: Finding) -> str:
    loc = f.location
    row = layout.row_by_key[loc.row].short if loc.row else ""
    col = layout.column_by_key[loc.column].label if loc.column and len(layout.columns) > 1 else ""
    return "·".join(x for x in (row, col) if x)


def grouped(findings: list[Finding]) -> list[Finding | BlankCells]:
    """Findings in order, each table's open blank cells folded into one entry (when there are two or more)."""
    blanks: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule == BLANK_RULE and not f.explanation and f.location.table:
            blanks.setdefault(f.location.table, []).append(f)
    out: list[Finding | BlankCells] = []
    placed = set()
    for f in findings:
        table = f.location.table
        if f.rule == BLANK_RULE and not f.explanation and table and len(blanks[table]) > 1:
            if table not in placed:
                placed.add(table)
                out.append(BlankCells(table, tuple(blanks[table])))
            continue
        out.append(f)
    return out


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped message, so nothing is cut off in a narrow panel."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option, index):
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self.tree.viewport().width() - self.tree.indentation() * (depth + 1) - 12
        text = index.data() or ""
        rect = option.fontMetrics.boundingRect(QRect(0, 0, max(width, 60), 10_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, rect.height() + 8)


class _FindingsTree(QTreeWidget):
    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()  # heights depend on the width


class FindingsPanel(QDockWidget):
    findingActivated = Signal(object)  # Finding
    fillBlanks = Signal(str)  # table key: the clerk chose 填 0 on a blank-cell entry

    def __init__(self, document: ReportDocument, parent=None):
        super().__init__("自检", parent)
        self.setObjectName("findings_dock")
        self.document: ReportDocument | None = None
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)

        self.banner = QLabel()
        self.banner.setObjectName("ready_banner")
        self.banner.setWordWrap(True)

        self.tree = _FindingsTree()
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.setObjectName("findings_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.itemExpanded.connect(self._expanded)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.explain_button = QPushButton("说明(&M)…")
        self.explain_button.setObjectName("explain_button")
        self.explain_button.clicked.connect(self.explain_current)
        self.unexplain_button = QPushButton("撤回说明")
        self.unexplain_button.setObjectName("unexplain_button")
        self.unexplain_button.clicked.connect(self.unexplain_current)
        self.resolve_button = QPushButton("已处理(&D)…")
        self.resolve_button.setObjectName("resolve_button")
        self.resolve_button.setToolTip("上级的批注处理完后标记为已处理，可附一句答复")
        self.resolve_button.clicked.connect(self.resolve_current)
        self.fill_button = QPushButton("填 0")
        self.fill_button.setObjectName("fill_group_button")
        self.fill_button.setToolTip("把这张表中所有空白单元格填为 0（没有发生的情况应填 0）")
        self.fill_button.clicked.connect(self.fill_current)
        # Two buttons a row: a button shown for the selected finding must not widen a narrow panel, which
        # would rewrap the list under the pointer between press and release.
        buttons = QGridLayout()
        for i, b in enumerate((self.explain_button, self.unexplain_button, self.resolve_button, self.fill_button)):
            buttons.addWidget(b, i // 2, i % 2)
        buttons.setColumnStretch(2, 1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._collapsed: set[str] = set()
        self._expanded_groups: set[str] = set()
        # Rebuilding the list takes longer than a frame on a long report: while the clerk types, it waits
        # for a pause in typing (the status bar and the tables follow every keystroke).
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(TYPING_PAUSE_MS)
        self._pending.timeout.connect(self.refresh)
        self.document: ReportDocument | None = None
        self.set_document(document)

    def set_document(self, document: ReportDocument) -> None:
        if self.document is not None:
            self.document.findingsChanged.disconnect(self._findings_changed)
            self.document.stateChanged.disconnect(self.refresh)
        self.document = document
        document.findingsChanged.connect(self._findings_changed)
        document.stateChanged.connect(self.refresh)
        self.refresh()

    # -- content --------------------------------------------------------------------------------

    def _findings_changed(self) -> None:
        if self.document.typing:
            self._pending.start()  # again from the start: one rebuild when typing pauses
        else:
            self.refresh()

    @property
    def up_to_date(self) -> bool:
        """Whether the list shows the document's findings (not waiting for a pause in typing)."""
        return not self._pending.isActive()

    def refresh(self) -> None:
        self._pending.stop()
        current = self.tree.currentItem()
        value = current.data(0, FindingRole) if current else None
        keep = value.key if isinstance(value, (Finding, BlankCells)) else None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            name = item.data(0, FindingRole)
            if not item.isExpanded():
                self._collapsed.add(name)
            else:
                self._collapsed.discard(name)
        self.tree.clear()
        if not self.document.started or not self.document.checked:  # nothing to list, or not yet
            self._update_banner()
            self._update_buttons()
            return
        groups: dict[str, list] = {s.label: [] for s in Severity}
        groups[EXPLAINED] = []
        for f in grouped(self.document.findings):
            groups[EXPLAINED if isinstance(f, Finding) and f.explanation else f.severity.label].append(f)
        select = None
        for name, entries in groups.items():
            if not entries:
                continue
            top = QTreeWidgetItem([f"{name}（{len(entries)}）"])
            top.setData(0, FindingRole, name)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            severity = next((s for s in Severity if s.label == name), None)
            if severity:
                top.setForeground(0, QBrush(QColor(GROUP_COLORS[severity])))
            self.tree.addTopLevelItem(top)
            for entry in entries:
                child = self._blank_item(entry) if isinstance(entry, BlankCells) else _finding_item(entry)
                top.addChild(child)
                if entry.key == keep:
                    select = child
            top.setExpanded(name not in self._collapsed)
            for i in range(top.childCount()):
                child = top.child(i)
                if isinstance(child.data(0, FindingRole), BlankCells) \
                        and child.data(0, FindingRole).key in self._expanded_groups:
                    child.setExpanded(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._update_banner()
        self._update_buttons()

    def _blank_item(self, group: BlankCells) -> QTreeWidgetItem:
        item = QTreeWidgetItem([group.message])
        item.setData(0, FindingRole, group)
        item.setToolTip(0, f"{BLANK_RULE}　{group.severity.label}\n依据：{group.findings[0].clause}\n"
                           f"展开可逐格查看；点「填 0」把这张表的空白单元格都填为 0")
        # The cells are listed only when opened: a hundred rows per keystroke would slow typing.
        item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def _expanded(self, item: QTreeWidgetItem) -> None:
        group = item.data(0, FindingRole)
        if not isinstance(group, BlankCells):
            return
        self._expanded_groups.add(group.key)
        if item.childCount() == 0:
            for f in group.findings:
                item.addChild(_finding_item(f, describe_location(f.location) + "为空白"))

    def _update_banner(self) -> None:
        if not self.document.started:
            text = (f"开始填写：从左侧「基本信息」和「{L.PART_BY_KEY['overview'].nav}」起逐项填写。"
                    "填写后，这里会随时列出需要改正的地方，点击任何一条即可跳到对应的单元格或文字。")
            state = "start"
        elif not self.document.checked:  # the first check runs once the window has painted
            text = "正在自检……"
            state = "start"
        else:
            counts = self.document.counts()
            errors = counts[Severity.ERROR]
            if errors == 0:
                rest = counts[Severity.WARNING] + counts[Severity.INFO]
                text = "没有错误，报告可以导出发布。" + (f"还有 {rest} 条警告或提示，建议逐条核对。" if rest else "")
                state = "true"
            else:
                text = f"还有 {errors} 处错误，改正后才能导出正式文本。"
                state = "false"
        self.banner.setText(text)
        self.banner.setProperty("ready", state)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        value = item.data(0, FindingRole) if item else None
        return value if isinstance(value, Finding) else None

    def current_blanks(self) -> BlankCells | None:
        item = self.tree.currentItem()
        value = item.data(0, FindingRole) if item else None
        return value if isinstance(value, BlankCells) else None

    def items(self) -> list[QTreeWidgetItem]:
        """One item per entry under the severity headings (a blank-cell group counts once)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out += [top.child(j) for j in range(top.childCount())]
        return out

    # -- actions --------------------------------------------------------------------------------

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        value = item.data(0, FindingRole)
        if isinstance(value, BlankCells):
            value = value.findings[0]
        if isinstance(value, Finding):
            self.findingActivated.emit(value)

    def next_finding(self) -> None:
        items = self.items()
        if not items:
            self.window().show_message("没有需要处理的问题")
            return
        current = self.tree.currentItem()
        while current is not None and current not in items:
            current = current.parent()  # inside an opened blank-cell group: go on after the group
        index = items.index(current) + 1 if current in items else 0
        item = items[index % len(items)]
        self.tree.setCurrentItem(item)
        self._activated(item)

    def _update_buttons(self) -> None:
        f = self.current_finding()
        blanks = self.current_blanks()
        if blanks is None and f is not None and f.rule == BLANK_RULE:
            blanks = BlankCells(f.location.table, (f,))
        comment = f is not None and self.document.comment_for(f) is not None
        self.resolve_button.setVisible(comment)
        self.fill_button.setVisible(blanks is not None)
        self.explain_button.setEnabled(f is not None and f.severity is not Severity.ERROR and not comment)
        self.unexplain_button.setEnabled(f is not None and bool(f.explanation))
        if f is not None and f.severity is Severity.ERROR:
            self.explain_button.setToolTip("错误必须改正，不能以说明代替")
        else:
            self.explain_button.setToolTip("警告和提示确有原因的，可写一句说明后保留")

    def explain_current(self) -> None:
        f = self.current_finding()
        if f is None or f.severity is Severity.ERROR:
            return
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, "说明", f"{f.message}\n\n请用一句话说明保留的原因（将随草稿报送）：",
                                        text=f.explanation or "")
        if ok and text.strip():
            self.document.set_explanation(f.key, text.strip())

    def resolve_current(self) -> None:
        f = self.current_finding()
        comment = self.document.comment_for(f) if f is not None else None
        if comment is None:
            return
        from PySide6.QtWidgets import QInputDialog

        reply, ok = QInputDialog.getText(self, "批注已处理", f"{comment.message}\n\n答复（可不填）：")
        if ok:
            self.document.resolve_comment(comment.id, reply)

    def unexplain_current(self) -> None:
        f = self.current_finding()
        if f is not None and f.explanation:
            self.document.set_explanation(f.key, None)

    def fill_current(self) -> None:
        blanks = self.current_blanks()
        f = self.current_finding()
        table = blanks.table if blanks else (f.location.table if f is not None and f.rule == BLANK_RULE else None)
        if table:
            self.fillBlanks.emit(table)


def _finding_item(f: Finding, text: str | None = None) -> QTreeWidgetItem:
    where = describe_location(f.location)
    shown = (text or f.message) + (f"\n说明：{f.explanation}" if f.explanation else "")
    item = QTreeWidgetItem([shown])
    item.setData(0, FindingRole, f)
    item.setToolTip(0, f"{f.rule}　{f.severity.label}\n依据：{f.clause}" + (f"\n位置：{where}" if where else ""))
    return item
