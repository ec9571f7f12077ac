"""The table editor as a clerk uses it: typing, moving, pasting from Excel, tints and hints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from core.model import Report
from gui.document import ReportDocument
from gui.table_model import TINTS, PreviousRole
from gui.table_view import FigureTableView
from core.findings import Severity
from tests.factories import filled_report


@pytest.fixture
def doc(app):
    return ReportDocument(filled_report())


@pytest.fixture
def view(doc, qtbot):
    v = FigureTableView(doc, "table3")
    qtbot.addWidget(v)
    v.resize(1000, 900)
    v.show()
    qtbot.waitExposed(v)
    return v


def shown(view, row, col):
    return view.model().index_of(row, col).data()


def type_into(qtbot, view, row, col, text, key=Qt.Key.Key_Return):
    view.select_cell(row, col)
    qtbot.keyClicks(view, text[0])  # the first key opens the editor, which then has the focus
    qtbot.keyClicks(view.focusWidget(), text[1:])
    qtbot.keyClick(view.focusWidget(), key)


def current_key(view):
    index = view.currentIndex()
    return view.model().cell_at(index.row(), index.column()).figure


def test_typing_a_figure_updates_the_totals_and_moves_down(qtbot, view, doc):
    type_into(qtbot, view, "new", "business", "5")
    assert doc.report.table3.get("new", "business") == 5
    assert shown(view, "new", "total") == "23"
    assert current_key(view) == ("carried_in", "business")


def test_totals_are_read_only(view):
    model = view.model()
    assert not model.flags(model.index_of("new", "total")) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index_of("total", "natural")) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index_of("new", "natural")) & Qt.ItemFlag.ItemIsEditable
    assert model.index_of("total", "natural").data(Qt.ItemDataRole.BackgroundRole) is not None


def test_full_width_digits_from_an_input_method_are_converted(qtbot, view, doc):
    view.select_cell("granted", "research")
    view.edit(view.currentIndex())
    editor = view.focusWidget()
    event = QInputMethodEvent()
    event.setCommitString("１２")  # what a Chinese input method delivers in full-width mode
    QApplication.sendEvent(editor, event)
    assert editor.text() == "１２"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert doc.report.table3.get("granted", "research") == 12


def test_a_letter_is_refused_with_a_message(qtbot, view, doc):
    messages = []
    view.message.connect(messages.append)
    view.select_cell("new", "natural")
    qtbot.keyClicks(view, "7")
    qtbot.keyClicks(view.focusWidget(), "a")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert doc.report.table3.get("new", "natural") == 7
    assert any("只能填写数字" in m for m in messages)


def test_tab_moves_right_over_the_total(qtbot, view):
    type_into(qtbot, view, "new", "other_org", "0", Qt.Key.Key_Tab)
    assert current_key(view) == ("carried_in", "natural")  # the 总计 column is skipped


def test_unbalanced_column_is_tinted_with_the_message(qtbot, view):
    type_into(qtbot, view, "granted", "natural", "8")
    model = view.model()
    for row in ("new", "carried_in", "granted", "total", "carried_out"):
        assert model.index_of(row, "natural").data(Qt.ItemDataRole.BackgroundRole).color() == TINTS[Severity.ERROR]
    assert model.index_of("new", "business").data(Qt.ItemDataRole.BackgroundRole) is None
    assert "自然人列" in model.index_of("new", "natural").data(Qt.ItemDataRole.ToolTipRole)


def test_paste_block_from_excel_fills_cells_as_one_undo_step(view, doc):
    view.select_cell("new", "natural")
    assert view.paste("1\t2\t3\r\n4\t5\t6\r\n")
    t = doc.report.table3
    assert [t.get("new", c) for c in ("natural", "business", "research")] == [1, 2, 3]
    assert [t.get("carried_in", c) for c in ("natural", "business", "research")] == [4, 5, 6]
    assert shown(view, "new", "total") == "8"
    doc.undo_stack.undo()
    assert [t.get("new", c) for c in ("natural", "business", "research")] == [16, 0, 0]
    assert t.get("carried_in", "natural") == 1


def test_paste_of_a_whole_row_skips_the_total(view, doc):
    view.select_cell("granted", "natural")
    assert view.paste("9\t0\t0\t0\t2\t0\t11\n")
    assert doc.report.table3.get("granted", "natural") == 9
    assert shown(view, "granted", "total") == "11"


def test_paste_with_separators_and_full_width_digits(view, doc):
    view.select_cell("new", "natural")
    assert view.paste("1,234\t１５\n")
    assert doc.report.table3.get("new", "natural") == 1234 and doc.report.table3.get("new", "business") == 15


def test_invalid_paste_changes_nothing(view, doc):
    messages = []
    view.message.connect(messages.append)
    view.select_cell("new", "natural")
    assert not view.paste("3\t-2\n")
    assert doc.report.table3.get("new", "natural") == 16
    assert messages and "未粘贴" in messages[-1] and "商业企业" in messages[-1]


def test_paste_past_the_edge_is_refused(view, doc):
    messages = []
    view.message.connect(messages.append)
    view.select_cell("carried_out", "natural")
    assert not view.paste("1\n2\n")
    assert doc.report.table3.get("carried_out", "natural") == 1
    assert "超出了表格范围" in messages[-1]


def test_copy_gives_tab_separated_text(view):
    view.select_line("new", None)
    view.copy()
    text = QGuiApplication.clipboard().text()
    assert text.splitlines()[0] == "16\t0\t0\t0\t2\t0\t18"


def test_delete_clears_to_blank(qtbot, view, doc):
    view.select_cell("new", "business")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert doc.report.table3.get("new", "business") is None
    assert any(f.rule == "CELL-BLANK" for f in doc.findings)


def test_last_years_figure_is_shown(view, doc):
    prev = filled_report()
    prev.meta.year -= 1
    prev.table3.set("carried_out", "natural", 3)
    doc.set_previous(prev)
    index = view.model().index_of("carried_out", "natural")
    assert index.data(PreviousRole) == "3"
    assert "上年：3" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_fill_blanks_from_the_view(view, app, qtbot):
    doc = ReportDocument(Report.new("某局", 2025))
    v = FigureTableView(doc, "table4")
    qtbot.addWidget(v)
    doc.set_cell("table4", "reconsideration", "upheld", 2)
    v.fill_blanks()
    assert doc.report.table4.get("litigation_after", "pending") == 0
    assert doc.report.table4.get("reconsideration", "total") == 2


def test_select_cell_makes_it_current(view):
    view.select_cell("other.unpaid_fee", "legal_services")
    assert current_key(view) == ("other.unpaid_fee", "legal_services")


def test_table_4_columns_widen_for_a_figure_wider_than_their_heading(app, qtbot):
    """表四's columns are two heading characters wide, to fit a small screen; a large figure is not cut."""
    doc = ReportDocument(Report.new("某市人民政府", 2025))
    v = FigureTableView(doc, "table4")
    qtbot.addWidget(v)
    v.resize(540, 300)
    v.show()
    qtbot.waitExposed(v)
    fm = v.fontMetrics()
    assert v.columnWidth(0) < fm.horizontalAdvance("000000")  # narrow while the figures are small
    doc.set_cell("table4", "reconsideration", "upheld", 123456)
    shown = v.visualRect(v.model().index_of("reconsideration", "upheld"))
    assert shown.width() - v.text_margins() + 1 >= fm.horizontalAdvance("123456")


def test_a_document_with_edits_is_freed_as_soon_as_it_is_dropped(app):
    """Its commands must not hold it in a cycle: Python's collector tearing such a cycle down made Qt's undo
    stack crash (a segmentation fault at the end of a test run, and at any collection in a long session)."""
    import gc
    import weakref

    doc = ReportDocument(filled_report())
    doc.set_cell("table3", "new", "natural", 5)
    doc.set_text("overview", "本年度")
    doc.undo_stack.undo()
    gone = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert gone() is None
    finally:
        gc.enable()
