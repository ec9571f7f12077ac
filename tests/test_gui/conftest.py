"""Fixtures that drive the real window offscreen, with settings and autosaves kept in a temporary folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


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


@pytest.fixture
def app(qapp):
    from gui.app import create_application

    return create_application([])


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
