"""Rebuild a report from positioned pages: table cells from ruling lines and word positions, narrative reflowed.

The PDF reader (a text layer) and the scan reader (OCR) both describe pages as :class:`~core.imports.pages.Page`
— words with boxes and confidences, ruling lines — and both come here. What comes out is the same
:class:`~core.imports.text.Line` stream every other format gives the shared row reader:

* **tables**: ruling lines that cross each other form a grid; a box whose border is missing on one side is
  merged with its neighbour (merged label cells), so there is one cell per ruled box. A row is handed on as
  Word gives it: one entry per cell, an empty one where a merged cell continues from above. A table that
  runs onto the next page continues there, with or without a repeated header. Without ruling lines (a scan
  whose lines were not found), words of one line are split at wide gaps, as text copied from a PDF is.
* **narrative**: a line that reaches the right margin continues into the next unless that one is indented
  or starts a heading — a line break inside a sentence is not a break.
* **page furniture**: page numbers and running heads (lines in the top or bottom margin that repeat) are
  dropped.
* every line knows its page and line number, so notes say 「原文第 3 页第 12 行」, and every figure keeps
  the lowest confidence of its words (OCR), so a doubtful figure becomes a note.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .. import layout as L
from ..normalize import fold
from .builder import ReportBuilder, heading_candidates, match_topic_heading
from .office import identify_table
from .pages import Page, Rule, Word
from .text import Line

MARGIN_SHARE = 0.075  # the top and bottom 7.5 % of a page hold running heads and page numbers
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*)?(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3})?(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?"
                          r"(?:\s*[-—–－])?\s*$")
_SENTENCE_END = "。！？；…”」』）)"


class Scored(str):
    """Text of a table cell that remembers the lowest confidence of the words it was made of."""

    confidence: float

    def __new__(cls, text: str, confidence: float = 1.0):
        s = super().__new__(cls, text)
        s.confidence = confidence
        return s


@dataclass
class _TextLine:
    """Words on one visual line of a page (outside the tables)."""

    page: int
    number: int  # the line's number on its page, counting every line a reader sees
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return statistics.median(w.bottom - w.top for w in self.words)

    def text(self, gap_tab: bool = False) -> str:
        return _join(self.words, gap_tab)


@dataclass
class _Grid:
    page: int
    xs: list[float]
    ys: list[float]
    cells: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)  # box → merged (r0,c0,r1,c1)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


# -- words into lines ---------------------------------------------------------------------------


def _visual_lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into lines by their vertical position, each line left to right, lines top to bottom."""
    ordered = sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    lines: list[list[Word]] = []
    for w in ordered:
        centre = (w.top + w.bottom) / 2
        if lines:
            last = lines[-1]
            top = min(x.top for x in last[-3:])
            bottom = max(x.bottom for x in last[-3:])
            if top - 0.5 <= centre <= bottom + 0.5 and centre - (last[0].top + last[0].bottom) / 2 < (bottom - top) * 0.6:
                last.append(w)
                continue
        lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _join(words: Sequence[Word], gap_tab: bool = False) -> str:
    """Words of a line as text: adjacent words run together, a gap is a space (a wide gap a tab)."""
    out = []
    prev = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            size = max(min(w.bottom - w.top, prev.bottom - prev.top), 1.0)
            if gap_tab and gap > size * 1.5:
                out.append("\t")
            elif gap > size * 0.25 or (prev.text[-1:].isascii() and w.text[:1].isascii()
                                       and prev.text[-1:].isalnum() and w.text[:1].isalnum() and gap > size * 0.1):
                out.append(" ")
        out.append(w.text)
        prev = w
    return "".join(out)


# -- ruling lines into grids --------------------------------------------------------------------


