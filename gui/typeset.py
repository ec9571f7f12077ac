"""The report's pages drawn with QPainter from the document structure (core.export.document).

Everything is placed in points; text is measured on a fine reference device (design metrics, no hinting,
so the pages are the same on every printer and in the PDF); painting scales to the device. Lines of text are
laid out with QTextLayout; pages are broken by core.export.paginate with the keep rules the Word export
declares; tables are drawn row by row from the grid, borders closed at every page break, a merged label
split by a break printed again in each part.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontMetricsF, QImage, QPagedPaintDevice, QPainter, QPen,
                           QRawFont, QTextLayout, QTextOption)

from core.export.document import (BODY_PT, CELL_PAD_MM, CONDENSE_PT, ROW_MIN_MM, TEXT_HEIGHT_MM, TEXT_WIDTH_MM, Block,
                                  Cell, Closing, Document, Paragraph, Table)

from core.export.paginate import Page, Piece, TableHead, paginate

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, TOP = 28 * MM, 37 * MM
WIDTH, HEIGHT = TEXT_WIDTH_MM * MM, TEXT_HEIGHT_MM * MM
LINE = 579 / 20  # 28.95 pt: 22 lines fill the 225 mm block, as the Word grid
CONDENSE = CONDENSE_PT  # pt per character: 28 characters of 三号 in 156 mm, as the Word export
CHAR = BODY_PT + CONDENSE
PAGE_NUMBER_GAP = 7 * MM  # GB/T 9704 §7.5: the dash 7 mm below the text block
TITLE_LINE = 36.0
TABLE_GAP_BEFORE = 4.0
TABLE_GAP_AFTER = 12.0
CELL_PAD = CELL_PAD_MM * MM
CELL_PAD_V = 0.8 * MM
ROW_MIN = ROW_MIN_MM * MM
BORDER = 0.5

FAMILIES = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC"],
    "heading1": ["黑体", "SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"],
    "heading2": ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"],
    "table": ["宋体", "SimSun", "Noto Serif CJK SC"],
    "page": ["宋体", "SimSun", "Noto Serif CJK SC"],
}
LATIN = ["Times New Roman", "Liberation Serif", "Tinos"]  # digits and Latin letters, as in the Word export
STYLE_FONT = {"title": "title", "heading1": "heading1", "heading2": "heading2", "body": "body", "note": "body"}


def font(role: str, size: float, bold: bool = False, condensed: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(LATIN + FAMILIES[role])  # per character, the first family that has it, like Word's fallback
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    f.setKerning(False)
    if condensed:
        f.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, CONDENSE)
    return f


def radical_mapping(text: str) -> dict[str, str]:
    """Radical → ideograph for every character of ``text`` that one of the fonts used draws with the same
    glyph as a radical (Noto CJK: 一/⼀, 民/⺠): the PDF's text layer names the ideograph, not the radical."""
    from core.export.pdf import RADICALS

    wanted = {ch for ch in set(text) if 0x2E80 <= ord(ch) <= 0xFFFF and ord(ch) not in RADICALS}
    radicals = "".join(chr(c) for c in RADICALS)
    installed = set(QFontDatabase.families())
    mapping: dict[str, str] = {}
    for family in dict.fromkeys(f for names in FAMILIES.values() for f in names):
        if family not in installed:
            continue
        raw = QRawFont.fromFont(QFont(family))
        if not raw.isValid():
            continue
        glyph_of = {}
        for r, g in zip(radicals, raw.glyphIndexesForString(radicals)):
            if g:
                glyph_of.setdefault(g, r)
        chars = sorted(wanted)
        for ch, g in zip(chars, raw.glyphIndexesForString("".join(chars))):
            r = glyph_of.get(g) if g else None
            if r is not None and r not in mapping:
                mapping[r] = ch
    return mapping


def document_text(document: Document) -> str:
    """Every character the pages of ``document`` show."""
    parts = [document.title, *document.title_lines, document.draft_note or "", document.review_note or "", "—"]
    for block in document.blocks:
        if isinstance(block, Table):
            parts += [c.text for c in block.cells]
        elif isinstance(block, Closing):
            parts += [block.organ, block.date]
        else:
            parts.append(block.text)
    return "".join(parts)


_REFERENCE: QImage | None = None


