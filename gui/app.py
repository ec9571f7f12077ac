"""Start the authoring window: `nianbao-gui [FILE]` or `python -m gui [FILE]`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from . import resources

# Fonts that carry Chinese glyphs, best first (Windows, then UOS/Kylin and other Linux, then macOS).
UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
            "PingFang SC", "SimSun")

# Unattended runs of a build (installer/smoke_frozen.py, bench/frozen.py): close this many ms after the first paint.
SMOKE_EXIT_ENV = "NIANBAO_SMOKE_EXIT_MS"


def input_method_fallback(environ=os.environ) -> str | None:
    """UOS/Kylin desktops run fcitx, for which Qt's wheels ship no plugin: without one, Chinese cannot be
    typed at all. fcitx5 also speaks the ibus protocol, so ask Qt for its ibus plugin instead."""
    wanted = environ.get("QT_IM_MODULE", "")
    if not sys.platform.startswith("linux") or not wanted.startswith("fcitx"):
        return None
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    plugins = [p.name for p in folder.glob("*")] if folder.is_dir() else []
    if any("fcitx" in name for name in plugins) or not any("ibus" in name for name in plugins):
        return None
    environ["QT_IM_MODULE"] = "ibus"
    return "ibus"


class _MissingTranslations(QTranslator):
    """Qt strings that its zh_CN catalogue lacks (their source text changed) or words badly."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "查找范围(&I)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
        ("QFileSystemModel", "Size"): "大小",
        ("QFileDialog", "File &name:"): "文件名(&N)：",
        ("QFileSystemModel", "Folder"): "文件夹",
        ("QAbstractFileIconProvider", "Folder"): "文件夹",
        ("QFileSystemModel", "Date Modified"): "修改日期",
    }

    def translate(self, context, source, disambiguation=None, n=-1):
        return self.TEXTS.get((context, source))  # None: not ours, Qt asks its own catalogue

    def isEmpty(self) -> bool:
        return False


def install_translations(app: QApplication) -> None:
    """Qt's own dialogs and buttons in Chinese, from the catalogue the PySide6 wheel (and the bundle) ships."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            break
    app.installTranslator(_MissingTranslations(app))  # asked first: installed last


def create_application(argv: list[str]) -> QApplication:
    """The program's QApplication, configured once (a second call returns it as it is)."""
    app = QApplication.instance()
    if app is not None and app.property("nianbao_configured"):
        return app
    if app is None:
        input_method_fallback()
        app = QApplication(argv)
    app.setProperty("nianbao_configured", True)
    app.setOrganizationName("nianbao")
    app.setApplicationName("nianbao")
    app.setApplicationDisplayName("政务公开年报助手")
    app.setWindowIcon(resources.icon("nianbao"))
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_translations(app)
    families = set(QFontDatabase.families())
    family = next((f for f in UI_FONTS if f in families), None)
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
        app.setFont(font)
    app.setStyleSheet(resources.stylesheet())
    return app


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    app = create_application(argv)
    from .main_window import MainWindow  # after the QApplication exists

    files = [Path(a) for a in argv[1:] if not a.startswith("-")]
    window = MainWindow()
    smoke = os.environ.get(SMOKE_EXIT_ENV)
    if smoke:
        _CloseAfterFirstPaint(window, int(smoke))
    small = window.screen().availableGeometry().width() < 1500
    window.showMaximized() if small else window.show()
    if not open_at_start(window, files, offer_recovery=not smoke) and smoke:
        return 1  # the message box was closed by the timer; no window is left to run a loop for
    return app.exec()


def open_at_start(window, files: list[Path], offer_recovery: bool = True) -> bool:
    """Open the file the program was started with (a double-clicked draft) and offer what a crash left.

    Started with a file, only that file's recovery copy is offered (it holds edits made to that very
    file after its last save); others wait for a start without a file. Returns False when the file
    could not be opened (a message was shown)."""
    opened = True
    if files:
        opened = window.open_path(files[0])  # a bad file is a message, not a crash
    if offer_recovery:
        window.offer_recovery(only=files[0] if files else None)
    return opened


class _CloseAfterFirstPaint(QObject):
    """Prints "painted" at the window's first paint, then closes every window (a message box too) after a delay."""

    def __init__(self, window, delay_ms: int):
        super().__init__(window)
        self.delay_ms = delay_ms
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if sys.stdout:  # None in a windowed Windows build
                print("painted", flush=True)
            QTimer.singleShot(self.delay_ms, QApplication.closeAllWindows)
        return False
