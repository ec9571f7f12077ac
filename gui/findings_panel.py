"""The 自检 panel: findings grouped by severity, refreshed after every edit; click one to go to it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QInputDialog, QLabel, QPushButton, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from core.findings import Finding, Severity, describe_location

from .document import ReportDocument

FindingRole = Qt.ItemDataRole.UserRole + 10
GROUP_COLORS = {Severity.ERROR: "#b3261e", Severity.WARNING: "#9a6700", Severity.INFO: "#1f5fa8"}
EXPLAINED = "已说明"


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

    def __init__(self, document: ReportDocument, parent=None):
        super().__init__("自检", parent)
        self.setObjectName("findings_dock")
        self.document = document
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
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.explain_button = QPushButton("说明(&M)…")
        self.explain_button.setObjectName("explain_button")
        self.explain_button.setToolTip("警告和提示确有原因的，可写一句说明后保留；错误必须改正，不能说明")
        self.explain_button.clicked.connect(self.explain_current)
        self.unexplain_button = QPushButton("撤回说明")
        self.unexplain_button.setObjectName("unexplain_button")
        self.unexplain_button.clicked.connect(self.unexplain_current)
        self.resolve_button = QPushButton("已处理(&D)…")
        self.resolve_button.setObjectName("resolve_button")
        self.resolve_button.setToolTip("上级的批注处理完后标记为已处理，可附一句答复")
        self.resolve_button.clicked.connect(self.resolve_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.explain_button)
        buttons.addWidget(self.unexplain_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        document.findingsChanged.connect(self.refresh)
        self._collapsed: set[str] = set()
        self.refresh()

    # -- content --------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_finding()
        keep = current.key if current else None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            name = item.data(0, FindingRole)
            if not item.isExpanded():
                self._collapsed.add(name)
            else:
                self._collapsed.discard(name)
        self.tree.clear()
        groups: dict[str, list[Finding]] = {s.label: [] for s in Severity}
        groups[EXPLAINED] = []
        for f in self.document.findings:
            groups[EXPLAINED if f.explanation else f.severity.label].append(f)
        select = None
        for name, findings in groups.items():
            if not findings:
                continue
            top = QTreeWidgetItem([f"{name}（{len(findings)}）"])
            top.setData(0, FindingRole, name)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            severity = next((s for s in Severity if s.label == name), None)
            if severity:
                top.setForeground(0, QBrush(QColor(GROUP_COLORS[severity])))
            self.tree.addTopLevelItem(top)
            for f in findings:
                where = describe_location(f.location)
                text = f.message + (f"\n说明：{f.explanation}" if f.explanation else "")
                child = QTreeWidgetItem([text])
                child.setData(0, FindingRole, f)
                child.setToolTip(0, f"{f.rule}　{f.severity.label}\n依据：{f.clause}" + (f"\n位置：{where}" if where else ""))
                top.addChild(child)
                if f.key == keep:
                    select = child
            top.setExpanded(name not in self._collapsed)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._update_banner()
        self._update_buttons()

    def _update_banner(self) -> None:
        counts = self.document.counts()
        errors = counts[Severity.ERROR]
        ready = errors == 0
        if ready:
            rest = counts[Severity.WARNING] + counts[Severity.INFO]
            text = "没有错误，报告可以导出发布。" + (f"还有 {rest} 条警告或提示，建议逐条核对。" if rest else "")
        else:
            text = f"还有 {errors} 处错误，改正后才能导出正式文本。"
        self.banner.setText(text)
        self.banner.setProperty("ready", "true" if ready else "false")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        value = item.data(0, FindingRole) if item else None
        return value if isinstance(value, Finding) else None

    def items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out += [top.child(j) for j in range(top.childCount())]
        return out

    # -- actions --------------------------------------------------------------------------------

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        finding = item.data(0, FindingRole)
        if isinstance(finding, Finding):
            self.findingActivated.emit(finding)

    def _update_buttons(self) -> None:
        f = self.current_finding()
        comment = f is not None and self.document.comment_for(f) is not None
        self.resolve_button.setVisible(comment)
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
        text, ok = QInputDialog.getText(self, "说明", f"{f.message}\n\n请用一句话说明保留的原因（将随草稿报送）：",
                                        text=f.explanation or "")
        if ok and text.strip():
            self.document.set_explanation(f.key, text.strip())

    def resolve_current(self) -> None:
        f = self.current_finding()
        comment = self.document.comment_for(f) if f is not None else None
        if comment is None:
            return
        reply, ok = QInputDialog.getText(self, "批注已处理", f"{comment.message}\n\n答复（可不填）：")
        if ok:
            self.document.resolve_comment(comment.id, reply)

    def unexplain_current(self) -> None:
        f = self.current_finding()
        if f is not None and f.explanation:
            self.document.set_explanation(f.key, None)
