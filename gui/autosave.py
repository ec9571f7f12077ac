"""Autosave to a recovery file shortly after changes stop, and recovery after a crash.

Each running window owns a session: ``<id>.nbdraft`` (the report), ``<id>.json`` (where it came from)
and ``<id>.lock`` (held while the window lives). A session whose lock is not held by a live process
was left behind by a crash and is offered for restoring at the next start.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from core import draft
from core.errors import ReportFileError
from core.model import Report

from .document import ReportDocument

DELAY_MS = 3000


@dataclass
class Recovery:
    report_path: Path
    info_path: Path
    lock_path: Path
    original: Path | None
    saved_at: str
    title: str

    def load(self) -> Report:
        return draft.load(self.report_path)

    def discard(self) -> None:
        for p in (self.report_path, self.info_path, self.lock_path):
            p.unlink(missing_ok=True)


class Autosaver(QObject):
    saved = Signal(str)  # time of the recovery copy, for the status bar
    failed = Signal(str)  # why the recovery copy could not be written, in Chinese

    def __init__(self, folder: Path, parent=None):
        super().__init__(parent)
        self.folder = folder
        self.session = uuid.uuid4().hex
        self.report_path = folder / f"{self.session}.nbdraft"
        self.info_path = folder / f"{self.session}.json"
        self._lock = QLockFile(str(folder / f"{self.session}.lock"))
        self._lock.tryLock(0)
        _remove_dead_strays(folder)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.document: ReportDocument | None = None

    def watch(self, document: ReportDocument) -> None:
        if self.document is not None:
            self.document.undo_stack.indexChanged.disconnect(self._changed)
        self.document = document
        document.undo_stack.indexChanged.connect(self._changed)

    def _changed(self, *_args) -> None:
        self._timer.start()  # restart: save once typing pauses

    def save_now(self) -> bool:
        """Write the recovery copy now; False (and ``failed`` said) when it could not be written."""
        doc = self.document
        if doc is None or not doc.modified:
            self.discard()
            return True
        try:
            draft.write_atomic(self.report_path, draft.dumps(doc.report).encode("utf-8"))
            info = {"original": str(doc.path) if doc.path else None, "title": doc.report.meta.display_title,
                    "saved_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
            draft.write_atomic(self.info_path, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        except ReportFileError as e:
            # The user's own file is untouched and the next pause tries again, but the clerk must know
            # that a crash now would lose these edits.
            self.failed.emit(str(e))
            return False
        self.saved.emit(info["saved_at"][-8:-3])
        return True

    def discard(self) -> None:
        self._timer.stop()
        self.report_path.unlink(missing_ok=True)
        self.info_path.unlink(missing_ok=True)

    def close(self) -> None:
        """A clean end of the session: nothing to recover."""
        self.discard()
        self._lock.unlock()


def _remove_dead_strays(folder: Path) -> None:
    """Temp files that a killed session's autosave left: removed once no live window holds that session."""
    for path, target in draft.stray_files(folder):
        lock = QLockFile(str(folder / (Path(target).stem + ".lock")))
        if lock.tryLock(0):
            lock.unlock()
            path.unlink(missing_ok=True)


def recoverable(folder: Path) -> list[Recovery]:
    """Sessions left behind by a crash (their lock is free), newest first."""
    found = []
    for report_path in folder.glob("*.nbdraft"):
        session = report_path.stem
        lock_path = folder / f"{session}.lock"
        lock = QLockFile(str(lock_path))
        if not lock.tryLock(0):
            continue  # another window is still running with it
        lock.unlock()
        info_path = folder / f"{session}.json"
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        original = info.get("original")
        found.append(Recovery(report_path, info_path, lock_path, Path(original) if original else None,
                              info.get("saved_at", ""), info.get("title", report_path.name)))
    found.sort(key=lambda r: r.saved_at, reverse=True)
    return found
