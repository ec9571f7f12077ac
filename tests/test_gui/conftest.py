"""Fixtures that drive the real window offscreen, with settings and autosaves kept in a temporary folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


def _address(widget) -> int:
    import shiboken6

    return shiboken6.getCppPointer(widget)[0]


def _alive_windows(suspect=lambda w: False) -> list:
    """Top-level widgets still alive once pending deletions have run.

    Python's collector (a tenth of a second with this heap) runs only while some window is ``suspect``:
    a cycle through Python may be all that still holds it."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return []
    for attempt in range(4):  # a deletion may release further widgets (a window's dialogs, a closed child window)
        if attempt:
            gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        alive = list(QApplication.topLevelWidgets())
        if not any(suspect(w) for w in alive):
            break
    return alive


@pytest.fixture(autouse=True)
def windows_freed(request):
    """Fails a test whose top-level windows outlive it: each would pile up in a long session of the program.

    Set up before every other fixture, so it is torn down after them and after pytest-qt closed the
    windows registered with ``qtbot``."""
    before = {_address(w) for w in _alive_windows()}
    request.node.windows_before = before
    yield
    left = [w for w in _alive_windows(lambda w: _address(w) not in before) if _address(w) not in before]
    if left:
        names = sorted(f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in left)
        for w in left:  # free them so the next test starts clean and is not blamed
            w.close()
            w.deleteLater()
        _alive_windows()
        pytest.fail(f"{len(left)} top-level window(s) not freed after the test: {', '.join(names)}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fails a test after which a closed dialog or window is still kept by its parent: the program would
    keep one more of them each time the clerk opens it (windows the test itself shows are exempt)."""
    result = yield
    before = getattr(item, "windows_before", None)
    if before is None:
        return result
    from PySide6.QtWidgets import QDialog, QMainWindow

    shown = {_address(ref()) for ref, _ in getattr(item, "qt_widgets", []) if ref() is not None}

    def closed(w) -> bool:
        return isinstance(w, (QDialog, QMainWindow)) and not w.isVisible() and _address(w) not in before | shown

    kept = [w for w in _alive_windows(closed) if closed(w)]
    if kept:
        names = sorted(f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in kept)
        pytest.fail(f"{len(kept)} closed window(s) still kept by their parent: {', '.join(names)}", pytrace=False)
    return result


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "appdata"
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Record every message box instead of blocking; a test sets ``answers`` to choose buttons.

    ``dialogs.choose`` takes the label of the button (Esc's when no answer is queued).
    """
    class Seen(list):
        answers: list

    seen = Seen()
    answers: list = []

    def make(kind, default):
        def show(parent, title, text, *args, **kwargs):
            seen.append((kind, title, text))
            return answers.pop(0) if answers else default
        return show

    monkeypatch.setattr(QMessageBox, "question", make("question", QMessageBox.StandardButton.Cancel))
    monkeypatch.setattr(QMessageBox, "warning", make("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", make("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", make("critical", QMessageBox.StandardButton.Ok))
    def choose(parent, title, text, buttons, default, escape):
        seen.append(("choose", title, text))
        return answers.pop(0) if answers else escape

    import gui.dialogs

    monkeypatch.setattr(gui.dialogs, "choose", choose)
    seen.answers = answers
    return seen


@pytest.fixture(scope="session")
def app(qapp):
    """The program's QApplication, created and configured once for the whole run."""
    from gui.app import create_application

    app = create_application([])
    yield app
    # Mime data a test put on the offscreen clipboard crashes the interpreter's exit (PySide6 6.11) and the
    # run would end with a segmentation fault after every test passed.
    app.clipboard().clear()



@pytest.fixture
def make_window(app, qtbot):
    from gui.main_window import MainWindow

    windows = []

    def make(report=None, path=None):
        window = MainWindow(report, path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.document.undo_stack.setClean()  # closing at teardown must not ask


@pytest.fixture
def window(make_window):
    from tests.factories import filled_report

    return make_window(filled_report())


def commit_text(widget, text: str) -> None:
    """Type text the way a Chinese input method delivers it (QTest cannot send non-Latin keys)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
