"""The clerk's working loop in the real window: editing after import, keyboard, typing, undo, files, dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from core import layout as L
from core.operations import PRINTED_TOTALS_NOTE
from gui import file_actions
from tests.factories import sample
from tests.test_gui.test_main_window import table, type_cell


def printed_total_errors(window):
    return [f for f in window.document.findings if "原文为" in f.message]


def test_edited_rows_and_columns_of_an_import_no_longer_follow_its_printed_totals(qtbot, make_window):
    window = make_window()
    assert window.open_path(sample("001"))
    type_cell(qtbot, window, "table3", "not_processed.complaint", "natural", "0")
    type_cell(qtbot, window, "table3", "carried_out", "natural", "1")
    assert window.document.report.table3.get("carried_out", "natural") == 1
    assert printed_total_errors(window) == []
    # A row nobody touched still answers to the source: its printed total stays on record.
    assert window.document.report.imported.stated["table3"]["not_processed.excessive"] == {"total": 1}
    type_cell(qtbot, window, "table3", "granted", "natural", "15")
    note = PRINTED_TOTALS_NOTE.format(table="表三")
    said = [n for n in window.document.report.imported.notes if n.message == note]
    assert len(said) == 1  # said once, however many edits
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert len(printed_total_errors(window)) == 0
    assert window.document.report.imported.stated["table3"]["total"]["natural"] == 16  # undo restores the record
    assert not [n for n in window.document.report.imported.notes if n.message == note]


def cell_on_screen(view, index) -> bool:
    page = next(w for w in _ancestors(view) if w.inherits("QScrollArea"))
    rect = view.visualRect(index)
    top_left = view.viewport().mapTo(page.viewport(), rect.topLeft())
    bottom_right = view.viewport().mapTo(page.viewport(), rect.bottomRight())
    return page.viewport().rect().contains(top_left) and page.viewport().rect().contains(bottom_right)


def _ancestors(widget):
    while widget is not None:
        widget = widget.parentWidget()
        if widget is not None:
            yield widget


def test_the_current_cell_stays_on_screen_going_down_by_keyboard(qtbot, window):
    window.resize(1366, 700)
    view = table(window, "table3")
    window.go_to("requests")
    view.select_cell("new", "natural")
    for step in range(24):
        key = Qt.Key.Key_Return if step % 2 else Qt.Key.Key_Down
        qtbot.keyClick(view, key)
        assert cell_on_screen(view, view.currentIndex()), f"after {step + 1} keys"
    # Typing there lands in the cell the clerk sees.
    qtbot.keyClicks(view, "7")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert cell_on_screen(view, view.currentIndex())


def start_typing(qtbot, view, row, col, text):
    view.select_cell(row, col)
    qtbot.keyClicks(view, text[0])  # the first key opens the editor, which then has the focus
    editor = view.focusWidget()
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return editor


def test_a_decimal_or_a_minus_sign_is_refused_with_the_reason_not_dropped(qtbot, make_window):
    from core.model import Report

    window = make_window(Report.new("某县人民政府", 2025))
    view = table(window, "table3")
    window.go_to("requests")
    for typed in ("2.5", "-5"):
        editor = start_typing(qtbot, view, "granted", "natural", typed)
        assert window.document.report.table3.get("granted", "natural") is None  # never 25 or 5
        assert view.focusWidget() is editor and editor.text() == typed  # still there, to correct
        assert "非负整数" in window.statusBar().currentMessage()
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    # The fee takes decimals as typed.
    fees = table(window, "table2")
    window.go_to("proactive")
    money = next(iter(L.TABLE2.money))
    start_typing(qtbot, fees, *money, "2.5")
    assert str(window.document.report.table2.get(*money)) == "2.5"


def test_ctrl_z_and_ctrl_y_in_a_narrative_box(qtbot, make_window):
    from core.model import Report

    window = make_window(Report.new("某县人民政府", 2025))
    page = window.go_to("overview")
    editor = page.findChild(QPlainTextEdit, "text_overview")
    editor.setFocus()
    qtbot.keyClicks(editor, "abc")
    field = "overview"
    assert window.document.report.texts[field] == "abc"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.texts[field] == "" and editor.toPlainText() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.texts[field] == "abc" and editor.toPlainText() == "abc"
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "abc"


def test_recent_files_hold_whole_paths_across_sessions(make_window, data_dir):
    # What an earlier session left: Qt's INI file keeps a one-item list as a bare string.
    data_dir.mkdir(parents=True, exist_ok=True)
    escaped = str(sample("001")).replace("\\", "\\\\")  # as Qt writes a Windows path into an INI file
    (data_dir / "settings.ini").write_text(f"[General]\nrecent={escaped}\n", encoding="utf-8")
    window = make_window()
    assert window.open_path(sample("003"))
    file_actions.fill_recent(window)
    shown = [a.text() for a in window.recent_menu.actions()]
    assert shown == [f"&1 {sample('003').name}", f"&2 {sample('001').name}"]
    assert [a.toolTip() for a in window.recent_menu.actions()] == [str(sample("003")), str(sample("001"))]


def test_one_typed_figure_gives_one_blank_cell_entry_per_table_with_fill_zero(qtbot, make_window):
    from core.model import Report
    from gui.findings_panel import BlankCells, FindingRole

    window = make_window(Report.new("某县人民政府", 2025))
    type_cell(qtbot, window, "table3", "granted", "natural", "3")
    blank = [f for f in window.document.findings if f.rule == "CELL-BLANK"]
    assert len(blank) > 100
    entries = window.panel.items()
    groups = [i for i in entries if isinstance(i.data(0, FindingRole), BlankCells)]
    singles = [i for i in entries if not isinstance(i.data(0, FindingRole), BlankCells)
               and i.data(0, FindingRole).rule == "CELL-BLANK"]
    assert len(groups) == 1 and not singles
    group = groups[0]
    assert f"表三有 {len(blank)} 个空白单元格" in group.text(0)
    assert window.document.counts()[blank[0].severity] < 10  # the status bar counts the table once
    group.setExpanded(True)
    assert group.childCount() == len(blank)  # opens to the cells
    window.panel.tree.setCurrentItem(group)
    assert window.panel.fill_button.isVisible()
    qtbot.mouseClick(window.panel.fill_button, Qt.MouseButton.LeftButton)
    assert window.document.report.table3.get("granted", "business") == 0
    assert not [f for f in window.document.findings if f.rule == "CELL-BLANK"]
    window.document.undo_stack.undo()  # one step
    assert window.document.report.table3.get("granted", "business") is None


def test_a_new_empty_report_shows_one_calm_start_state_until_the_clerk_begins(qtbot, make_window):
    from core.model import Report
    from core.findings import Severity

    window = make_window(Report.new("", 2025))
    assert [f for f in window.document.findings if f.severity is Severity.ERROR]  # the check itself runs
    assert window.status_counts.text() == "开始填写"
    assert "已过" not in window.status_deadline.text()
    assert window.panel.items() == [] and window.panel.banner.text().startswith("开始填写")
    type_cell(qtbot, window, "table3", "granted", "natural", "3")
    assert "错误" in window.status_counts.text() and window.panel.items()
    assert not window.panel.banner.text().startswith("开始填写")


def test_recovery_later_keeps_the_backup_and_asks_again(make_window, tmp_path, message_boxes):
    from core.model import Report
    from gui import paths
    from gui.autosave import recoverable
    from gui.main_window import MainWindow

    crashed = MainWindow(Report.new("某县人民政府", 2025))
    crashed.document.set_cell("table3", "granted", "natural", 9)
    crashed.autosaver.save_now()
    crashed.autosaver._lock.unlock()  # the session died: its lock is free
    crashed.document.undo_stack.setClean()
    crashed.deleteLater()
    assert len(recoverable(paths.recovery_dir())) == 1

    window = make_window()
    message_boxes.answers.append("以后再说")
    window.offer_recovery()
    assert message_boxes[-1][0] == "choose" and "以后再说" in message_boxes[-1][2]
    assert len(recoverable(paths.recovery_dir())) == 1  # kept
    assert window.document.report.table3.get("granted", "natural") is None
    message_boxes.answers.append("恢复")
    window.offer_recovery()  # asked again next time, and still whole
    assert window.document.report.table3.get("granted", "natural") == 9


def test_qt_file_dialog_speaks_chinese_and_shows_whole_names_and_plain_dates(qtbot, make_window):
    import re

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTreeView

    from gui import file_dialogs

    make_window()
    seen = {}

    def look(tries=40):
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
        view = dialog.findChild(QTreeView, "treeView") if dialog else None
        model = view.model() if view else None
        if model is None or model.rowCount(view.rootIndex()) < 3:
            if tries:
                QTimer.singleShot(100, lambda: look(tries - 1))
                return
        seen["labels"] = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        seen["headers"] = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
        seen["rows"] = [[model.index(r, c, view.rootIndex()).data() for c in range(4)]
                        for r in range(model.rowCount(view.rootIndex()))]
        seen["name_width"] = view.header().sectionSize(0)
        seen["needed"] = max(view.fontMetrics().horizontalAdvance(row[0]) for row in seen["rows"])
        dialog.reject()

    QTimer.singleShot(100, look)
    with file_dialogs.prepared():
        QFileDialog.getOpenFileName(None, "打开报告", str(sample("001").parent), "文字稿 (*.txt)",
                                    options=QFileDialog.Option.DontUseNativeDialog)
    english = [t for t in seen["labels"] + seen["headers"] if re.search(r"[A-Za-z]{2,}", re.sub(r"\(&\w\)", "", t))]
    assert english == []
    assert seen["headers"][1] == "大小"
    row = next(r for r in seen["rows"] if r[0] == sample("001").name)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row[3]) and row[1].endswith("KB") and row[2] == "文字稿"
    assert seen["name_width"] >= seen["needed"]  # two samples differing only at the end stay apart


def test_every_window_fits_1366_by_768_with_a_taskbar_at_100_and_150_percent(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    # 768 px less a 40 px taskbar, as the offscreen platform's one screen.
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 728,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    probe = Path(__file__).with_name("fit_probe.py")
    for scale in ("1", "1.5"):
        # Named from the working folder: Qt splits platform options at colons, a drive letter's too.
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen.name}", QT_SCALE_FACTOR=scale,
                   NIANBAO_DATA_DIR=str(tmp_path / "data"))
        run = subprocess.run([sys.executable, str(probe)], env=env, capture_output=True, text=True, timeout=120,
                             cwd=tmp_path)
        assert run.returncode == 0, run.stderr[-2000:]
        found = json.loads(run.stdout.strip().splitlines()[-1])
        assert len(found) == 9
        # No page scrolls sideways, 表四's fifteen columns included, and no label or figure is cut to get there.
        bad = {name: w for name, w in found.items()
               if not w["fits"] or w["cut_buttons"] or w.get("sideways") or w.get("clipped")}
        assert bad == {}, f"at {scale}: {bad}"


def test_the_same_draft_opened_twice_warns_and_a_dead_holder_does_not(make_window, tmp_path, message_boxes):
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from core import draft
    from gui.draft_lock import lock_path
    from tests.factories import filled_report

    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    first = make_window()
    assert first.open_path(path) and lock_path(path).exists()
    second = make_window()
    assert not second.open_path(path)  # the default answer is not to open
    assert message_boxes[-1][1] == "草稿已被打开" and "单位.nbdraft" in message_boxes[-1][2]
    message_boxes.answers.append(QMessageBox.StandardButton.Yes)
    assert second.open_path(path) and second.document.path == path  # the clerk may insist
    first.close()
    assert not lock_path(path).exists()

    # Another program holds it, then dies without a word: its lock is stale and taken over silently.
    root = Path(__file__).resolve().parents[2]
    holder = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(root)!r})
        from gui.app import create_application
        app = create_application(sys.argv[:1])
        from gui.main_window import MainWindow
        from pathlib import Path
        w = MainWindow()
        w.open_path(Path({str(path)!r}))
        print("open", flush=True)
        sys.stdin.readline()
        os._exit(9)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", holder], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        third = make_window()
        asked = len(message_boxes)
        assert not third.open_path(path)
        assert len(message_boxes) == asked + 1 and f"进程 {proc.pid}" in message_boxes[-1][2]
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
    finally:
        proc.kill()
    asked = len(message_boxes)
    assert third.open_path(path)
    assert len(message_boxes) == asked and lock_path(path).exists()


def activate(qtbot, window):
    """Shortcuts reach the active window only."""
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_zoom_with_ctrl_plus_and_minus_is_remembered(qtbot, make_window):
    window = make_window()
    activate(qtbot, window)
    editor = window.go_to("overview").findChild(QPlainTextEdit, "text_overview")
    editor.setFocus()
    normal = editor.font().pointSizeF()
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    bigger = editor.font().pointSizeF()
    assert bigger > normal * 1.15
    view = table(window, "table3")
    assert view.fontMetrics().height() > QFontMetrics(QApplication.font()).height()  # the tables too
    window.settings.sync()
    later = make_window()  # the next session starts at the size the clerk chose
    activate(qtbot, later)
    assert later.go_to("overview").findChild(QPlainTextEdit, "text_overview").font().pointSizeF() == bigger
    later_editor = later.findChild(QPlainTextEdit, "text_overview")
    later_editor.setFocus()
    qtbot.keyClick(later_editor, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert normal < later.findChild(QPlainTextEdit, "text_overview").font().pointSizeF() < bigger
    later.findChild(QAction, "action_zoom_reset").trigger()
    assert later.findChild(QPlainTextEdit, "text_overview").font().pointSizeF() == normal


def test_help_has_an_offline_user_guide(qtbot, make_window):
    window = make_window()
    window.findChild(QAction, "action_guide").trigger()
    guide = window.guide.guide
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "使用说明" in text and L.TABLE3.row_by_key["carried_out"].label in text
    assert guide.contents.count() >= 8
    guide.search.setText("以后再说")
    assert guide.find_next()
    assert "http" not in guide.browser.toHtml().replace("http://www.w3.org", "")  # nothing fetched
    guide.close()


def test_a_folder_that_cannot_be_written_gets_no_lock_and_the_clerk_is_told_once(make_window, tmp_path,
                                                                                  monkeypatch, message_boxes):
    """A read-only share: no lock can be left beside the draft, so a second computer opening it would go
    unnoticed. Said once, calmly (not a warning); editing goes on. The write failure is simulated, as
    permissions mean nothing to a test run as root."""
    from PySide6.QtCore import QLockFile

    import gui.draft_lock
    from core import draft
    from gui.draft_lock import lock_path
    from tests.factories import filled_report

    class Unwritable(QLockFile):
        def tryLock(self, timeout=0):
            return False

        def error(self):
            return QLockFile.LockError.PermissionError

    (tmp_path / "共享").mkdir()
    path = draft.save(filled_report(), tmp_path / "共享" / "单位.nbdraft")
    monkeypatch.setattr(gui.draft_lock, "QLockFile", Unwritable)
    window = make_window()
    assert window.open_path(path)
    window.document.set_cell("table2", "licensing", "decisions", 7)  # the title (and the lock) is refreshed
    assert window.open_path(path)
    told = [m for m in message_boxes if "另一台电脑" in m[2]]
    assert len(told) == 1 and told[0][0] == "information" and "「共享」" in told[0][2]
    assert not any(kind in ("warning", "critical") for kind, *_ in message_boxes)
    assert not lock_path(path).exists() and window.document.path == path
