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
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from .. import layout as L
from ..normalize import fold, is_figure_token, key
from .builder import ReportBuilder, RowMatcher, heading_candidates, match_topic_heading
from .office import identify_table
from .pages import Page, Rule, Scored, Word, union, word_box
from .text import Line

MARGIN_SHARE = 0.1  # the top and bottom tenth of a page hold running heads and page numbers
MIN_MARGIN_LINES = 8  # lines of text a page needs to show its own margins
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*)?(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3})?(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?"
                          r"(?:\s*[-—–－])?\s*$")
_SENTENCE_END = "。！？；…”」』）)"


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
    """Words grouped into lines by vertical overlap, each line left to right, lines top to bottom.

    Overlap rather than equal tops: digits set in another font sit a little higher or lower than the
    characters around them, and must stay on their line."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    bands: list[list[float]] = []  # per line: top, bottom of its first word (the line's band)
    for w in ordered:
        height = max(w.bottom - w.top, 0.1)
        placed = False
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bands[k]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(height, bottom - top):
                lines[k].append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
            bands.append([w.top, w.bottom])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    order = sorted(range(len(lines)), key=lambda k: bands[k][0])
    return [lines[k] for k in order]


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


def _without_slivers(edges: list[float], least: float) -> list[float]:
    """Edges with the gaps between double borders and adjacent frames (narrower than ``least``) closed."""
    out: list[float] = []
    for e in edges:
        if out and e - out[-1] < least:
            if len(out) == 1:
                continue  # keep the outer edge
            out[-1] = (out[-1] + e) / 2 if e != edges[-1] else e
            continue
        out.append(e)
    return out


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
    # Only where several rules agree: a bordered paragraph next to the table (two vertical lines) does not
    # stretch it; a left column drawn without its outer border (rows separated by rules) does.
    def outer(pairs: list[tuple[float, float]], first: bool, least: int) -> float | None:
        """The extent that rules at ``least`` distinct rows or columns reach."""
        if len(_cluster(p for p, _ in pairs)) < least:
            return None
        ends = sorted((e for _, e in pairs), reverse=not first)
        return ends[1]

    left = outer([((r.top + r.bottom) / 2, r.x0) for r in hs if xs and r.x0 < xs[0] - 3], True, 2)
    right = outer([((r.top + r.bottom) / 2, r.x1) for r in hs if xs and r.x1 > xs[-1] + 3], False, 2)
    top = outer([((r.x0 + r.x1) / 2, r.top) for r in vs if ys and r.top < ys[0] - 3], True, max(3, len(xs) // 2))
    bottom = outer([((r.x0 + r.x1) / 2, r.bottom) for r in vs if ys and r.bottom > ys[-1] + 3], False, max(3, len(xs) // 2))
    if left is not None:
        xs.insert(0, left)
    if right is not None:
        xs.append(right)
    if top is not None:
        ys.insert(0, top)
    if bottom is not None:
        ys.append(bottom)
    xs, ys = _without_slivers(xs, 3.0), _without_slivers(ys, 5.0)
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
                # where it was read: its words, or the ruled box itself when it is empty
                box = union(map(word_box, cell_words)) or (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1])
                row.append(Scored(text, min((w.confidence for w in cell_words), default=1.0), box, grid.page))
            j = c1 + 1
        rows.append((grid.ys[i], row))
    return rows


def _inside(w: Word, grids: list[_Grid]) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return any(g.xs[0] <= cx <= g.xs[-1] and g.ys[0] <= cy <= g.ys[-1] for g in grids)


# -- pages into lines ---------------------------------------------------------------------------


def _furniture(pages: Sequence[Page], lines_by_page: dict[int, list[_TextLine]]) -> set[tuple[int, int]]:
    """(page, line number) of page numbers and running heads.

    A page number is a first or last line of a page that reads as one (「— 3 —」「第 3 页 共 8 页」); a
    running head or foot is a line in the top or bottom margin that repeats on other pages (digits aside).
    """
    seen: dict[str, int] = {}
    margin: list[tuple[_TextLine, str]] = []
    dropped = set()
    for page in pages:
        lines = lines_by_page.get(page.number, [])
        for tl in lines[:2] + lines[-2:]:
            if _PAGE_NUMBER.match(tl.text()):
                dropped.add((tl.page, tl.number))
        for tl in lines:
            if tl.bottom < page.height * MARGIN_SHARE or tl.top > page.height * (1 - MARGIN_SHARE):
                shape = re.sub(r"\d+", "#", "".join(tl.text().split()))
                margin.append((tl, shape))
                seen[shape] = seen.get(shape, 0) + 1
    dropped |= {(tl.page, tl.number) for tl, shape in margin if seen[shape] >= 2 and len(pages) >= 2}
    return dropped


def page_lines(pages: Sequence[Page]) -> list[Line]:
    """The Line stream of positioned pages: narrative reflowed into paragraphs, tables row by row."""
    items: list[tuple[int, float, str, object]] = []  # (page, top, kind, payload)
    lines_by_page: dict[int, list[_TextLine]] = {}
    numbers: dict[int, list[float]] = {}
    previous_had_grid = False
    for page in pages:
        grids = _grids(page)
        # One row of boxes is a frame around words (bordered spans), unless it is the last row of a
        # table broken by the page, alone at the top of the next page.
        first_word = min((w.top for w in page.words if w.top > page.height * MARGIN_SHARE), default=page.height)
        grids = [g for g in grids if len(g.ys) > 2 or (previous_had_grid and g.ys[0] <= first_word + 2)]
        previous_had_grid = bool(grids)
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
    header_rows: set[str] = set()
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
                         place=(page_no, _line_number(numbers[page_no], y)), box=_row_box(r))
                    for y, r in rows if any(r)]
            continue
        else:
            table_no += 1
            header_rows = _header_rows(rows)
        table_key = which
        name = L.TABLE_BY_KEY[which].name
        boxed = False
        if continued:
            rows = _continue_rows(rows, header_rows, out, which)
        for y, r in rows:
            n = _line_number(numbers[page_no], y)
            if boxed or _boxed_paragraph(r):
                # Paragraphs drawn in boxes under a table share its border: a heading or a sentence alone
                # across the table ends it.
                boxed = True
                if any(r):
                    out.append(Line(_where(page_no, n), "".join(r), place=(page_no, n), box=_row_box(r)))
                continue
            out.append(Line(f"{name}（原文第 {page_no} 页第 {n} 行）", "\t".join(r), which, tuple(r), place=(page_no, n),
                            box=_row_box(r)))
        last_grid_bottom = None if boxed else (page_no, grid.ys[-1])
    if paragraph:
        out.append(_paragraph_line(paragraph))
    return out


def _header_rows(rows) -> set[str]:
    """The texts of a table's header rows (those above its first row of figures), to know them when repeated."""
    out = set()
    for _, r in rows:
        if any(is_figure_token(c) for c in r if c.strip()):
            break
        out.add(key("".join(r)))
    return out


