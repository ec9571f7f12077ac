"""上年报告: attach last year's report, remember which one per draft, and fill this year's figures from it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core import files
from core import operations as ops
from core.errors import ReportFileError

APP_NAME = "政务公开年报助手"


def attach_previous(window) -> None:
    from .file_dialogs import ask_report

    path = ask_report(window, "附加上年报告", window.settings)
    if path:
        window.attach_previous_path(path)


def attach_previous_path(window, path: Path) -> bool:
    try:
        previous = files.read_report(path)
    except ReportFileError as e:
        QMessageBox.warning(window, "无法附加上年报告", str(e))
        return False
    if previous.meta.year != window.document.report.meta.year - 1:
        QMessageBox.information(window, "附加上年报告",
                                f"所选报告是 {previous.meta.year} 年度的，本报告是 {window.document.report.meta.year} "
                                f"年度的。仍按上年报告附加，跨年度检查将与它比较。")
    window.document.set_previous(previous, path)
    remember_link(window)
    window.show_message(f"已附加上年报告「{path.name}」，已按上年数据检查结转数、现行有效件数和文字雷同")
    return True


def detach_previous(window) -> None:
    window.document.set_previous(None)
    remember_link(window)


def update_actions(window) -> None:
    has = window.document.previous is not None
    for action in (window.detach_action, window.fill_carry_action, window.fill_valid_action):
        action.setEnabled(has)


def link_key(draft_path: Path) -> str:
    """The setting that names the last year's report attached to this draft."""
    return "previous/" + str(draft_path).replace("/", "|").replace("\\", "|")


def remember_link(window) -> None:
    doc = window.document
    if doc.path is not None:
        window.settings.setValue(link_key(doc.path), str(doc.previous_path) if doc.previous_path else "")


def restore_link(window, check: bool = True) -> None:
    """Attach again the report last attached to this draft (``check``: see ReportDocument.set_previous)."""
    doc = window.document
    if doc.path is None:
        return
    linked = window.settings.value(link_key(doc.path), "")
    if linked and Path(linked).exists():
        try:
            doc.set_previous(files.read_report(Path(linked)), Path(linked), check=check)
        except ReportFileError:
            window.show_message(f"上年报告「{Path(linked).name}」无法读取，未附加")


def fill_carried_in(window) -> None:
    prev = window.document.previous
    if prev is None:
        return
    edit = ops.fill_carried_in(window.document.report, prev)
    if edit.skipped:
        QMessageBox.information(window, APP_NAME, "上年报告的「结转下年度继续办理」有空白，无法全部填入。")
    window.document.push(edit)
    window.go_to("requests").table.select_line("carried_in", None)
    window.show_message("已按上年「结转下年度继续办理」填入本年「上年结转」")


def fill_in_force(window) -> None:
    prev = window.document.previous
    if prev is None:
        return
    edit = ops.fill_in_force(window.document.report, prev)
    window.document.push(edit)
    if edit.skipped:
        QMessageBox.information(window, APP_NAME, f"「{'」「'.join(edit.skipped)}」的本年制发、废止件数或上年现行有效件数"
                                               f"尚未填写，未推算。")
    window.go_to("proactive")
    window.show_message("已按「上年现行有效 + 本年制发 − 本年废止」填入现行有效件数，如有失效、清理请自行修改")
