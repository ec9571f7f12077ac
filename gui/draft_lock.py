"""A lock file beside an open draft, so that a second window or computer opening it is warned.

Qt's QLockFile writes the process id, host and program into the file; a lock left by a process that has
died is recognised as stale and taken over. Only the owner's death makes it stale: an editing session may
last all day, so there is no time limit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


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

    def acquire(self) -> bool:
        if self._lock.tryLock(0):
            return True
        error = self._lock.error()
        if error == QLockFile.LockError.LockFailedError:
            info = self._lock.getLockInfo()  # (pid, host, program), or something falsy when unreadable
            pid, host = (info[-3], info[-2]) if info and len(info) >= 3 else (None, None)
            self.holder = f"电脑「{host}」上的进程 {pid}" if pid else "另一个程序"
        else:  # a folder we may not write to (a read-only share): nothing to warn about, nothing to hold
            self.holder = None
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
    if probe.acquire():
        probe.release()
        return None
    return probe.holder
