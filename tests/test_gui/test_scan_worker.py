"""A scan is read off the GUI thread: the window keeps answering keys and timers while OCR runs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from core.imports import scan

SCAN = Path(__file__).resolve().parents[1] / "data" / "scans" / "jiyuan2022-table3-150.pdf"
pytestmark = pytest.mark.skipif(not scan.component_available(), reason="扫描件识别组件未安装")


def test_window_stays_responsive_while_a_scan_is_read(window, qtbot):
    from gui.scan_worker import ScanJob

    ticks: list[float] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(50)
    job = ScanJob(SCAN, window)
    progress, pages = [], []
    job.progress.connect(lambda d, t, m: progress.append((d, t, m)))
    job.finished.connect(pages.extend)
    started = time.perf_counter()
    job.start()
    editor = QLineEdit(window)  # a field of the window, typed into while the recogniser works
    editor.show()
    editor.setFocus()
    qtbot.waitUntil(lambda: len(progress) >= 1, timeout=20_000)
    QTest.keyClicks(editor, "still 2024")
    assert editor.text() == "still 2024"
    assert job.running()  # the typing happened during the OCR, not after it
    qtbot.waitUntil(lambda: bool(pages), timeout=120_000)
    elapsed = time.perf_counter() - started
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert elapsed > 1.0 and len(pages) == 1 and pages[0].words
    assert max(gaps) < 1.0  # the event loop never stalled for a second
    assert progress[-1][:2] == (1, 1)


def test_cancel_reports_a_message(window, qtbot):
    from gui.scan_worker import ScanJob

    job = ScanJob(SCAN, window)
    failed = []
    job.failed.connect(failed.append)
    job.cancel()
    job.start()
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert "已取消" in failed[0]
