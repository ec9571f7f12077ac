"""审核汇总: a supervisor's review mode, 批注, the 修改记录, the 审核副本 and the supervisor windows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from core.findings import Location, describe_location


def reviewer_name(window, ask: bool = True) -> str | None:
    name = str(window.settings.value("reviewer_name", "") or "")
    if name or not ask:
        return name or None
    name, ok = QInputDialog.getText(window, "审核人", "审核单位或审核人（写入批注和修改记录）：", text="上级政务公开办")
    if not ok or not name.strip():
        return None
    window.settings.setValue("reviewer_name", name.strip())
    return name.strip()


def set_review_mode(window) -> None:
    begin_review(window, reviewer_name(window) if window.review_action.isChecked() else None)


def begin_review(window, name: str | None) -> None:
    """Edit the open draft as reviewer ``name`` (None: as the unit itself)."""
    window.document.reviewer = name
    window.review_action.setChecked(bool(name))
    if name:
        window.show_message(f"审核模式：以「{name}」的身份修改，保存时每处修改记入修改记录")
    window._update_title()


def add_comment(window) -> None:
    author = window.document.reviewer or window.reviewer_name()
    if not author:
        return
    location = window.pages.currentWidget().current_location()
    where = describe_location(Location(**location))
    text, ok = QInputDialog.getMultiLineText(window, "添加批注", f"批注位置：{where}\n\n批注内容：")
    if ok and text.strip():
        window.document.add_comment(location, text, author)
        window.show_message(f"已在{where}添加批注；保存后把草稿退回给单位")


def export_review_copy(window) -> None:
    """审核副本: comments and history, never to publish. Printing loads on first use, not at start."""
    from .printing import export_review_copy as write_review_copy

    write_review_copy(window)


def show_history(window) -> None:
    from .dialogs import history

    history(window, window.document.report)


def open_tool(window, name: str) -> None:
    """One of the supervisor windows (汇总, 报送名单, 对比); loaded on first use, as clerks rarely need them."""
    from . import supervise

    tool = getattr(supervise, name)(window)
    tool.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    tool.show()
