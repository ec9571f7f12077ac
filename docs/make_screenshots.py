"""Screenshots of every page of the window and of every other window and dialog at 1366×768, taken
from a real X screen (Xvfb).

    python docs/make_screenshots.py [--scale 1.5]

Starts its own Xvfb when no DISPLAY is set, loads the sample draft with last year's report attached,
and writes docs/screenshots/NN-<page>.png and 2N-<window>.png (…-150.png with --scale 1.5, where each table
page has a second picture, NN-<page>-table-150.png, scrolled down to its table).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SAMPLES = ROOT / "resources" / "samples"
CURRENT = SAMPLES / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft"
PREVIOUS = SAMPLES / "济源市人民政府办公室2021年政府信息公开工作年度报告.nbdraft"
REAL = ROOT / "tests" / "data" / "real"  # reports as governments published them


def start_xvfb() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY"):
        return None
    if not shutil.which("Xvfb"):
        sys.exit("需要 Xvfb（Debian: apt-get install xvfb）")
    display = ":97"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.environ["DISPLAY"] = display
    return proc


def other_windows(window, shoot):
    """(name, a function that builds the window unshown) for every window and dialog besides the form."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QFileDialog

    from gui import dialogs, file_dialogs, guide, printing, supervise
    from gui.findings_panel import BlankCells, FindingRole

    def compile_window():
        w = supervise.CompileWindow(window)
        w.add_paths([SAMPLES])  # the 2021 report is left out of a 2022 compile, with the reason
        w.organ.setText("济源市人民政府")
        w.year.setValue(2022)
        return w

    def preview():  # photographed while its exec would run: the printer lives only that long
        def exec_(dialog):
            dialog.show()
            shoot("preview")
            dialog.close()

        original = QPrintPreviewDialog.exec
        QPrintPreviewDialog.exec = exec_
        try:
            printing.preview(window, window.document.report)
        finally:
            QPrintPreviewDialog.exec = original

    def file_dialog():  # in a folder of its own, as a clerk's 收件 folder would be
        inbox = Path(tempfile.mkdtemp(prefix="nianbao-")) / "收件"
        shutil.copytree(SAMPLES, inbox)
        d = QFileDialog(window, "打开报告", str(inbox), "年报草稿 (*.nbdraft)")
        d.setOption(QFileDialog.Option.DontUseNativeDialog)
        file_dialogs.polish(d)
        return d

    def blank_cells():  # one figure typed into a new report: one 空白 entry per table, not a hundred
        from core.model import Report
        from gui.document import ReportDocument

        window.set_document(ReportDocument(Report.new(window.document.report.meta.organ, 2022)))
        window.document.set_cell("table3", "granted", "natural", 3)
        window.go_to("requests")
        item = next((i for i in window.panel.items() if isinstance(i.data(0, FindingRole), BlankCells)), None)
        if item is not None:
            window.panel.tree.setCurrentItem(item)
            item.setExpanded(True)
        return window

    def batch_check():  # a 收件 folder of drafts, a Word file, web pages and PDFs as units send them
        from gui.batch_check import BatchCheckWindow

        inbox = Path(tempfile.mkdtemp(prefix="nianbao-")) / "收件"
        shutil.copytree(SAMPLES, inbox)
        for name in ("pingtan_zrz_2023_86684.pdf", "pingtan_jjf_2022_86658.pdf"):
            shutil.copy(REAL / "pdf" / name, inbox)
        for name in ("pingtan_nyn_2025_104900.html", "pingtan_htp_2024_96894.html"):
            shutil.copy(REAL / name, inbox)
        shutil.copy(ROOT / "tests" / "data" / "handmade" / "template.docx", inbox / "某局年度报告.docx")
        w = BatchCheckWindow(window)
        w.set_folder(inbox)
        w.start()
        w.wait()
        return w

    def import_review():  # a real published PDF, opened as a clerk would: its 导入核对 view comes up
        window.document.undo_stack.setClean()
        window.open_path(REAL / "pdf" / "pingtan_zrz_2023_86684.pdf")
        view = window.import_review
        if view is not None and "table3" in view.tables:
            view.tabs.setCurrentWidget(view.tables["table3"])
            view.tables["table3"].setCurrentCell(0, 0)
        return view

    return [("compile", compile_window), ("roster", lambda: supervise.RosterWindow(window)),
            ("compare", lambda: supervise.CompareWindow(window)), ("new", lambda: dialogs.NewReportDialog(window)),
            ("history", lambda: dialogs.history(window, window.document.report)),
            ("guide", lambda: guide.GuideWindow(window)), ("preview", preview), ("file-dialog", file_dialog),
            ("blank-cells", blank_cells), ("batch-check", batch_check), ("import-review", import_review)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    xvfb = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ["NIANBAO_DATA_DIR"] = tempfile.mkdtemp(prefix="nianbao-shots-")
    sys.path.insert(0, str(ROOT))
    try:
        from PySide6.QtCore import QEventLoop, Qt, QTimer
        from PySide6.QtGui import QGuiApplication

        def settle(ms: int) -> None:
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        from gui.app import create_application

        app = create_application(sys.argv[:1])
        from gui.main_window import MainWindow

        window = MainWindow()
        window.setWindowState(Qt.WindowState.WindowMaximized)
        window.show()
        window.open_path(CURRENT)
        window.attach_previous_path(PREVIOUS)
        OUT.mkdir(parents=True, exist_ok=True)
        suffix = "" if args.scale == 1.0 else f"-{round(args.scale * 100)}"
        for i in range(window.nav.count()):
            window.nav.setCurrentRow(i)
            key = window.pages.currentWidget().key
            settle(600)
            shot = QGuiApplication.primaryScreen().grabWindow(0)
            path = OUT / f"{i:02d}-{key}{suffix}.png"
            shot.save(str(path))
            print(path.relative_to(ROOT), f"{shot.width()}×{shot.height()}")
            page = window.pages.currentWidget()
            if suffix and hasattr(page, "table"):  # at 150 % the table is below the fold: a second picture
                page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())  # the table ends the page
                settle(400)
                shot = QGuiApplication.primaryScreen().grabWindow(0)
                path = OUT / f"{i:02d}-{key}-table{suffix}.png"
                shot.save(str(path))
                print(path.relative_to(ROOT), f"{shot.width()}×{shot.height()}")
        names = []

        def shoot(name: str) -> None:
            settle(800)
            shot = QGuiApplication.primaryScreen().grabWindow(0)
            path = OUT / f"{20 + names.index(name):02d}-{name}{suffix}.png"
            shot.save(str(path))
            print(path.relative_to(ROOT), f"{shot.width()}×{shot.height()}")

        others = other_windows(window, shoot)
        names += [name for name, _ in others]
        for name, make in others:
            shown = make()
            if shown is None:
                continue  # it took its own picture
            shown.show()
            shown.raise_()
            shoot(name)
            if shown is not window:
                shown.close()
        window.document.undo_stack.setClean()
        window.close()
    finally:
        if xvfb is not None:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
