"""文件: new, open, save and save as, 最近打开, and the lock beside the draft a window edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from core import draft, files
from core.errors import ReportFileError

from . import paths, previous_year
from .document import ReportDocument
from .draft_lock import DraftLock

APP_NAME = "政务公开年报助手"
RECENT_MAX = 8


def confirm_discard(window) -> bool:
    """True when the current report may be replaced (saved, discarded, or unchanged)."""
    if not window.document.modified:
        return True
    answer = QMessageBox.question(
        window, APP_NAME, "当前报告有未保存的修改，是否保存？",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save)
    if answer == QMessageBox.StandardButton.Save:
        return window.save()
    return answer == QMessageBox.StandardButton.Discard


def new_report(window) -> None:
    if not window.confirm_discard():
        return
    from .dialogs import NewReportDialog

    dialog = NewReportDialog(window)
    if dialog.exec():
        window.autosaver.discard()
        window.set_document(ReportDocument(dialog.report()))
        window.go_to("overview")


def open_dialog(window) -> None:
    if not window.confirm_discard():
        return
    from .file_dialogs import ask_report

    path = ask_report(window, "打开报告", window.settings)
    if path:
        window.open_path(path)


def open_path(window, path: Path) -> bool:
    try:
        report = files.read_report(path)
    except ReportFileError as e:
        QMessageBox.warning(window, "无法打开", str(e))
        return False
    paths.remember_folder(window.settings, path)
    is_draft = path.suffix.lower() == draft.EXTENSION
    if is_draft and not may_open_in_use(window, path):
        return False
    window.autosaver.discard()
    window.set_document(ReportDocument(report, path if is_draft else None))
    remember_recent(window.settings, path)
    if not is_draft:
        notes = len(report.imported.notes) if report.imported else 0
        window.show_message(f"已导入「{path.name}」" + (f"，有 {notes} 条导入提示，见自检面板" if notes else "")
                          + "。请「另存为」年报草稿")
        from .import_review import after_import

        after_import(window, path)
    return True


def may_open_in_use(window, path: Path) -> bool:
    """Warn when the draft is open in another window or on another computer; the clerk decides."""
    if window._lock is not None and window._lock.draft == path and window._lock.held:
        return True  # this window's own draft, opened again
    probe = DraftLock(path)
    if probe.acquire():
        window._lock_taken = probe  # kept for hold_lock: taking a lock twice costs two writes to the folder
        return True
    holder = probe.holder
    if holder is None:
        return True
    answer = QMessageBox.question(
        window, "草稿已被打开",
        f"「{path.name}」正在另一个窗口中编辑（{holder}）。\n\n两处同时修改，后保存的会覆盖先保存的。"
        f"建议先在那里保存并关闭。仍要打开吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def hold_lock(window) -> None:
    """Keep a lock beside the draft this window edits (none for an import or a new report)."""
    path = window.document.path if window.document else None
    if window._lock is not None and window._lock.draft == path:
        return
    if window._lock is not None:
        window._lock.release()
        window._lock = None
    taken, window._lock_taken = window._lock_taken, None
    if path is not None:
        lock = taken if taken is not None and taken.draft == path else DraftLock(path)
        if lock is taken or lock.acquire():
            window._lock = lock
    if taken is not None and taken is not window._lock:
        taken.release()  # opened in the end under another name, or not at all


def save(window) -> bool:
    doc = window.document
    if doc.path is None or doc.path.suffix.lower() != draft.EXTENSION:
        return window.save_as()
    return write(window, doc.path)


def save_as(window) -> bool:
    doc = window.document
    folder = paths.last_folder(window.settings)
    suggested = doc.path or folder / (doc.report.meta.standard_title + draft.EXTENSION)
    from .file_dialogs import prepared

    with prepared():
        name, _ = QFileDialog.getSaveFileName(window, "另存为", str(suggested), f"年报草稿 (*{draft.EXTENSION})")
    if not name:
        return False
    path = Path(name)
    if path.suffix.lower() != draft.EXTENSION:
        path = path.with_name(path.name + draft.EXTENSION)
    return write(window, path)


def write(window, path: Path) -> bool:
    history = window.document.report.history
    kept = len(history)
    recorded = window.document.record_review()
    try:
        try:
            draft.save(window.document.report, path)
        except draft.ReadOnlyDraftError as e:
            buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            if QMessageBox.question(window, "只读文件", str(e), buttons) != QMessageBox.StandardButton.Yes:
                del history[kept:]
                return False
            draft.save(window.document.report, path, overwrite_read_only=True)
    except ReportFileError as e:
        del history[kept:]  # recorded again with the next save
        if window.autosaver.save_now():
            kept_note = "修改仍在窗口中，并已自动备份，可换一个位置另存。"
        else:
            kept_note = "修改仍在窗口中，但自动备份也未能写入，请立即换一个位置（如另一个磁盘或 U 盘）另存，不要关闭程序。"
        QMessageBox.critical(window, "保存失败", f"{e}\n\n{kept_note}")
        return False
    window.document.mark_saved(path)
    window.autosaver.discard()
    paths.remember_folder(window.settings, path)
    remember_recent(window.settings, path)
    previous_year.remember_link(window)
    window.show_message(f"已保存到「{path}」" + (f"，审核修改 {recorded} 处已记入修改记录" if recorded else ""))
    return True


def recent_paths(settings) -> list[str]:
    """最近打开, newest first. An INI file gives back a one-item list as a bare string."""
    recent = settings.value("recent", []) or []
    if isinstance(recent, str):
        recent = [recent]
    return [str(p) for p in recent if p and len(str(p)) > 1][:RECENT_MAX]


def remember_recent(settings, path: Path) -> None:
    recent = [p for p in recent_paths(settings) if p != str(path)]
    settings.setValue("recent", ([str(path)] + recent)[:RECENT_MAX])


def fill_recent(window) -> None:
    window.recent_menu.clear()
    recent = recent_paths(window.settings)
    names = [Path(n).name for n in recent]
    for i, name in enumerate(recent, 1):
        shown = Path(name).name
        if names.count(shown) > 1:  # same file name in two folders: say which folder
            shown = f"{shown}（{Path(name).parent.name or Path(name).parent}）"
        action = window.recent_menu.addAction(f"&{i} {shown}")
        action.setToolTip(name)
        action.triggered.connect(lambda _c=False, n=name: window.confirm_discard() and window.open_path(Path(n)))
    if not recent:
        window.recent_menu.addAction("（无）").setEnabled(False)
