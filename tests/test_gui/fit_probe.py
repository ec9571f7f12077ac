"""Opens every window and dialog on the screen Qt was given and prints, as JSON, whether each fits.

Run in a process of its own (the screen size and scale are fixed when Qt starts), e.g. with
``QT_QPA_PLATFORM=offscreen:configfile=screen.json QT_SCALE_FACTOR=1.5``. The offscreen platform draws no
window frame, so the frame is taken as the one ``gui.screen_fit`` allows for.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def measure(w) -> dict:
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtWidgets import QAbstractButton, QScrollArea

    from gui.screen_fit import BORDER, TITLE_BAR, available

    area = available(w)
    frame = QRect(w.pos(), QSize(w.width() + 2 * BORDER, w.height() + TITLE_BAR + BORDER))

    def scrolled(b) -> bool:  # inside a scrolling page, a button may be out of view by design
        p = b.parentWidget()
        while p is not None and p is not w:
            if isinstance(p, QScrollArea):
                return True
            p = p.parentWidget()
        return False

    cut = [b.text() for b in w.findChildren(QAbstractButton)
           if b.window() is w and b.isVisibleTo(w) and b.text() and not scrolled(b)
           and not w.rect().contains(QRect(b.mapTo(w, b.rect().topLeft()), b.size()))]
    return {"frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "area": [area.x(), area.y(), area.width(), area.height()],
            "fits": area.contains(frame), "cut_buttons": cut}


def clipped_cells(table) -> list[str]:
    """Labels and figures of a table page that need more room than their cell gives them, wrapped as the
    item view wraps them (between characters) inside its text margins (visualRect leaves out the grid line)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle

    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    fm = table.fontMetrics()
    model = table.model()
    cut = []
    for cell in table.layout_.grid:
        text = model.label_text(cell) if cell.text else model.index(cell.row, cell.col).data()
        if not text:
            continue
        room = table.visualRect(model.index(cell.row, cell.col)).adjusted(margin, 0, -margin, 0)  # grid line off
        need = fm.boundingRect(QRect(0, 0, max(room.width(), 1), 10_000), int(Qt.TextFlag.TextWordWrap), text)
        if need.width() > room.width() or need.height() > room.height():
            cut.append(text)
    return cut


def clipped_labels(page) -> list[str]:
    """Wrapped labels given less height than their text needs at the width they were given."""
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in page.findChildren(QLabel)
            if label.isVisibleTo(page) and label.wordWrap() and label.heightForWidth(label.width()) > label.height()]


def main() -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QApplication

    from gui.app import create_application

    app = create_application(sys.argv[:1])
    out = {}

    def settle():
        for _ in range(5):
            app.processEvents()

    def preview_exec(dialog):  # measured while the preview is up, then closed
        dialog.show()
        settle()
        out["打印预览"] = measure(dialog)
        dialog.close()

    QPrintPreviewDialog.exec = preview_exec

    from gui import batch_check, dialogs, import_review, printing, supervise
    from gui.main_window import MainWindow
    from tests.factories import filled_report

    main_window = MainWindow(filled_report())
    main_window.show()
    shown = {"主窗口": main_window,
             "汇总多个单位": supervise.CompileWindow(main_window),
             "报送名单": supervise.RosterWindow(main_window),
             "对比": supervise.CompareWindow(main_window),
             "新建报告": dialogs.NewReportDialog(main_window),
             "修改记录": dialogs.history(main_window, main_window.document.report),
             "批量检查": batch_check.BatchCheckWindow(main_window)}
    from core import files

    imported = files.read_report(Path(__file__).resolve().parents[2] / "tests" / "data" / "handmade" / "template.docx")
    shown["导入核对"] = import_review.ImportReviewWindow(main_window, imported)
    for w in shown.values():
        w.show()
    settle()
    for name, w in shown.items():
        out[name] = measure(w)
    sideways = []  # pages of the form that need a sideways scroll (表三's 总计 out of view, 格式版本 cut)
    clipped = {}  # table pages whose labels or figures do not fit their cells
    for key in ("meta", "overview", "proactive", "requests", "appeals"):
        page = main_window.go_to(key)
        settle()
        if page.horizontalScrollBar().maximum() > 0:
            sideways.append(key)
        cut = clipped_labels(page) + (clipped_cells(page.table) if hasattr(page, "table") else [])
        if cut:
            clipped[key] = cut
    out["主窗口"]["sideways"] = sideways
    out["主窗口"]["clipped"] = clipped
    printing.preview(main_window, main_window.document.report)
    print(json.dumps(out, ensure_ascii=False))
    QApplication.closeAllWindows()


if __name__ == "__main__":
    main()
