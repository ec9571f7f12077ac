"""帮助 → 使用说明: the menu entry; the guide's window and its text load when first opened."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence


class GuideActions(QObject):
    def __init__(self, window: "MainWindow", menu):
        super().__init__(window)
        self.window = window
        self.guide = None  # the GuideWindow, once opened
        menu.addAction(window._action("使用说明(&G)", self.show_guide, QKeySequence.StandardKey.HelpContents,
                                      "action_guide"))

    def show_guide(self):
        from .guide import GuideWindow

        if self.guide is None:
            self.guide = GuideWindow(self.window)
            self.guide.destroyed.connect(lambda *_: setattr(self, "guide", None))
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide
