"""A PDF dropped on the window opens; a whole report pasted from the clipboard (HTML first) is read; the 导入核对
view shows each figure beside its source and leads to the cell."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from core.imports.review import note_place
from gui import file_actions
from gui.import_review import NOT_READ_COLOUR
from tests.realdata import REAL


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # Qt delivers a drop only inside a real drag session, which offscreen tests cannot start: the event goes
    # to the window's drop handler as Qt would hand it over.
    handled = window._drops.eventFilter(window, event)
    assert handled and event.isAccepted()


def test_a_pdf_dropped_on_the_window_opens_with_its_figures(window, message_boxes):
    window.document.undo_stack.setClean()
    _drop(window, REAL / "pdf" / "pingtan_zrz_2023_86684.pdf")
    report = window.document.report
    assert report.meta.organ == "平潭综合实验区自然资源与生态环境局"
    assert report.table3.get("new", "natural") == 19
    assert report.imported.source_format == "pdf"


def test_pasting_a_copied_web_page_reads_its_tables(window, message_boxes):
    window.document.undo_stack.setClean()
    mime = QMimeData()
    mime.setHtml((REAL / "pingtan_jjf_2022_86658.html").read_text(encoding="utf-8"))
    mime.setText("只有文字")
    QApplication.clipboard().setMimeData(mime)
    window.findChild(type(window.file_menu.actions()[0]), "action_paste_report").trigger()
    report = window.document.report
    assert report.meta.organ == "平潭综合实验区经济发展局" and report.meta.year == 2022
    assert report.table2.get("normative", "issued") == 5


# -- 导入核对 ---------------------------------------------------------------------------------------

EDITED = REAL / "pdf" / "edited" / "zrz_2023_new_natural_1.5.pdf"


def _main_cell(window):
    view = window.pages.currentWidget().table
    return view.model().cell_at(view.currentIndex().row(), view.currentIndex().column()).figure


def _click_cell(review, table_key, row, col):
    from core import layout as L

    layout = L.TABLE_BY_KEY[table_key]
    table = review.tables[table_key]
    review.tabs.setCurrentWidget(table)
    r = [x.key for x in layout.rows].index(row)
    c = [x.key for x in layout.columns].index(col)
    table.scrollToItem(table.item(r, c))
    rect = table.visualItemRect(table.item(r, c))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def _click_note(review, rule):
    record = review.record
    index = next(i for i, n in enumerate(record.notes) if n.rule == rule)
    item = review.notes.item(index)
    review.notes.scrollToItem(item)
    QTest.mouseClick(review.notes.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     review.notes.visualItemRect(item).center())
    return record.notes[index]


def test_a_dropped_pdf_shows_its_review_and_a_note_leads_to_the_cell_and_its_box(window, qtbot):
    window.document.undo_stack.setClean()
    _drop(window, EDITED)
    review = window.import_review
    qtbot.waitExposed(review)
    assert review.isVisible() and review.source.pages and not review.remark.isVisible()
    item = review.tables["table3"].item(0, 0)  # 新收 · 自然人, printed as 1.5
    assert item.text() == "未读取" and item.background().color() == NOT_READ_COLOUR
    assert "未读取" in review.findChild(QLabel, "review_summary").text()
    note = _click_note(review, "CELL-VALUE")
    place = note_place(note, review.record)
    assert review.page_number.value() == 2 == place.page and review.shown_box == place.box
    assert not review.page_label.pixmap().isNull()
    # the main window shows that cell, ready to be typed in
    assert window.pages.currentWidget() is window.page("requests")
    assert _main_cell(window) == ("new", "natural")
    assert "1.5" in review.cell_source.text() and "未读取" in review.cell_source.text()


def test_clicking_a_read_figure_shows_its_source_and_the_cell_in_the_window(window, qtbot):
    window.document.undo_stack.setClean()
    _drop(window, EDITED)
    review = window.import_review
    qtbot.waitExposed(review)
    _click_cell(review, "table3", "granted", "natural")
    place = review.record.cell_source("table3", "granted", "natural")
    value = window.document.report.table3.get("granted", "natural")
    text = review.cell_source.text()
    assert f"原文第 {place.page} 页" in text and str(value) in text
    assert review.shown_box == place.box and review.page_number.value() == place.page
    assert _main_cell(window) == ("granted", "natural")


def test_a_text_report_is_reviewed_line_by_line(make_window, tmp_path, qtbot):
    from tests.textforms import as_text

    window = make_window()
    source = tmp_path / "上年报告.txt"
    source.write_text(as_text(REAL / "pingtan_jjf_2022_86658.html", "pipes"),
                      encoding="utf-8")
    assert window.open_path(source)
    review = window.import_review
    qtbot.waitExposed(review)
    assert review.source_view.currentWidget() is review.lines and review.lines.count() > 50
    _click_cell(review, "table2", "normative", "issued")
    place = review.record.cell_source("table2", "normative", "issued")
    assert review.lines.currentRow() == place.line
    assert "行政规范性文件" in review.lines.currentItem().text() and "5" in review.lines.currentItem().text()
    assert _main_cell(window) == ("normative", "issued")


def test_the_review_comes_back_after_the_draft_is_saved_and_reopened(make_window, tmp_path, qtbot):
    first = make_window()
    assert first.open_path(EDITED)
    path = tmp_path / "上年.nbdraft"
    file_actions.write(first, path)
    assert first.close()  # one window edits a draft at a time
    again = make_window()
    assert again.open_path(path) and getattr(again, "import_review", None) is None  # a draft opens as it is
    again.findChild(QAction, "action_import_review").trigger()
    review = again.import_review
    qtbot.waitExposed(review)
    assert review.source.pages and review.remark.text() == ""
    assert review.tables["table3"].item(0, 0).text() == "未读取"


def test_a_word_file_opened_for_a_draft_says_the_review_stays_in_drafts(make_window, tmp_path, message_boxes):
    from core.export.docx import write_docx
    from core.model import Comment
    from tests.factories import filled_report

    report = filled_report()
    report.comments.append(Comment(author="科长", text="请核对表三", location={"part": "requests"}))
    path = write_docx(report, tmp_path / "改过的.docx")
    window = make_window()
    assert window.open_path(path)
    said = [m for m in message_boxes if m[1] == "打开的不是年报草稿"]
    assert len(said) == 1 and "「改过的.docx」是Word 文档，不是年报草稿" in said[0][2]
    assert "批注和修改记录只保存在年报草稿" in said[0][2]
    assert window.document.report.comments == []


def test_a_moved_pdf_is_said_and_can_be_pointed_to_again(make_window, tmp_path, qtbot, monkeypatch):
    import shutil

    from PySide6.QtWidgets import QFileDialog

    copy = tmp_path / "上年.pdf"
    shutil.copy(EDITED, copy)
    first = make_window()
    assert first.open_path(copy)
    path = tmp_path / "上年.nbdraft"
    file_actions.write(first, path)
    assert first.close()  # one window edits a draft at a time
    moved = tmp_path / "别处" / "上年.pdf"
    moved.parent.mkdir()
    copy.rename(moved)
    again = make_window()
    assert again.open_path(path)
    again.findChild(QAction, "action_import_review").trigger()
    review = again.import_review
    qtbot.waitExposed(review)
    assert review.remark.isVisible() and "找不到原文件" in review.remark.text() and not review.source.pages
    assert review.source_view.currentWidget() is review.lines  # the lines read still show
    other = tmp_path / "另一份.pdf"
    shutil.copy(REAL / "pdf" / "pingtan_jjf_2022_86658.pdf", other)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    QTest.mouseClick(review.locate_button, Qt.MouseButton.LeftButton)
    assert not review.source.pages and "与导入时的文件不同" in review.remark.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(moved), ""))
    QTest.mouseClick(review.locate_button, Qt.MouseButton.LeftButton)
    assert review.source.pages and not review.remark.isVisible()
    note = _click_note(review, "CELL-VALUE")
    assert review.shown_box == note_place(note, review.record).box
