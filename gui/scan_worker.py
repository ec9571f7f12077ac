"""Reading a scan off the GUI thread, with a progress bar: what the window's import path calls for a scan.

    job = ScanJob(path, parent=window)
    job.progress.connect(bar_update)        # (done, total, message)
    job.finished.connect(pages_ready)       # list[Page]
    job.failed.connect(show_message)        # the Chinese message (ReportFileError text)
    job.start()
    ...
    job.cancel()                            # stops between pages; failed() then says it was cancelled

:func:`run_with_progress` shows a modal QProgressDialog with 取消 and returns the pages (or None).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.errors import ReportFileError, damage_reason
from core.imports import scan


class _Worker(QObject):
    progress = Signal(int, int, str)
    finished = Signal(list)
    failed = Signal(str)

    def __init__(self, path: Path, stop: threading.Event):
        super().__init__()
        self.path, self.stop = path, stop

    def run(self) -> None:
        try:
            pages = scan.read_scan_pages(self.path, progress=self.progress.emit, cancelled=self.stop.is_set)
        except ReportFileError as err:
            self.failed.emit(str(err))
        except Exception as err:  # noqa: BLE001 - a broken scan must never take the window down
            self.failed.emit(f"识别「{self.path.name}」时出错（{damage_reason(err)}），未导入任何内容")
        else:
            self.finished.emit(pages)


class ScanJob(QObject):
    """One scan read in a worker thread; signals arrive on the thread that made the job."""

    progress = Signal(int, int, str)
    finished = Signal(list)
    failed = Signal(str)

    def __init__(self, path: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        # import the component here, on the GUI thread: its import touches the process environment
        scan.component_available()
        self._stop = threading.Event()
        self._thread = QThread(self)
        self._worker = _Worker(Path(path), self._stop)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self.finished)
        self._worker.failed.connect(self.failed)
        for done in (self._worker.finished, self._worker.failed):
            done.connect(self._thread.quit)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._stop.set()

    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = -1) -> bool:
        return self._thread.wait() if ms < 0 else self._thread.wait(ms)


def run_with_progress(path: str | Path, parent: QWidget | None = None) -> tuple[list | None, str]:
    """Read a scan while a progress dialog (with 取消) keeps the window alive; (pages or None, message)."""
    from PySide6.QtCore import QEventLoop

    dialog = QProgressDialog("正在准备识别扫描件…", "取消", 0, 0, parent)
    dialog.setWindowTitle("识别扫描件")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(0)
    job = ScanJob(path, dialog)
    result: dict = {"pages": None, "message": ""}
    loop = QEventLoop()

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(message)

    def on_done(pages: list) -> None:
        result["pages"] = pages
        loop.quit()

    def on_fail(message: str) -> None:
        result["message"] = message
        loop.quit()

    job.progress.connect(on_progress)
    job.finished.connect(on_done)
    job.failed.connect(on_fail)
    dialog.canceled.connect(job.cancel)
    job.start()
    loop.exec()
    job.wait()
    dialog.close()
    dialog.deleteLater()  # with the finished job it parents
    return result["pages"], result["message"]
