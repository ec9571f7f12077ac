"""Page breaking for the printed report, with no Qt in it: measured pieces in, pages out.

The pieces are the lines of paragraphs and the rows of tables, each with its height and whether it must
stay on the same page as the next piece (a heading with what follows, the first two and last two lines of
a paragraph, a table header with two data rows, the rows of a merged label that is kept whole, the whole
of a table that is kept on one page). A page break inside a table starts the next page with the table's
header rows again. Nothing is ever placed below the text block: a chain that cannot fit on any page is
split at the last piece that fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Piece:
    """One unbreakable piece of the flow. ``table`` and ``row`` are set for a table row."""

    height: float
    keep_with_next: bool = False
    table: int | None = None
    row: int | None = None
    space: bool = False  # vertical space that disappears at the top of a page
    payload: object = None


@dataclass
class TableHead:
    """The rows repeated at the top of every page a table continues on, and their height."""

    height: float
    rows: tuple[int, ...]


@dataclass
class Placed:
    piece: Piece
    y: float


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    repeated: list[tuple[int, float]] = field(default_factory=list)  # (table, y) of a repeated header


def paginate(pieces: list[Piece], heads: dict[int, TableHead], page_height: float) -> list[Page]:
    """Lay ``pieces`` out on pages ``page_height`` tall; see the module docstring for the rules."""
    pages = [Page()]
    y = 0.0
    i = 0
    n = len(pieces)
    while i < n:
        j = _chain_end(pieces, i)
        chain = pieces[i:j + 1]
        height = sum(p.height for p in chain)
        page = pages[-1]
        at_top = not page.placed
        if at_top and chain[0].space:
            i += 1
            continue
        head = _continuing_head(pieces, i, heads) if at_top else 0.0
        if y + head + height <= page_height + 1e-6:
            y = _place(page, pieces, i, j, y, heads, at_top)
            i = j + 1
            continue
        if not at_top:
            pages.append(Page())
            y = 0.0
            continue
        # The chain is taller than a page: place what fits, then carry on on the next page.
        k = i
        room = page_height - head
        used = 0.0
        while k <= j and used + pieces[k].height <= room + 1e-6:
            used += pieces[k].height
            k += 1
        k = max(k, i + 1)  # a single piece taller than the page still goes somewhere
        y = _place(page, pieces, i, k - 1, y, heads, at_top)
        i = k
        if i < n:
            pages.append(Page())
            y = 0.0
    if len(pages) > 1 and not pages[-1].placed:
        pages.pop()
    return pages


def _chain_end(pieces: list[Piece], i: int) -> int:
    j = i
    while j < len(pieces) - 1 and pieces[j].keep_with_next:
        j += 1
    return j


def _continuing_head(pieces: list[Piece], i: int, heads: dict[int, TableHead]) -> float:
    """Height of the header repeated above ``pieces[i]`` when it continues a table on a new page."""
    p = pieces[i]
    if p.table is None or p.table not in heads:
        return 0.0
    head = heads[p.table]
    if p.row in head.rows:
        return 0.0
    previous = pieces[i - 1] if i else None
    if previous is None or previous.table != p.table:
        return 0.0
    return head.height


def _place(page: Page, pieces: list[Piece], i: int, j: int, y: float, heads: dict[int, TableHead],
           at_top: bool) -> float:
    if at_top:
        head = _continuing_head(pieces, i, heads)
        if head:
            page.repeated.append((pieces[i].table, y))
            y += head
    for k in range(i, j + 1):
        page.placed.append(Placed(pieces[k], y))
        y += pieces[k].height
    return y
