"""Screenshots of every page of the window at 1366×768, taken from a real X screen (Xvfb).

    python docs/make_screenshots.py [--scale 1.5]

Starts its own Xvfb when no DISPLAY is set, loads the sample draft with last year's report attached,
and writes docs/screenshots/NN-<page>.png (…-150.png with --scale 1.5).
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
        window.document.undo_stack.setClean()
        window.close()
    finally:
        if xvfb is not None:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