def _continue_rows(rows, header_rows: set[str], out: list[Line], table: str):
    """The rows of a table's continuation on the next page: a repeated header dropped, and a row broken by the
    page joined to its first part (cell by cell, when both parts have the same cells)."""
    previous = next((ln for ln in reversed(out) if ln.table == table and ln.cells is not None), None)
    kept = list(rows)
    while kept and (key("".join(kept[0][1])) in header_rows or
                    (previous is not None and list(kept[0][1]) == list(previous.cells))):
        kept.pop(0)  # a header repeated at the top of the page (or the last row drawn again)
    if not kept or previous is None:
        return kept
    y, first = kept[0]
    labels = [c for c in first if c.strip() and not is_figure_token(c)]
    if not labels or _STARTS_ROW.match(fold(labels[0])):
        return kept
    if not any(is_figure_token(c) for c in previous.cells if c.strip()):
        return kept  # the row above is a header, not a row broken by the page
    matcher = RowMatcher(L.TABLE_BY_KEY[table])
    before = "".join(c for c in previous.cells if c.strip() and not is_figure_token(c))
    whole = matcher.match(before)
    own = matcher.match("".join(labels))
    if (whole is not None and whole.exact) or (own is not None and own.exact):
        return kept  # the row above is complete, or this one is a row of its own
    if len(first) != len(previous.cells):
        if any(is_figure_token(c) for c in first if c.strip()):
            # figures on both sides of the page break that cannot be paired cell by cell: the first part's
            # figures may be cut, so none of them is trusted (the reader then says the row was not read)
            blanked = tuple(Scored("", 1.0, getattr(c, "box", None), getattr(c, "page", None))
                            if is_figure_token(c) and c.strip() else c for c in previous.cells)
            out[out.index(previous)] = replace(previous, text="\t".join(blanked), cells=blanked)
        return kept
    merged = tuple(_joined(a, b) for a, b in zip(previous.cells, first))
    out[out.index(previous)] = replace(previous, text="\t".join(merged), cells=merged)
    return kept[1:]