# Text is measured on a device of 72 × FINE dpi and drawn scaled down by FINE: font engines round pixel
# sizes to whole pixels, which at 72 dpi would set 10.5 pt table text as 11 pt (4.6 % wider than Word).
FINE = 16


def reference() -> QImage:
    """The device every text measurement is made on (1 unit = 1/FINE pt)."""
    global _REFERENCE
    if _REFERENCE is None:
        image = QImage(4, 4, QImage.Format.Format_ARGB32)
        image.setDotsPerMeterX(round(72 * FINE / 0.0254))
        image.setDotsPerMeterY(round(72 * FINE / 0.0254))
        _REFERENCE = image
    return _REFERENCE


def line_spacing(f: QFont) -> float:
    """The line spacing in points of text set in ``f``: that of its Chinese face when it is the taller (the
    Latin face comes first for the figures but has a shorter line; lines set by it would overlap)."""
    cjk = QFont(f)
    cjk.setFamilies([name for name in f.families() if name not in LATIN])
    return max(QFontMetricsF(f, reference()).lineSpacing(), QFontMetricsF(cjk, reference()).lineSpacing()) / FINE


def draw_line(painter: QPainter, line, x: float, y: float) -> None:
    """Draw one laid-out line with the top of its box at (x, y) points."""
    painter.save()
    painter.translate(x, y)
    painter.scale(1 / FINE, 1 / FINE)
    line.draw(painter, QPointF(0, 0))
    painter.restore()


def layout_lines(text: str, f: QFont, width: float, *, indent: float = 0.0, align=Qt.AlignmentFlag.AlignLeft,
                 justify: bool = False) -> QTextLayout:
    """``text`` broken into lines ``width`` wide (the first indented); line positions not yet set."""
    lay = QTextLayout(text, f, reference())
    option = QTextOption(Qt.AlignmentFlag.AlignJustify if justify else align)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setUseDesignMetrics(True)
    lay.setTextOption(option)
    lay.beginLayout()
    first = True
    while True:
        line = lay.createLine()
        if not line.isValid():
            break
        line.setLineWidth((width - (indent if first else 0)) * FINE)
        first = False
    lay.endLayout()
    return lay


# -- pieces: what the paginator places --------------------------------------------------------------


@dataclass
class TextLine:
    """One line of a QTextLayout, drawn with its baseline ``ascent`` below the top of its line box."""

    layout: QTextLayout
    index: int
    x: float
    height: float
    color: QColor | None = None


@dataclass
class RowPiece:
    table: "TableBox"
    row: int


@dataclass
class TableBox:
    table: Table
    x: float
    widths: list[float]
    heights: list[float]
    cell_lines: dict[tuple[int, int], list[QTextLayout]]
    label_heights: dict[tuple[int, int], float]

    def col_x(self, col: int) -> float:
        return self.x + sum(self.widths[:col])