def _cluster(values: Iterable[float], tolerance: float = 2.0) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _grids(page: Page) -> list[_Grid]:
    """The tables of a page: groups of horizontal and vertical rules that cross, as grids of boxes."""
    h = [r for r in page.rules if r.horizontal and r.x1 - r.x0 > 3]
    v = [r for r in page.rules if not r.horizontal and r.bottom - r.top > 3]
    if len(h) < 2 or len(v) < 2 or len(h) + len(v) > 5000:
        return []
    parent = list(range(len(h) + len(v)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    v_sorted = sorted(range(len(v)), key=lambda j: (v[j].x0 + v[j].x1) / 2)
    v_x = [(v[j].x0 + v[j].x1) / 2 for j in v_sorted]
    for i, hr in enumerate(h):
        y = (hr.top + hr.bottom) / 2
        lo = bisect.bisect_left(v_x, hr.x0 - 2)
        hi = bisect.bisect_right(v_x, hr.x1 + 2)
        for k in range(lo, hi):
            j = v_sorted[k]
            if v[j].top - 2 <= y <= v[j].bottom + 2:
                a, b = find(i), find(len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, hr in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vr)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(page.number, hs, vs)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _grid(number: int, hs: list[Rule], vs: list[Rule]) -> _Grid | None:
    ys = [y for y in _cluster((r.top + r.bottom) / 2 for r in hs)]
    xs = [x for x in _cluster((r.x0 + r.x1) / 2 for r in vs)]
    # An outer border left undrawn (web tables often have none on the left): the table still ends where
    # the rules across it end.
    left, right = min(r.x0 for r in hs), max(r.x1 for r in hs)
    top, bottom = min(r.top for r in vs), max(r.bottom for r in vs)
    if xs and left < xs[0] - 3:
        xs.insert(0, left)
    if xs and right > xs[-1] + 3:
        xs.append(right)
    if ys and top < ys[0] - 3:
        ys.insert(0, top)
    if ys and bottom > ys[-1] + 3:
        ys.append(bottom)
    if len(xs) < 2 or len(ys) < 2 or len(xs) * len(ys) > 40_000:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def covered(segments, lo, hi) -> bool:
        need = (hi - lo) * 0.5
        return sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in segments) >= need

    h_at: dict[int, list[tuple[float, float]]] = {}
    for r in hs:
        y = (r.top + r.bottom) / 2
        i = min(range(len(ys)), key=lambda k: abs(ys[k] - y))
        h_at.setdefault(i, []).append((r.x0, r.x1))
    v_at: dict[int, list[tuple[float, float]]] = {}
    for r in vs:
        x = (r.x0 + r.x1) / 2
        j = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
        v_at.setdefault(j, []).append((r.top, r.bottom))
    parent = {(i, j): (i, j) for i in range(nr) for j in range(nc)}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(nr):
        for j in range(nc):
            if j + 1 < nc and not covered(v_at.get(j + 1, ()), ys[i], ys[i + 1]):
                parent[find((i, j))] = find((i, j + 1))
            if i + 1 < nr and not covered(h_at.get(i + 1, ()), xs[j], xs[j + 1]):
                parent[find((i, j))] = find((i + 1, j))
    spans: dict[tuple[int, int], list[int]] = {}
    for box in parent:
        root = find(box)
        s = spans.setdefault(root, [box[0], box[1], box[0], box[1]])
        s[0], s[1] = min(s[0], box[0]), min(s[1], box[1])
        s[2], s[3] = max(s[2], box[0]), max(s[3], box[1])
    grid = _Grid(number, xs, ys)
    for box in parent:
        grid.cells[box] = tuple(spans[find(box)])
    return grid


def _grid_rows(grid: _Grid, words: list[Word]) -> list[tuple[float, list[Scored]]]:
    """Each grid row's top and its cells as Word gives them (one per merged cell, "" where one continues)."""
    content: dict[tuple[int, int, int, int], list[Word]] = {}
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        i = bisect.bisect_right(grid.ys, cy) - 1
        j = bisect.bisect_right(grid.xs, cx) - 1
        if 0 <= i < len(grid.ys) - 1 and 0 <= j < len(grid.xs) - 1:
            content.setdefault(grid.cells[i, j], []).append(w)
    rows = []
    for i in range(len(grid.ys) - 1):
        row: list[Scored] = []
        j = 0
        while j < len(grid.xs) - 1:
            cell = grid.cells[i, j]
            r0, c0, r1, c1 = cell
            if r0 < i:
                row.append(Scored(""))
            else:
                cell_words = content.get(cell, [])
                text = "".join(_join(line) for line in _visual_lines(cell_words))
                row.append(Scored(text, min((w.confidence for w in cell_words), default=1.0)))
            j = c1 + 1
        rows.append((grid.ys[i], row))
    return rows


def _inside(w: Word, grids: list[_Grid]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return any(g.xs[0] <= cx <= g.xs[-1] and g.ys[0] <= cy <= g.ys[-1] for g in grids)


# -- pages into lines ---------------------------------------------------------------------------


def _furniture(pages: Sequence[Page], lines_by_page: dict[int, list[_TextLine]]) -> set[tuple[int, int]]:
    """(page, line number) of page numbers and running heads: margin lines that are numbers or repeat."""
    seen: dict[str, int] = {}
    margin: list[tuple[_TextLine, str]] = []
    for page in pages:
        for tl in lines_by_page.get(page.number, []):
            if tl.bottom < page.height * MARGIN_SHARE or tl.top > page.height * (1 - MARGIN_SHARE):
                shape = re.sub(r"\d+", "#", "".join(tl.text().split()))
                margin.append((tl, shape))
                seen[shape] = seen.get(shape, 0) + 1
    return {(tl.page, tl.number) for tl, shape in margin
            if _PAGE_NUMBER.match(tl.text()) or (seen[shape] >= 2 and len(pages) >= 2)}


def page_lines(pages: Sequence[Page]) -> list[Line]:
    """The Line stream of positioned pages: narrative reflowed into paragraphs, tables row by row."""
    items: list[tuple[int, float, str, object]] = []  # (page, top, kind, payload)
    lines_by_page: dict[int, list[_TextLine]] = {}
    numbers: dict[int, list[float]] = {}
    for page in pages:
        grids = _grids(page)
        visual = _visual_lines(page.words)
        numbers[page.number] = [min(w.top for w in ln) for ln in visual]
        outside = [w for w in page.words if not _inside(w, grids)] if grids else list(page.words)
        text_lines = []
        for ln in _visual_lines(outside):
            top = min(w.top for w in ln)
            text_lines.append(_TextLine(page.number, _line_number(numbers[page.number], top), ln))
        lines_by_page[page.number] = text_lines
        for tl in text_lines:
            items.append((page.number, tl.top, "text", tl))
        for g in grids:
            inside = [w for w in page.words if g.xs[0] <= (w.x0 + w.x1) / 2 <= g.xs[-1]
                      and g.ys[0] <= (w.top + w.bottom) / 2 <= g.ys[-1]]
            items.append((page.number, g.ys[0], "grid", (g, inside)))
    dropped = _furniture(pages, lines_by_page)
    items.sort(key=lambda it: (it[0], it[1]))
    heights = {p.number: p.height for p in pages}
    out: list[Line] = []
    paragraph: list[_TextLine] = []
    margins = _margins(lines_by_page, dropped)
    table_key: str | None = None
    table_no = 0
    last_grid_bottom: tuple[int, float] | None = None
    for page_no, top, kind, payload in items:
        if kind == "text":
            tl = payload
            if (tl.page, tl.number) in dropped:
                continue
            if paragraph and not _continues(paragraph[-1], tl, margins):
                out.append(_paragraph_line(paragraph))
                paragraph = []
            paragraph.append(tl)
            last_grid_bottom = None  # text after a table ends it; a table further on is another
            continue
        if paragraph:
            out.append(_paragraph_line(paragraph))
            paragraph = []
        grid, words = payload
        rows = _grid_rows(grid, words)
        text = "".join("".join(r) for _, r in rows)
        which = identify_table(text)
        continued = (last_grid_bottom is not None and last_grid_bottom[0] == page_no - 1 and table_key is not None
                     and grid.ys[0] < heights[page_no] * 0.3 and which in (None, table_key))
        if continued:
            which = table_key
        elif which is None:
            table_key = None
            last_grid_bottom = None
            out += [Line(_where(page_no, _line_number(numbers[page_no], y)), "\t".join(r),
                         place=(page_no, _line_number(numbers[page_no], y))) for y, r in rows if any(r)]
            continue
        else:
            table_no += 1
        table_key = which
        name = L.TABLE_BY_KEY[which].name
        for y, r in rows:
            n = _line_number(numbers[page_no], y)
            out.append(Line(f"{name}（原文第 {page_no} 页第 {n} 行）", "\t".join(r), which, tuple(r), place=(page_no, n)))
        last_grid_bottom = (page_no, grid.ys[-1])
    if paragraph:
        out.append(_paragraph_line(paragraph))
    return out


def _where(page: int, line: int) -> str:
    return f"原文第 {page} 页第 {line} 行"


def _line_number(tops: list[float], y: float) -> int:
    return max(1, bisect.bisect_right(tops, y + 1.0))


def _margins(lines_by_page: dict[int, list[_TextLine]], dropped) -> dict[int, tuple[float, float]]:
    """Each page's text margins (left, right) as its longer narrative lines show them."""
    out = {}
    for page, lines in lines_by_page.items():
        body = [tl for tl in lines if (tl.page, tl.number) not in dropped]
        if not body:
            continue
        lefts = sorted(tl.x0 for tl in body)
        rights = sorted(tl.x1 for tl in body)
        out[page] = (lefts[len(lefts) // 10], rights[min(len(rights) - 1, len(rights) * 9 // 10)])
    return out


def _continues(a: _TextLine, b: _TextLine, margins: dict[int, tuple[float, float]]) -> bool:
    """Whether line ``b`` continues the paragraph that line ``a`` ends (a line break inside a sentence)."""
    if a.page not in margins or b.page not in margins:
        return False
    left_a, right_a = margins[a.page]
    left_b, _ = margins[b.page]
    size = max(a.height, 1.0)
    if a.x1 < right_a - size * 1.5:
        return False  # a short line ends its paragraph
    if b.x0 > left_b + size * 0.8:
        return False  # an indented line starts one
    if a.page == b.page and b.top - a.bottom > size * 1.2:
        return False
    text = fold(b.text()).strip()
    if heading_candidates(text) or match_topic_heading(text) or _PAGE_NUMBER.match(text):
        return False
    return True


def _paragraph_line(lines: list[_TextLine]) -> Line:
    text = ""
    for tl in lines:
        part = tl.text()
        if text and text[-1:].isascii() and text[-1:].isalnum() and part[:1].isascii() and part[:1].isalnum():
            text += " "
        text += part
    first = lines[0]
    return Line(_where(first.page, first.number), text, place=(first.page, first.number))


def read_pages(builder: ReportBuilder, pages: Sequence[Page]) -> "Report":  # noqa: F821 - for readers
    """The report on positioned pages (a PDF's text layer or a scan's OCR)."""
    from .text import read_lines

    return read_lines(builder, page_lines(pages))