def _joined(a: str, b: str) -> Scored:
    """A cell broken by the page: its two parts' text, the lower confidence, and where its text mostly is."""
    confidence = min(getattr(a, "confidence", 1.0), getattr(b, "confidence", 1.0))
    where = a if a.strip() or not b.strip() else b
    return Scored(a + b, confidence, getattr(where, "box", None), getattr(where, "page", None))


def _row_box(cells: Sequence[str]) -> tuple[float, float, float, float] | None:
    """Where a table row is on its page: around its cells (continuation cells of a merge have no box)."""
    pages = {getattr(c, "page", None) for c in cells} - {None}
    if len(pages) != 1:
        return None  # a row joined across a page break is shown by its cells
    return union(getattr(c, "box", None) for c in cells)


# how an official row label begins: 一、 （一） 1. — a broken row's second part begins otherwise
_STARTS_ROW = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[.．、])")


def _boxed_paragraph(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return False
    text = fold(filled[0]).strip()
    return bool(heading_candidates(text)) or (len(text) > 15 and text[-1:] in "。；")


def _where(page: int, line: int) -> str:
    return f"原文第 {page} 页第 {line} 行"


def _line_number(tops: list[float], y: float) -> int:
    return max(1, bisect.bisect_right(tops, y + 1.0))


def _margins(lines_by_page: dict[int, list[_TextLine]], dropped) -> dict[int, tuple[float, float]]:
    """Each page's text margins (left, right) as its longer narrative lines show them. A page of tables with a
    few lines of text beside them shows too little: it takes the margins of the whole document."""

    def edges(body: list[_TextLine]) -> tuple[float, float]:
        lefts = sorted(tl.x0 for tl in body)
        rights = sorted(tl.x1 for tl in body)
        return lefts[len(lefts) // 10], rights[min(len(rights) - 1, len(rights) * 9 // 10)]

    bodies = {page: [tl for tl in lines if (tl.page, tl.number) not in dropped]
              for page, lines in lines_by_page.items()}
    everything = [tl for body in bodies.values() for tl in body]
    whole = edges(everything) if everything else None
    return {page: edges(body) if len(body) >= MIN_MARGIN_LINES else whole for page, body in bodies.items() if body}


def _continues(a: _TextLine, b: _TextLine, margins: dict[int, tuple[float, float]]) -> bool:
    """Whether line ``b`` continues the paragraph that line ``a`` ends (a line break inside a sentence)."""
    if a.page not in margins or b.page not in margins:
        return False
    left_a, right_a = margins[a.page]
    left_b, _ = margins[b.page]
    if _figure_row(a.words) or _figure_row(b.words):
        return False  # a table row without ruling lines (a scan): each line is a row
    size = max(a.height, 1.0)
    ended = fold(a.text()).rstrip()[-1:] in _SENTENCE_END
    if a.x1 < right_a - size * 1.5 and (ended or a.x1 < left_a + (right_a - left_a) * 0.6):
        return False  # a short line ends its paragraph (a long one without a full stop was wrapped early)
    if b.x0 > left_b + size * 0.8:
        return False  # an indented line starts one
    if a.page == b.page and b.top - a.bottom > size * 1.2:
        return False
    if abs(a.height - b.height) > 0.15 * max(a.height, b.height):
        return False  # another font size: a title above the text, a note below it
    text = fold(b.text()).strip()
    if heading_candidates(text) or match_topic_heading(text) or _PAGE_NUMBER.match(text):
        return False
    return True


def _paragraph_line(lines: list[_TextLine]) -> Line:
    text = ""
    for tl in lines:
        part = tl.text()
        if text and text[-1:].isascii() and text[-1:].isalpha() and part[:1].isascii() and part[:1].isalpha():
            text += " "
        text += part
    first = lines[0]
    cells = None
    if len(lines) == 1 and _figure_row(first.words):
        # each word its own cell, so every figure keeps its words' confidence and its place
        cells = tuple(Scored(w.text, w.confidence, word_box(w), first.page) for w in first.words)
    box = union(word_box(w) for tl in lines if tl.page == first.page for w in tl.words)
    return Line(_where(first.page, first.number), text, cells=cells, place=(first.page, first.number), box=box)


def _figure_row(words: Sequence[Word]) -> bool:
    """A line ending in two or more figures: a table row drawn without ruling lines."""
    return len(words) >= 3 and all(is_figure_token(w.text) for w in words[-2:])


def read_pages(builder: ReportBuilder, pages: Sequence[Page]) -> "Report":  # noqa: F821 - for readers
    """The report on positioned pages (a PDF's text layer or a scan's OCR)."""
    from .text import read_lines

    return read_lines(builder, page_lines(pages))
