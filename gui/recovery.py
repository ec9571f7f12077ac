"""After a crash: offer what the last session autosaved, and restore it into the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core.errors import ReportFileError

from . import paths
from .autosave import recoverable
from .document import ReportDocument

RECOVER, LATER, DELETE = "恢复", "以后再说", "删除备份"


def offer_recovery(window, only: Path | None = None) -> None:
    """After a crash, offer to restore what the last session autosaved (``only``: of that file)."""
    from . import dialogs
    for rec in recoverable(paths.recovery_dir()):
        if only is not None and not (rec.original and same_file(rec.original, only)):
            continue
        answer = dialogs.choose(
            window, "恢复未保存的报告",
            f"上次程序意外关闭，「{rec.title}」有 {rec.saved_at} 自动备份的未保存修改。\n\n"
            f"「以后再说」保留这份备份，下次启动时再问；「删除备份」后这些修改将无法找回。",
            [RECOVER, LATER, DELETE], RECOVER, LATER)
        if answer == RECOVER:
            if restore(window, rec):
                return
        elif answer == DELETE:
            rec.discard()


def restore(window, rec) -> bool:
    try:
        report = rec.load()
    except ReportFileError as e:
        QMessageBox.warning(window, "无法恢复", str(e))
        return False
    document = ReportDocument(report, rec.original)
    window.set_document(document)
    # Restored edits are unsaved until the clerk saves them.
    document.undo_stack.resetClean()
    rec.discard()
    window.autosaver.save_now()
    window.show_message("已恢复上次未保存的修改，请及时保存")
    return True


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
