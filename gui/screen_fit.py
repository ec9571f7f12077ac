"""Windows sized and placed to fit the screen they open on, title bar included (1366×768 at 150 % too)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The window frame the system draws around a widget's own size, in logical pixels: a generous title bar
# and borders, so that the frame fits too (Windows at 150 % draws a title bar of about 31 px).
TITLE_BAR = 34
BORDER = 8


def available(widget: QWidget):
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height`` or what the screen leaves, and centre the frame on the screen."""
    area = available(widget)
    w = max(min(width, area.width() - 2 * BORDER), 1)
    h = max(min(height, area.height() - TITLE_BAR - BORDER), 1)
    widget.resize(w, h)
    w, h = widget.width(), widget.height()  # a minimum size may have won
    x = area.x() + max((area.width() - w - 2 * BORDER) // 2, 0)
    y = area.y() + max((area.height() - h - TITLE_BAR - BORDER) // 2, 0)
    widget.move(x, y)
