"""视图 → 放大 / 缩小: the form's text size, Ctrl+加号 / Ctrl+减号 / Ctrl+0, remembered between sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

LEVELS = (80, 90, 100, 110, 125, 150, 175, 200)  # percent of the program's normal text size
SETTING = "view/zoom"
BASE_SIZE = "nianbao_base_point_size"  # a widget's size at 100 %, remembered on the widget


def _distinct(*keys: QKeySequence) -> list[QKeySequence]:
    """Each key once: the same key twice on one action makes Qt call it ambiguous and do nothing."""
    seen, out = set(), []
    for key in keys:
        if not key.isEmpty() and key.toString() not in seen:
            seen.add(key.toString())
            out.append(key)
    return out


class Zoom(QObject):
    """Scales the pages and the 自检 panel (menus and dialogs keep the system's size)."""

    def __init__(self, window: "MainWindow", menu):
        super().__init__(window)
        self.window = window
        add = window._action
        bigger = add("放大(&I)", self.zoom_in, None, "action_zoom_in")
        # 加号 is Shift+= on most keyboards: Ctrl+= and Ctrl+Shift++ as well as the keypad's Ctrl++.
        bigger.setShortcuts(_distinct(QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl++"),
                                      QKeySequence("Ctrl+="), QKeySequence("Ctrl+Shift++")))
        smaller = add("缩小(&O)", self.zoom_out, None, "action_zoom_out")
        smaller.setShortcuts(_distinct(QKeySequence(QKeySequence.StandardKey.ZoomOut), QKeySequence("Ctrl+-")))
        menu.addSeparator()
        for action in (bigger, smaller, add("原始大小(&Z)", self.reset, QKeySequence("Ctrl+0"), "action_zoom_reset")):
            menu.addAction(action)
        self.level = self._saved()
        if self.level != 100:
            self.apply()

    def _saved(self) -> int:
        try:
            value = int(self.window.settings.value(SETTING, 100))
        except (TypeError, ValueError):
            return 100
        return min(LEVELS, key=lambda lv: abs(lv - value))

    def set_level(self, level: int) -> None:
        self.level = level
        self.window.settings.setValue(SETTING, level)
        self.apply()
        self.window.show_message(f"文字大小：{level}%")

    def zoom_in(self) -> None:
        bigger = [lv for lv in LEVELS if lv > self.level]
        if bigger:
            self.set_level(bigger[0])

    def zoom_out(self) -> None:
        smaller = [lv for lv in LEVELS if lv < self.level]
        if smaller:
            self.set_level(smaller[-1])

    def reset(self) -> None:
        self.set_level(100)

    def apply(self) -> None:
        """Every widget of the pages and the panel in the chosen size.

        Set on each widget: under the program's style sheet a font set on a parent no longer reaches
        the styled children. Each widget's own normal size is kept, so headings stay larger than text.
        """
        self.apply_to(self.window.centralWidget(), self.window.panel.widget())
        self.window.nav.setFixedWidth(self.window.nav.fontMetrics().horizontalAdvance("五、问题及改进") + 48)
        if self.window.isVisible():
            self.window.fit_panel()

    def apply_to(self, *roots: QWidget) -> None:
        """``roots`` and every widget in them in the chosen size (a page just built, before it is placed)."""
        scale = self.level / 100
        for root in roots:
            for widget in [root, *root.findChildren(QWidget)]:
                base = widget.property(BASE_SIZE)
                if base is None:
                    base = widget.font().pointSizeF()
                    widget.setProperty(BASE_SIZE, base)
                if base <= 0:
                    continue  # a font sized in pixels: left as it is
                font = widget.font()
                font.setPointSizeF(base * scale)
                widget.setFont(font)
