"""A PDF dropped on the window opens; a whole report pasted from the clipboard (HTML first) is read."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

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
