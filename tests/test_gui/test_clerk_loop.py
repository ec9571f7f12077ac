"""The clerk's working loop in the real window: editing after import, keyboard, typing, undo, files, dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.operations import PRINTED_TOTALS_NOTE
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
