"""The Qt binding must keep None's reference count: a clerk's window repaints for hours.

PySide6 6.12.0 drops a reference to None on every call that returns None; on Python 3.11 the program
then aborts after some thousands of repaints ("deallocating None"). pyproject excludes that release.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication

from gui.document import ReportDocument
from gui.table_model import PreviousRole
from tests.factories import filled_report


def test_repainting_does_not_lose_references_to_none(app):
    model = ReportDocument(filled_report())
    from gui.table_model import FigureTableModel

    table = FigureTableModel(model, "table3")
    index = table.index_of("new", "natural")
    before = sys.getrefcount(None)
    for _ in range(2000):
        index.data(PreviousRole)  # None: no last year's report attached
        QCoreApplication.processEvents()
    assert abs(sys.getrefcount(None) - before) < 100


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux wheels' input-method plugins")
def test_fcitx_desktops_get_an_input_method_qt_ships():
    from gui.app import input_method_fallback

    environ = {"QT_IM_MODULE": "fcitx"}
    assert input_method_fallback(environ) == "ibus" and environ["QT_IM_MODULE"] == "ibus"
    environ = {"QT_IM_MODULE": "ibus"}
    assert input_method_fallback(environ) is None and environ["QT_IM_MODULE"] == "ibus"
    assert input_method_fallback({}) is None


@pytest.mark.skipif(sys.platform != "win32", reason="Windows: the system's own input methods")
def test_windows_keeps_its_own_input_methods():
    from gui.app import input_method_fallback

    environ = {"QT_IM_MODULE": "fcitx"}  # a variable left over from elsewhere changes nothing on Windows
    assert input_method_fallback(environ) is None and environ == {"QT_IM_MODULE": "fcitx"}