class Typesetter:
    """Measures a Document into pieces, breaks them into pages and paints each page."""

    def __init__(self, document: Document):
        self.document = document
        self.tables: list[TableBox] = []
        self.pieces: list[Piece] = []
        self.heads: dict[int, TableHead] = {}
        self._build()
        self.pages: list[Page] = paginate(self.pieces, self.heads, HEIGHT)

    # -- measuring --------------------------------------------------------------------------------

    def _build(self) -> None:
        doc = self.document
        title = font("title", 22)
        for i, text in enumerate(doc.title_lines or (doc.title,)):
            lay = layout_lines(text, title, WIDTH, align=Qt.AlignmentFlag.AlignHCenter)
            self._lines(lay, TITLE_LINE, keep_all=True)
        self.pieces.append(Piece(LINE, keep_with_next=True, space=True))  # one line between title and text
        blocks = list(doc.blocks)
        for k, block in enumerate(blocks):
            if isinstance(block, Table):
                self._table(block, heading_before=k > 0 and _is_heading(blocks[k - 1]))
            elif isinstance(block, Closing):
                self._closing(block)
            else:
                self._paragraph(block)

    def _lines(self, lay: QTextLayout, height: float, keep_all: bool = False, heading: bool = False,
               color: QColor | None = None, x: float = 0.0) -> None:
        count = lay.lineCount()
        for i in range(count):
            # Widows and orphans: the first two and the last two lines of a paragraph stay together.
            keep = keep_all or heading or (count >= 2 and (i == 0 or i == count - 2))
            self.pieces.append(Piece(height, keep_with_next=keep, payload=TextLine(lay, i, x, height, color)))

    def _paragraph(self, p: Paragraph) -> None:
        role = STYLE_FONT[p.style]
        f = font(role, BODY_PT, condensed=True)
        lay = layout_lines(p.text, f, WIDTH, indent=2 * CHAR, justify=True)
        self._lines(lay, LINE, heading=p.style in ("heading1", "heading2"))

    def _closing(self, c: Closing) -> None:
        self.pieces.append(Piece(LINE, keep_with_next=True))  # one blank line before the signature
        f = font("body", BODY_PT, condensed=True)
        for text, at in ((c.organ, c.organ_indent), (c.date, c.date_indent)):
            x = at * CHAR
            lay = layout_lines(text, f, WIDTH - x)
            self._lines(lay, LINE, keep_all=True, x=x)
        self.pieces[-1].keep_with_next = False

    def _table(self, table: Table, heading_before: bool) -> None:
        widths = [w * MM for w in table.widths_mm]
        cell_lines: dict[tuple[int, int], list[QTextLayout]] = {}
        text_height: dict[tuple[int, int], float] = {}
        for cell in table.cells:
            width = sum(widths[cell.col:cell.col + cell.colspan]) - 2 * CELL_PAD
            lays = []
            height = 0.0
            f = font("table", cell.size, bold=cell.role == "header")
            if cell.role in ("figure", "derived"):
                # A figure is never broken: where this machine's digits are wider than the document assumed
                # (no Times New Roman), it is set smaller until it fits, as the Word export does.
                advance = QFontMetricsF(f, reference()).horizontalAdvance(cell.text) / FINE
                if advance > width:
                    f = font("table", max(4.0, cell.size * width / advance * 0.98))
            line_h = line_spacing(f)
            align = Qt.AlignmentFlag.AlignLeft if cell.align == "left" else Qt.AlignmentFlag.AlignHCenter
            for line in cell.lines or (cell.text,):
                lay = layout_lines(line, f, width, align=align)
                lays.append(lay)
                height += lay.lineCount() * line_h
            cell_lines[(cell.row, cell.col)] = lays
            text_height[(cell.row, cell.col)] = height + 2 * CELL_PAD_V
        heights = [ROW_MIN] * table.rows
        for cell in table.cells:
            if cell.rowspan == 1:
                heights[cell.row] = max(heights[cell.row], text_height[(cell.row, cell.col)])
        for cell in sorted((c for c in table.cells if c.rowspan > 1), key=lambda c: c.rowspan):
            rows = range(cell.row, cell.row + cell.rowspan)
            short = text_height[(cell.row, cell.col)] - sum(heights[r] for r in rows)
            if short > 0:
                for r in rows:
                    heights[r] += short / cell.rowspan
        x = (WIDTH - sum(widths)) / 2
        box = TableBox(table, x, widths, heights, cell_lines, text_height)
        index = len(self.tables)
        self.tables.append(box)
        keep = list(table.keep_with_next)
        # A merged label broken by a page is printed again in each part: each part must hold it.
        for cell in table.cells:
            if cell.rowspan > 1 and cell.role != "header":
                need = text_height[(cell.row, cell.col)]
                for r in range(cell.row, cell.row + cell.rowspan - 1):
                    above = sum(heights[cell.row:r + 1])
                    below = sum(heights[r + 1:cell.row + cell.rowspan])
                    if above < need or below < need:
                        keep[r] = True
        self.pieces.append(Piece(TABLE_GAP_BEFORE, keep_with_next=True, space=True))
        for r in range(table.rows):
            self.pieces.append(Piece(heights[r], keep_with_next=keep[r], table=index, row=r,
                                     payload=RowPiece(box, r)))
        if table.header_rows:
            self.heads[index] = TableHead(sum(heights[:table.header_rows]), tuple(range(table.header_rows)))
        self.pieces.append(Piece(TABLE_GAP_AFTER, space=True))

    # -- painting ---------------------------------------------------------------------------------

    def paint(self, painter: QPainter, device: QPagedPaintDevice) -> int:
        scale = device.logicalDpiX() / 72
        for number, page in enumerate(self.pages, start=1):
            if number > 1:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            self.paint_page(painter, page, number)
            painter.restore()
        return len(self.pages)

    def paint_page(self, painter: QPainter, page: Page, number: int) -> None:
        painter.save()
        painter.translate(LEFT, TOP)
        runs: dict[int, list[tuple[int, float]]] = {}  # table → rows on this page with their y
        for table, y in page.repeated:
            box = self.tables[table]
            for r in self.heads[table].rows:
                runs.setdefault(table, []).append((r, y))
                y += box.heights[r]
        for placed in page.placed:
            payload = placed.piece.payload
            if isinstance(payload, TextLine):
                self._text_line(painter, payload, placed.y)
            elif isinstance(payload, RowPiece):
                runs.setdefault(placed.piece.table, []).append((payload.row, placed.y))
        for table, rows in runs.items():
            self._table_rows(painter, self.tables[table], rows)
        painter.restore()
        self._page_number(painter, number)
        note = self.document.review_note or self.document.draft_note
        if note:
            # Above the text block, in the header area, on every page (Word's header carries the same).
            lay = layout_lines(note, font("heading1", 12), WIDTH, align=Qt.AlignmentFlag.AlignHCenter)
            painter.setPen(QColor(0xB3, 0x26, 0x1E))
            y = 15 * MM
            for i in range(lay.lineCount()):
                line = lay.lineAt(i)
                line.setPosition(QPointF(0, 0))
                draw_line(painter, line, LEFT, y)
                y += line.height() / FINE

    def _text_line(self, painter: QPainter, t: TextLine, y: float) -> None:
        line = t.layout.lineAt(t.index)
        # Centre the glyphs in the fixed line box, as Word does with exact line spacing.
        top = y + (t.height - line.height() / FINE) / 2
        indent = 2 * CHAR if t.index == 0 and t.layout.textOption().alignment() & Qt.AlignmentFlag.AlignJustify else 0
        line.setPosition(QPointF(indent * FINE, 0))
        painter.setPen(t.color or Qt.GlobalColor.black)
        draw_line(painter, line, t.x, top)

    def _table_rows(self, painter: QPainter, box: TableBox, rows: list[tuple[int, float]]) -> None:
        """The rows of one table on one page: every cell, or the part of a merged cell on this page."""
        y_of = dict(rows)
        table = box.table
        pen = QPen(Qt.GlobalColor.black, BORDER)
        pen.setCapStyle(Qt.PenCapStyle.SquareCap)
        for cell in table.cells:
            spanned = [r for r in range(cell.row, cell.row + cell.rowspan) if r in y_of]
            if not spanned:
                continue
            top = y_of[spanned[0]]
            bottom = y_of[spanned[-1]] + box.heights[spanned[-1]]
            left = box.col_x(cell.col)
            rect = QRectF(left, top, sum(box.widths[cell.col:cell.col + cell.colspan]), bottom - top)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            self._cell_text(painter, box, cell, rect)

    def _cell_text(self, painter: QPainter, box: TableBox, cell: Cell, rect: QRectF) -> None:
        lays = box.cell_lines[(cell.row, cell.col)]
        total = box.label_heights[(cell.row, cell.col)] - 2 * CELL_PAD_V
        y = rect.top() + max(CELL_PAD_V, (rect.height() - total) / 2)
        painter.setPen(Qt.GlobalColor.black)
        for lay in lays:
            for i in range(lay.lineCount()):
                line = lay.lineAt(i)
                line.setPosition(QPointF(0, 0))
                draw_line(painter, line, rect.left() + CELL_PAD, y)
                y += line_spacing(lay.font())

    def _page_number(self, painter: QPainter, number: int) -> None:
        """`— N —` below the text block, the dash 7 mm below it: odd pages right, even pages left, one
        character of 四号 in from the edge. Laid out on the reference device like all text (a font set on the
        painter would be sized for the printer's resolution and then scaled again)."""
        f = font("page", 14)
        metrics = QFontMetricsF(f, reference())
        text = f"— {number} —"
        lay = layout_lines(text, f, WIDTH)
        line = lay.lineAt(0)
        line.setPosition(QPointF(0, 0))
        dash = metrics.tightBoundingRect("—")
        top = TOP + HEIGHT + PAGE_NUMBER_GAP - (dash.center().y() + line.ascent()) / FINE
        width = line.naturalTextWidth() / FINE
        x = LEFT + WIDTH - 14 - width if number % 2 else LEFT + 14
        painter.setPen(Qt.GlobalColor.black)
        draw_line(painter, line, x, top)


def _is_heading(block: Block) -> bool:
    return isinstance(block, Paragraph) and block.style in ("heading1", "heading2")
