"""The real window, driven offscreen the way a clerk uses it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core import draft
from gui.autosave import recoverable
from gui import paths
from tests.factories import filled_report, sample
from tests.test_gui.conftest import commit_text

ROOT = Path(__file__).resolve().parents[2]


def table(window, key):
    return window.page({"table2": "proactive", "table3": "requests", "table4": "appeals"}[key]).table


def type_cell(qtbot, window, table_key, row, col, text):
    view = table(window, table_key)
    window.go_to(view.layout_.part)
    view.select_cell(row, col)
    qtbot.keyClicks(view, text[0])  # the first key opens the editor, which then has the focus
    qtbot.keyClicks(view.focusWidget(), text[1:])
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)


def finding_items(window, rule):
    return [i for i in window.panel.items() if i.data(0, Qt.ItemDataRole.UserRole + 10).rule == rule]


def test_typing_figures_updates_totals_and_status(qtbot, window):
    # The first self-check follows the window's first paint by itself.
    qtbot.waitUntil(lambda: window.status_counts.text().startswith("错误 0  警告 0"))
    type_cell(qtbot, window, "table3", "new", "research", "2")
    type_cell(qtbot, window, "table3", "granted", "research", "2")
    view = table(window, "table3")
    assert view.model().index_of("new", "total").data() == "20"
    assert view.model().index_of("total", "total").data() == "20"
    assert window.isWindowModified()


def test_unbalanced_column_finding_leads_to_the_cell(qtbot, window):
    type_cell(qtbot, window, "table3", "granted", "legal_services", "1")
    [item] = finding_items(window, "T3-BALANCE")
    finding = item.data(0, Qt.ItemDataRole.UserRole + 10)
    assert finding.location.column == "legal_services" and "法律服务机构列" in finding.message
    assert "错误 1" in window.status_counts.text()
    assert "还有 1 处错误" in window.panel.banner.text()
    window.go_to("meta")
    rect = window.panel.tree.visualItemRect(item)
    qtbot.mouseClick(window.panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = table(window, "table3")
    assert window.pages.currentWidget() is window.page("requests")
    current = view.model().cell_at(view.currentIndex().row(), view.currentIndex().column()).figure
    assert current[1] == "legal_services"


def test_undo_restores_figure_and_clears_finding(qtbot, window):
    type_cell(qtbot, window, "table3", "granted", "legal_services", "1")
    assert finding_items(window, "T3-BALANCE")
    window.undo_action.trigger()
    assert window.document.report.table3.get("granted", "legal_services") == 2
    assert not finding_items(window, "T3-BALANCE")
    window.redo_action.trigger()
    assert window.document.report.table3.get("granted", "legal_services") == 1


def test_pasting_a_block_in_the_window(window):
    view = table(window, "table4")
    window.go_to("appeals")
    view.select_cell("litigation_after", "upheld")
    assert view.paste("1\t0\t2\t0\r\n")
    t = window.document.report.table4
    assert [t.get("litigation_after", c) for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]


def test_text_edits_are_undoable(qtbot, window):
    page = window.go_to("problems")
    editor = page.editors["problems"].editor
    before = window.document.report.texts["problems"]
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "abc")
    assert window.document.report.texts["problems"] == before + "abc"
    window.undo_action.trigger()
    assert window.document.report.texts["problems"] == before
    assert editor.toPlainText() == before


def test_findings_typed_into_a_narrative_are_listed_once_typing_pauses(qtbot, window):
    page = window.go_to("problems")
    editor = page.editors["problems"].editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "XX")
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    qtbot.keyClicks(editor, "ab")  # the placeholder moves on: the list must not keep where it was
    qtbot.waitUntil(lambda: bool(finding_items(window, "TXT-PLACEHOLDER")), timeout=3000)
    [item] = finding_items(window, "TXT-PLACEHOLDER")
    assert item.data(0, Qt.ItemDataRole.UserRole + 10) in window.document.findings
    window.panel._activated(item)
    assert editor.textCursor().selectedText() == "XX"


def test_finding_in_text_selects_the_span(window):
    window.document.set_text("other", "本年度收取信息处理费××元。")
    [item] = finding_items(window, "TXT-PLACEHOLDER")
    window.panel._activated(item)
    editor = window.page("other").editors["other"].editor
    assert editor.textCursor().selectedText() == "××"


def test_save_and_reopen_give_the_same_report(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "报告.nbdraft"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    type_cell(qtbot, window, "table2", "penalty", "decisions", "36")
    assert window.save()
    assert not window.isWindowModified() and "报告.nbdraft" in window.windowTitle()
    saved = window.document.report
    assert window.open_path(target)
    assert window.document.report == saved
    assert window.document.report.table2.get("penalty", "decisions") == 36


def test_closing_with_unsaved_changes_asks(qtbot, window, message_boxes):
    type_cell(qtbot, window, "table2", "penalty", "decisions", "1")
    message_boxes.answers.append(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and message_boxes[-1][0] == "question"
    message_boxes.answers.append(QMessageBox.StandardButton.Discard)
    assert window.close()


def test_opening_a_text_report_shows_import_notes(qtbot, make_window):
    window = make_window()
    assert window.open_path(sample("001"))
    qtbot.waitUntil(lambda: window.document.checked)  # opened before the first paint: checked after it
    assert "导入" in window.windowTitle()
    assert finding_items(window, "IMPORT-ASSUMED")
    assert window.document.path is None  # must be saved as a draft first


def test_opening_a_word_file_filled_by_hand_points_at_its_blank_cells(qtbot, make_window):
    window = make_window()
    assert window.open_path(ROOT / "tests" / "data" / "handmade" / "template.docx")
    qtbot.waitUntil(lambda: window.document.checked)
    assert window.document.report.meta.organ == "某某县自然资源局"
    blanks = finding_items(window, "CELL-BLANK")
    assert len(blanks) == 2
    item = next(i for i in blanks if i.data(0, Qt.ItemDataRole.UserRole + 10).location.table == "table3")
    rect = window.panel.tree.visualItemRect(item)
    qtbot.mouseClick(window.panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = table(window, "table3")
    assert window.pages.currentWidget() is window.page("requests")
    assert view.model().cell_at(view.currentIndex().row(), view.currentIndex().column()).figure == ("granted", "research")


def test_opening_a_broken_file_says_why(make_window, tmp_path, message_boxes):
    bad = tmp_path / "坏文件.nbdraft"
    bad.write_text('{"format": "nianbao-draft", "schema": 1, "report": {', encoding="utf-8")
    window = make_window(filled_report())
    before = window.document.report
    assert not window.open_path(bad)
    assert message_boxes[-1][0] == "warning" and "不完整" in message_boxes[-1][2]
    assert window.document.report is before  # nothing lost


def test_explaining_a_warning(window):
    window.document.set_cell("table2", "normative", "in_force", 1)  # T2-VALID, a 提示
    [item] = finding_items(window, "T2-VALID")
    finding = item.data(0, Qt.ItemDataRole.UserRole + 10)
    window.document.set_explanation(finding.key, "部分文件已于年内失效")
    groups = {window.panel.tree.topLevelItem(i).text(0): window.panel.tree.topLevelItem(i)
              for i in range(window.panel.tree.topLevelItemCount())}
    explained = groups["已说明（1）"].child(0).data(0, Qt.ItemDataRole.UserRole + 10)
    assert explained.rule == "T2-VALID" and "部分文件已于年内失效" in groups["已说明（1）"].child(0).text(0)
    assert all(f.rule != "T2-VALID" or f.explanation for f in window.document.findings)
    assert window.document.report.explanations[finding.key] == "部分文件已于年内失效"


def test_errors_cannot_be_explained(qtbot, window):
    type_cell(qtbot, window, "table3", "granted", "legal_services", "1")
    [item] = finding_items(window, "T3-BALANCE")
    window.panel.tree.setCurrentItem(item)
    assert not window.panel.explain_button.isEnabled()


def test_last_years_report_fills_carry_over(window, tmp_path):
    prev = filled_report()
    prev.meta.year = 2024
    prev.table3.set("carried_out", "natural", 2)
    prev.table3.set("carried_out", "business", 1)
    path = draft.save(prev, tmp_path / "2024.nbdraft")
    assert window.attach_previous_path(path)
    assert len(finding_items(window, "X-CARRY")) == 2
    window.fill_carried_in()
    t = window.document.report.table3
    assert t.get("carried_in", "natural") == 2 and t.get("carried_in", "business") == 1
    assert not finding_items(window, "X-CARRY")
    window.undo_action.trigger()
    assert t.get("carried_in", "natural") == 1


def test_inserted_sentence_states_the_tables(window):
    page = window.go_to("overview")
    editor = page.editors["overview.on_request"]
    editor.editor.clear()
    editor.insert_sentence()
    text = window.document.report.texts["overview.on_request"]
    assert "收到政府信息公开申请 18 件" in text and "结转下年度继续办理 1 件" in text
    assert not finding_items(window, "TXT-FIGURES")


def test_crash_then_restore_offered_and_nothing_lost(make_window, tmp_path, data_dir, message_boxes):
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    crash = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from gui.app import create_application
        app = create_application(sys.argv[:1])
        from gui.main_window import MainWindow
        from pathlib import Path
        w = MainWindow()
        w.open_path(Path({str(path)!r}))
        w.document.set_cell("table2", "licensing", "decisions", 777)
        w.document.set_text("other", "崩溃前写的文字。本年度未收取信息处理费。")
        w.autosaver.save_now()
        os._exit(3)  # the power goes out
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    assert subprocess.run([sys.executable, "-c", crash], env=env, timeout=60).returncode == 3
    assert len(recoverable(paths.recovery_dir())) == 1

    window = make_window()
    message_boxes.answers.append("恢复")
    window.offer_recovery()
    assert message_boxes[-1][1] == "恢复未保存的报告"
    report = window.document.report
    assert report.table2.get("licensing", "decisions") == 777
    assert report.texts["other"].startswith("崩溃前写的文字")
    assert window.document.path == path and window.isWindowModified()
    assert draft.load(path).table2.get("licensing", "decisions") == 120  # the draft itself untouched until saved
    assert recoverable(paths.recovery_dir()) == []


def test_autosave_happens_after_changes_stop(qtbot, window, data_dir):
    window.document.set_cell("table2", "licensing", "decisions", 5)
    qtbot.waitUntil(lambda: window.autosaver.report_path.exists(), timeout=6000)
    assert draft.load(window.autosaver.report_path).table2.get("licensing", "decisions") == 5
    window.document.undo_stack.setClean()
    window.close()
    assert not window.autosaver.report_path.exists()


def test_new_report_dialog_defaults_to_the_year_being_reported(app, qtbot):
    import datetime as dt

    from gui.dialogs import NewReportDialog, default_report_year

    assert default_report_year(dt.date(2026, 1, 20)) == 2025
    assert default_report_year(dt.date(2026, 10, 31)) == 2025
    assert default_report_year(dt.date(2026, 11, 1)) == 2026
    assert default_report_year(dt.date(2026, 12, 31)) == 2026
    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    assert dialog.year.value() == default_report_year(dt.date.today())
    dialog.organ.setFocus()
    commit_text(dialog.organ, "某某镇人民政府")
    assert dialog.kind.currentText() == "乡镇人民政府、街道办事处" and dialog.level.currentText() == "乡"
    report = dialog.report()
    assert report.meta.organ == "某某镇人民政府"


def test_every_page_has_a_stable_object_name(qtbot, window):
    # The pages not on screen are built by themselves once the window has painted.
    qtbot.waitUntil(lambda: window.findChild(object, "table_table4") is not None)
    names = [window.pages.widget(i).objectName() for i in range(window.pages.count())]
    assert names == ["page_meta", "page_overview", "page_proactive", "page_requests", "page_appeals",
                     "page_problems", "page_other"]
    for name in ("nav_list", "findings_dock", "findings_tree", "status_counts", "status_deadline", "status_saved",
                 "table_table2", "table_table3", "table_table4", "text_overview_on_request", "explain_button"):
        assert window.findChild(object, name) is not None, name
