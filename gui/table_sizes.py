"""How narrow a table can be in a given font, known without building the table.

The window sizes its 自检 panel from the widest table before the table pages exist (they are built after
the first paint); the table view sizes itself with the same figures.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle

from core import layout as L

# Label columns share what the figure columns leave, in these proportions.
LABEL_SHARES = {"table2": (1.0,), "table3": (0.17, 0.27, 0.56), "table4": ()}


def text_margins() -> int:
    """The pixels of a cell that text cannot use: the item view's margin on each side and the grid line."""
    style = QApplication.style()
    return 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 1


def narrow_figure(layout: L.TableLayout, fm: QFontMetrics, margins: int | None = None,
                  widest_figure: int | None = None) -> int:
    """The narrowest figure column. ``widest_figure``: the widest figure typed, in pixels (while the table is
    not built, figures are taken to fit under the heading; a wider one widens the columns once built)."""
    if layout.key == "table4":
        # Fifteen columns: as narrow as two characters of a heading (「结果」 over 「维持」) or the widest
        # figure, so that the table fits 1366×768 at 150 % without scrolling sideways.
        return max(fm.horizontalAdvance("结果"), widest_figure or 0) + (text_margins() if margins is None else margins)
    return max(fm.horizontalAdvance("社会") + 14, fm.horizontalAdvance("00000") + 14)


def minimum_labels(layout: L.TableLayout, fm: QFontMetrics) -> int:
    if layout.key == "table2":  # the label column just fits its longest label
        return max(fm.horizontalAdvance(r.label) for r in layout.rows) + 24
    return fm.horizontalAdvance("字") * 12 if LABEL_SHARES[layout.key] else 0


def minimum_width(layout: L.TableLayout, fm: QFontMetrics, frame: int) -> int:
    """The narrowest the table can be in this font: below it the page scrolls sideways."""
    figures = layout.grid_size[1] - len(LABEL_SHARES[layout.key])
    return narrow_figure(layout, fm) * figures + minimum_labels(layout, fm) + 2 * frame
