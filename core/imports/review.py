"""The source of an imported report as the 导入核对 view shows it: its pages as images (a PDF or a scan), or
the lines the reader saw (text, web pages, Word, Excel), and where each cell and note was read.

The import record keeps the places (:class:`~core.model.SourcePlace`) and the lines; the pages are drawn
again from the file itself, and only when it is still the file that was read (same SHA-256): a box on
another version of the file would outline the wrong figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import layout as L
from ..model import ImportRecord, Note, Report, SourceLine, SourcePlace

PAGED_FORMATS = ("pdf", "scan")


@dataclass
class SourcePage:
    """One page to show: its size in points and a PNG of it at any resolution."""

    number: int
    width: float
    height: float
    render: Callable[[float], bytes]


@dataclass
class ReviewSource:
    name: str
    lines: list[SourceLine] = field(default_factory=list)
    pages: list[SourcePage] = field(default_factory=list)
    remark: str = ""  # why pages that should be shown are not (file moved or changed), else ""
    close: Callable[[], None] = lambda: None


def open_source(record: ImportRecord, path: str | Path | None = None) -> ReviewSource:
    """The source of ``record`` for the review view; ``path`` is where the user says the file is now."""
    source = ReviewSource(record.source or "原文", list(record.source_lines))
    if record.source_format not in PAGED_FORMATS:
        return source
    where = Path(path) if path else (Path(record.source_path) if record.source_path else None)
    if where is None:
        source.remark = "导入时未记录原文件的位置，无法显示原文页面"
        return source
    from . import source_identity

    if not where.is_file():
        source.remark = f"找不到原文件「{where}」，无法显示原文页面"
        return source
    if record.source_digest and source_identity(where)[1] != record.source_digest:
        source.remark = f"「{where.name}」与导入时的文件不同（已修改或是另一个文件），页面上的位置可能不对应，未显示原文页面"
        return source
    try:
        if record.source_format == "scan":
            _scan_pages(source, where)
        else:
            _pdf_pages(source, where)
    except Exception as e:  # noqa: BLE001 — the view then shows the lines; the import itself stays as it is
        from ..errors import ReportFileError

        source.pages = []
        source.remark = str(e) if isinstance(e, ReportFileError) else f"无法显示「{where.name}」的页面"
    return source


def _pdf_pages(source: ReviewSource, path: Path) -> None:
    from .pdf import PDFIUM_LOCK, _open, render_png

    with PDFIUM_LOCK:
        document = _open(path)
        for index in range(len(document)):
            width, height = document[index].get_size()
            source.pages.append(SourcePage(index + 1, width, height,
                                           lambda dpi, i=index: render_png(document, i, dpi)))
    source.close = lambda: _locked(document.close)


def _locked(call: Callable[[], None]) -> None:
    from .pdf import PDFIUM_LOCK

    with PDFIUM_LOCK:
        call()


def _scan_pages(source: ReviewSource, path: Path) -> None:
    """A scan's pages straightened as they were read (so a box lands on its figure); without the recognition
    component, as they are (a page turned slightly puts boxes slightly off)."""
    from . import scan
    from .pdf import PDFIUM_LOCK, _open, render_png

    straight = scan.component_available()
    with PDFIUM_LOCK:
        document = _open(path)
        for index in range(len(document)):
            width, height = document[index].get_size()
            if straight:
                render = lambda dpi, i=index: _straightened(path, i + 1, dpi)  # noqa: E731
            else:
                render = lambda dpi, i=index: render_png(document, i, dpi)  # noqa: E731
            source.pages.append(SourcePage(index + 1, width, height, render))
    source.close = lambda: _locked(document.close)


def _straightened(path: Path, number: int, dpi: float) -> bytes:
    from . import scan
    from .pdf import PDFIUM_LOCK

    with PDFIUM_LOCK:
        images = scan.pdf_images(path, first=number)
        try:
            scanned = next(images)
        finally:
            images.close()  # the document closes now, under the lock, not whenever it is collected
    gray, _ = scan.straighten(scanned.image, scanned.dpi)
    return scan._renderer(gray, scanned.dpi)(dpi)


# -- what the view marks ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellMark:
    """How a cell of the read tables is marked: not read (blank after import), assumed or doubtful (a note on
    it), or read as printed."""

    NOT_READ = "not_read"
    ASSUMED = "assumed"
    READ = "read"

    state: str
    notes: tuple[int, ...] = ()  # indexes of the notes about this cell


def cell_marks(report: Report) -> dict[tuple[str, str, str], CellMark]:
    """Every input cell of the three tables, and how the 导入核对 view marks it."""
    record = report.imported
    notes = record.notes if record else []
    about: dict[tuple[str, str, str], list[int]] = {}
    for i, n in enumerate(notes):
        loc = n.location
        table, row, column = loc.get("table"), loc.get("row"), loc.get("column")
        if table not in L.TABLE_BY_KEY:
            continue
        layout = L.TABLE_BY_KEY[table]
        if row and column:
            cells = [(row, column)]
        elif row:
            cells = [(row, c) for c in layout.input_columns.get(row, ())]
        else:
            continue  # a note about a whole table is a list entry, not a mark on every cell
        for r, c in cells:
            about.setdefault((table, r, c), []).append(i)
    out = {}
    for layout in L.TABLES:
        for row, col, value in report.table(layout.key).inputs():
            key = (layout.key, row, col)
            said = tuple(about.get(key, ()))
            if value is None:
                out[key] = CellMark(CellMark.NOT_READ, said)
            elif said:
                out[key] = CellMark(CellMark.ASSUMED, said)
            else:
                out[key] = CellMark(CellMark.READ)
    return out


def note_place(note: Note, record: ImportRecord) -> SourcePlace | None:
    """Where a note leads in the source: the place the reader recorded, or the page and box a scan note names,
    or the place of the cell it is about."""
    if note.source is not None:
        return note.source
    loc = note.location
    page, box = loc.get("page"), loc.get("box")
    if isinstance(page, int) and page >= 1:
        try:
            return SourcePlace(page=page, box=box)
        except ValueError:
            return SourcePlace(page=page)
    if loc.get("table") and loc.get("row") and loc.get("column"):
        return record.cell_source(loc["table"], loc["row"], loc["column"])
    return None
