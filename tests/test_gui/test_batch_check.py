"""审核汇总 → 批量检查: a folder of reports checked off the GUI thread, listed, stopped, exported."""

from __future__ import annotations

import shutil
import threading
import time

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from core import batch
from tests.factories import SAMPLES
from tests.realdata import mixed_folder




def _open(window, monkeypatch, folder):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.findChild(QAction, "action_batch_check").trigger()
    checker = window.batch_check
    QTest.mouseClick(checker.choose_button, Qt.MouseButton.LeftButton)
    return checker


def _rows(checker):
    t = checker.table
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())}


def test_a_folder_is_checked_listed_and_exported(window, qtbot, tmp_path, monkeypatch):
    folder = mixed_folder(tmp_path)
    checker = _open(window, monkeypatch, folder)
    threads = []
    real = batch.check_file
    monkeypatch.setattr(batch, "check_file", lambda *a: threads.append(threading.current_thread()) or real(*a))
    QTest.mouseClick(checker.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not checker.running() and checker.export_button.isEnabled(), timeout=120_000)
    assert threads and all(t is not threading.main_thread() for t in threads)  # the window stayed responsive
    rows = _rows(checker)
    assert len(rows) == 4 and checker.bar.value() == checker.bar.maximum() == 4
    zrz = rows["pingtan_zrz_2023_86684.html"]
    assert zrz[1:5] == ["网页", "平潭综合实验区自然资源与生态环境局", "2023", "3"] and zrz[8].startswith("[错误]")
    assert rows["pingtan_jjf_2022_86658.pdf"][4] == "0"
    bad = rows["坏文件.docx"]
    # the program's failure to read, in its own column, never counted as the report's 错误
    assert bad[4] == "" and bad[7].startswith("本程序无法读取此文件：") and bad[8] == ""
    assert "1 个本程序无法读取" in checker.state.text()
    out = tmp_path / "列表.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    QTest.mouseClick(checker.export_button, Qt.MouseButton.LeftButton)
    sheet = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert sheet[0] == batch.SUMMARY_HEADERS and {r[0] for r in sheet[1:]} == set(rows)


def test_cancel_stops_after_the_file_being_checked(window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "很多"
    folder.mkdir()
    sample = next(SAMPLES.glob("001_*.txt"))
    for i in range(30):
        shutil.copy(sample, folder / f"{i:02d}.txt")
    real = batch.check_file
    monkeypatch.setattr(batch, "check_file", lambda *a: time.sleep(0.2) or real(*a))
    checker = _open(window, monkeypatch, folder)
    QTest.mouseClick(checker.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checker.table.rowCount() >= 1, timeout=30_000)
    assert checker.cancel_button.isEnabled() and not checker.start_button.isEnabled()
    QTest.mouseClick(checker.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not checker.running() and checker.start_button.isEnabled(), timeout=30_000)
    assert 1 <= checker.table.rowCount() < 30 and checker.state.text().startswith("已取消")
    assert checker.export_button.isEnabled()


def test_closing_the_window_while_it_runs_stops_the_check(window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "很多"
    folder.mkdir()
    for i in range(20):
        shutil.copy(next(SAMPLES.glob("001_*.txt")), folder / f"{i:02d}.txt")
    real = batch.check_file
    monkeypatch.setattr(batch, "check_file", lambda *a: time.sleep(0.2) or real(*a))
    checker = _open(window, monkeypatch, folder)
    QTest.mouseClick(checker.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checker.table.rowCount() >= 1, timeout=30_000)
    thread = checker._thread
    checker.close()
    assert not thread.isRunning()


def test_double_clicking_a_row_opens_that_report(window, qtbot, tmp_path, monkeypatch):
    folder = mixed_folder(tmp_path)
    checker = _open(window, monkeypatch, folder)
    window.document.undo_stack.setClean()
    QTest.mouseClick(checker.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not checker.running() and checker.export_button.isEnabled(), timeout=120_000)
    row = next(r for r in range(checker.table.rowCount()) if checker.table.item(r, 0).text().endswith(".html"))
    rect = checker.table.visualItemRect(checker.table.item(row, 0))
    # an item view takes a double click on the item its press chose: press it first, as a hand does
    QTest.mouseClick(checker.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(checker.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert window.document.report.meta.organ == "平潭综合实验区自然资源与生态环境局"
