"""A supervisor comments on a unit's draft and edits it; the clerk sees the comments and resolves them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QTableWidget

from core import draft
from tests.factories import filled_report
from tests.test_gui.test_main_window import finding_items, table, type_cell


def test_reviewer_comments_on_a_cell_and_the_clerk_resolves_it(qtbot, make_window, tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    supervisor = make_window()
    assert supervisor.open_path(path)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("县政务公开办", True))
    supervisor.findChild(type(supervisor.review_action), "action_review_mode").trigger()
    assert supervisor.document.reviewer == "县政务公开办" and "审核模式" in supervisor.windowTitle()

    type_cell(qtbot, supervisor, "table3", "new", "natural", "17")
    table(supervisor, "table3").select_cell("new", "natural")  # Enter moved down a row
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("自然人申请数与登记台账不符，请核实", True))
    supervisor.add_comment()
    assert supervisor.save()
    saved = draft.load(path)
    [change] = saved.history
    assert (change.author, change.old, change.new) == ("县政务公开办", "16", "17")
    assert "「自然人」列" in change.where
    [comment] = saved.comments
    assert comment.location["row"] == "new" and comment.location["column"] == "natural"
    assert supervisor.close()  # sent back to the unit: the supervisor no longer has it open

    clerk = make_window()
    assert clerk.open_path(path)
    qtbot.waitUntil(lambda: clerk.document.checked)  # opened before the window's first paint: checked after it
    assert clerk.document.reviewer is None  # the unit's own edits are not a reviewer's
    [item] = finding_items(clerk, "REVIEW-COMMENT")
    assert "请核实" in item.text(0)
    clerk.panel.tree.setCurrentItem(item)
    assert clerk.panel.resolve_button.isVisibleTo(clerk.panel) and not clerk.panel.explain_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已与台账核对，应为 17", True))
    clerk.panel.resolve_button.click()
    assert not finding_items(clerk, "REVIEW-COMMENT")
    assert clerk.document.report.comments[0].reply == "已与台账核对，应为 17"
    clerk.undo_action.trigger()
    assert finding_items(clerk, "REVIEW-COMMENT")  # resolving is undoable like any edit


def test_without_review_mode_nothing_is_recorded(qtbot, make_window, tmp_path):
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    window = make_window()
    window.open_path(path)
    type_cell(qtbot, window, "table3", "new", "natural", "17")
    assert window.save()
    assert draft.load(path).history == []


def test_history_dialog_lists_edits_and_comments(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(filled_report())
    window.document.reviewer = "县政务公开办"
    type_cell(qtbot, window, "table2", "penalty", "decisions", "36")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "r.nbdraft"), ""))
    assert window.save()
    window.show_history()
    dialog = window.findChild(QDialog, "history_dialog")
    grid = dialog.findChild(QTableWidget, "history_table")
    assert grid.rowCount() == 1
    assert [grid.item(0, c).text() for c in (1, 3, 4)] == ["县政务公开办", "35", "36"]
    dialog.close()
