"""A lock file beside an open draft, so that a second window or computer opening it is warned.

Qt's QLockFile writes the process id, host and program into the file; a lock left by a process that has
died is recognised as stale and taken over. Only the owner's death makes it stale: an editing session may
last all day, so there is no time limit. On Windows the file is hidden, as Office hides its own "~$" files.
A folder that cannot be written (a read-only share) gets no lock: the clerk is told once what that means.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLockFile

FILE_ATTRIBUTE_HIDDEN = 0x2

_told: set[Path] = set()  # folders the clerk has heard cannot be marked, this session


def lock_path(draft: Path) -> Path:
    # Office and WPS mark an open document with a "~$" file beside it: clerks know to leave those alone.
    return draft.with_name(f"~${draft.name}.lock")


class DraftLock:
    """Held while a window edits ``draft``; ``holder`` says who else has it when it could not be taken."""

    def __init__(self, draft: Path):
        self.draft = draft
        self._lock = QLockFile(str(lock_path(draft)))
        self._lock.setStaleLockTime(0)
        self.holder: str | None = None

    def acquire(self, quiet: bool = False) -> bool:
        """Take the lock; ``quiet`` when only probing, so that an unwritable folder is not reported."""
        if self._lock.tryLock(0):
            hide_on_windows(lock_path(self.draft))
            return True
        error = self._lock.error()
        if error == QLockFile.LockError.LockFailedError:
            info = self._lock.getLockInfo()  # (pid, host, program), or something falsy when unreadable
            pid, host = (info[-3], info[-2]) if info and len(info) >= 3 else (None, None)
            self.holder = f"电脑「{host}」上的进程 {pid}" if pid else "另一个程序"
        else:  # a folder we may not write to (a read-only share): nothing to warn about, nothing to hold
            self.holder = None
            if not quiet:
                tell_unmarked(self.draft)
        return False

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


def holder_of(draft: Path) -> str | None:
    """Who has ``draft`` open, if anyone alive does (a stale lock is cleared on the way)."""
    probe = DraftLock(draft)
    if probe.acquire(quiet=True):
        probe.release()
        return None
    return probe.holder


def hide_on_windows(path: Path) -> bool:
    """Give the lock file Windows' hidden attribute, so Explorer does not show it beside the draft; elsewhere
    nothing is done (the "~$" name is what Linux file managers' users know). True when it was hidden."""
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.GetFileAttributesW.argtypes = [wintypes.LPCWSTR]
    kernel32.GetFileAttributesW.restype = wintypes.DWORD
    kernel32.SetFileAttributesW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD]
    kernel32.SetFileAttributesW.restype = wintypes.BOOL
    attributes = kernel32.GetFileAttributesW(str(path))
    if attributes == 0xFFFFFFFF:  # INVALID_FILE_ATTRIBUTES: the file went away; the lock still works
        return False
    return bool(kernel32.SetFileAttributesW(str(path), attributes | FILE_ATTRIBUTE_HIDDEN))


def tell_unmarked(draft: Path) -> None:
    """Say once per folder that no lock could be left there, so a second computer will go unnoticed."""
    folder = draft.parent.resolve()
    if folder in _told:
        return
    _told.add(folder)
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.information(
        QApplication.activeWindow(), "无法标记草稿",
        f"「{folder.name or folder}」文件夹不能写入，程序无法在草稿旁留下“正在编辑”的标记。"
        "如果另一台电脑同时打开这份草稿，这里无法察觉。\n\n可以照常查看和修改；保存时如不能写入，"
        "请用「另存为」保存到可以写入的文件夹。")
