"""Keystroke → totals and findings updated and painted, in the real window, next to a bare Qt table.

    python bench/gui_keystroke.py [RUNS]

Each run types a digit into a table 三 cell and presses Enter, then waits until the derived totals, the
自检 panel and the status bar are updated and the pending paint events are done. The floor is the same
key sequence in a bare QTableWidget.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NIANBAO_DATA_DIR", tempfile.mkdtemp(prefix="nianbao-bench-"))

from _common import summary  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableWidget  # noqa: E402


def type_and_enter(view, digit: str) -> None:
    QTest.keyClick(view, digit)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # paints the changed cells


def measure_window(runs: int) -> list[float]:
    from core.imports.text import read_text_file
    from gui.app import create_application
    from gui.main_window import MainWindow
    from tests.factories import sample

    create_application(sys.argv[:1])
    window = MainWindow(read_text_file(sample("001")))
    window.show()
    view = window.go_to("requests").table
    cells = [("new", "business"), ("granted", "business")]
    out = []
    for i in range(runs):
        row, col = cells[i % 2]
        view.select_cell(row, col)
        QApplication.processEvents()
        start = time.perf_counter()
        type_and_enter(view, str(i % 9 + 1))
        out.append(time.perf_counter() - start)
        expected = str(window.document.report.table3.get("new", "total"))
        assert view.model().index_of("new", "total").data() == expected
    window.document.undo_stack.setClean()
    window.close()
    return out


def measure_bare(runs: int) -> list[float]:
    table = QTableWidget(28, 10)
    table.resize(1000, 700)
    table.show()
    out = []
    for i in range(runs):
        table.setCurrentCell(3 + i % 2, 4)
        table.setFocus()
        QApplication.processEvents()
        start = time.perf_counter()
        type_and_enter(table, str(i % 9 + 1))
        out.append(time.perf_counter() - start)
    return out


def main(runs: int) -> None:
    QApplication.instance() or QApplication(sys.argv[:1])
    print(f"platform: {QApplication.platformName()}")
    window = measure_window(runs)
    bare = measure_bare(runs)
    print(summary("window: keystroke → totals, findings, paint", window))
    print(summary("floor: bare QTableWidget, same keys", bare))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
