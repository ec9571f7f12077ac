"""Read a report from a PDF with a text layer: what Word/WPS "另存为 PDF" and print drivers produce.

pypdfium2 (PDFium, the engine of Chrome's viewer; BSD/Apache licensed, a prebuilt wheel with no system
library) gives every character with its box and every drawn path. Characters become words, thin paths and
the edges of rectangles become ruling lines, and :mod:`core.imports.rebuild` turns those pages into
tables and paragraphs. PDFium parses in C, about 20× faster than a pure-Python parser on a report, and
renders pages for the 导入核对 view with the same library.

Hostile files are bounded: size, pages, objects and characters per page, and a time budget per file; every
failure is a Chinese sentence. A PDF without a text layer (a scan) is refused with :class:`ScannedPdfError`,
which the scan reader can catch to offer OCR instead.
"""

from __future__ import annotations

import ctypes
import re
import struct
import threading
import time
import zlib
from pathlib import Path

from ..errors import ReportFileError, os_reason
from ..model import Report
from .builder import ReportBuilder
from .pages import Page, Rule, Word

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PAGES = 300  # a report is some 5–30 pages; a compiled volume of a county's reports stays well under this
MAX_OBJECTS = 50_000  # page objects (text runs, paths, images) of one page
MAX_CHARS = 60_000  # characters on one page (a dense A4 page holds about 2,000)
TIME_BUDGET = 20.0  # seconds for one file
# Where the cross-reference table is lost, PDFium rebuilds it, and the cost grows with (streams without their
# ``endstream``) × (bytes): 83 CPU-s for 7,800 such streams in 4.2 MB, inside one C call that no time budget can
# stop. A file over this product is refused before PDFium sees it.
MAX_REBUILD_SCAN = 2 * 10**8
_SPACE = frozenset(" \t\r\n\u3000\u00a0\ufffe\uffff\x00")


class PdfImportError(ReportFileError):
    pass


class ScannedPdfError(PdfImportError):
    """The PDF has no text layer: its pages are images (a scan). OCR can read it, this reader cannot."""


# PDFium allows one call at a time in the whole process, whatever the document: a batch check reads PDFs in a
# worker thread while the 导入核对 view draws pages on the GUI thread, so every use here takes this lock.
PDFIUM_LOCK = threading.RLock()


def read_pdf(path: str | Path) -> Report:
    from .rebuild import read_pages

    path = Path(path)
    pages = pdf_pages(path)
    return read_pages(ReportBuilder(source=path.name, source_format="pdf"), pages)


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        size = path.stat().st_size
    except OSError as e:
        raise PdfImportError(f"无法读取「{path.name}」：{os_reason(e)}") from e
    if size > MAX_FILE_BYTES:
        raise PdfImportError(f"「{path.name}」有 {size // 1024 // 1024} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB，"
                             f"不像是年度报告，未打开")
    try:
        # From memory, not by name: the pages outlive the read (导入核对 draws them), and a file PDFium holds
        # open cannot be moved, renamed or deleted on Windows.
        data = path.read_bytes()
    except OSError as e:
        raise PdfImportError(f"无法读取「{path.name}」：{os_reason(e)}") from e
    if b"%PDF" not in data[:1024]:
        raise PdfImportError(f"「{path.name}」不是 PDF 文件（文件开头没有 PDF 标记），可能已损坏或改了扩展名")
    _refuse_slow_repair(data, path.name)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        text = str(e)
        if "password" in text.lower():
            raise PdfImportError(f"「{path.name}」设有打开密码，请先在 PDF 阅读器中去除密码后再导入") from None
        raise PdfImportError(f"「{path.name}」已损坏，无法作为 PDF 读取") from None
    except Exception:
        raise PdfImportError(f"「{path.name}」已损坏，无法作为 PDF 读取") from None


def _xref_found(data: bytes) -> bool:
    """Whether ``startxref`` points at a cross-reference table or stream (then PDFium need not rebuild it)."""
    at = data.rfind(b"startxref", max(0, len(data) - 4096))
    found = re.match(rb"\s*(\d{1,12})", data[at + 9:at + 40]) if at >= 0 else None
    if not found:
        return False
    offset = int(found.group(1))
    return data[offset:offset + 4] == b"xref" or re.match(rb"\d+\s+\d+\s+obj", data[offset:offset + 40]) is not None


def _refuse_slow_repair(data: bytes, name: str) -> None:
    if _xref_found(data):
        return
    unterminated = data.count(b"stream") - 2 * data.count(b"endstream")  # "endstream" holds "stream" once
    if unterminated > 0 and unterminated * len(data) > MAX_REBUILD_SCAN:
        raise PdfImportError(f"「{name}」已损坏：文件末尾的对象目录（交叉引用表）失效，且有 {unterminated} 个数据流"
                             f"缺少结束标记，修复读取需要的时间过长，未打开。可用 PDF 阅读器打开它并另存为新的 PDF 后再导入")


def pdf_pages(path: Path) -> list[Page]:
    """The positioned words and ruling lines of every page; the document stays open for rendering."""
    with PDFIUM_LOCK:
        return _pdf_pages(path)


def _pdf_pages(path: Path) -> list[Page]:
    started = time.monotonic()
    document = _open(path)
    try:
        count = len(document)
    except Exception:
        raise PdfImportError(f"「{path.name}」已损坏，无法读取页数") from None
    if count == 0:
        raise PdfImportError(f"「{path.name}」没有任何页面")
    if count > MAX_PAGES:
        raise PdfImportError(f"「{path.name}」有 {count} 页，超过 {MAX_PAGES} 页，不像是一份年度报告，未打开")
    pages = []
    for index in range(count):
        if time.monotonic() - started > TIME_BUDGET:
            raise PdfImportError(f"「{path.name}」读取超过 {TIME_BUDGET:.0f} 秒仍未完成（第 {index + 1} 页），"
                                 f"文件可能有异常结构，已停止")
        try:
            pages.append(_page(document, index, path.name))
        except PdfImportError:
            raise
        except Exception:
            raise PdfImportError(f"「{path.name}」第 {index + 1} 页已损坏，无法读取") from None
    if not any(p.words for p in pages):
        raise ScannedPdfError(f"「{path.name}」没有文字层（是扫描件或图片），无法读取其中的文字和表格；"
                              f"请使用原始的 Word/WPS 文件，或导出带文字的 PDF 后再导入")
    return pages


def has_text_layer(path: str | Path) -> bool:
    """Whether a PDF carries text (False for a scan); for routing scans to OCR."""
    try:
        pdf_pages(Path(path))
    except ScannedPdfError:
        return False
    return True


def _page(document, index: int, name: str) -> Page:
    import pypdfium2.raw as raw

    page = document[index]
    width, height = page.get_size()
    objects = raw.FPDFPage_CountObjects(page.raw)
    if objects > MAX_OBJECTS:
        raise PdfImportError(f"「{name}」第 {index + 1} 页有 {objects} 个绘图对象，远超正常页面，未读取")
    words = _words(page, height, index, name)
    rules = _rules(page, height)
    return Page(number=index + 1, width=width, height=height, words=words, rules=rules,
                render=lambda dpi, d=document, i=index: render_png(d, i, dpi))


def _words(page, height: float, index: int, name: str) -> list[Word]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    if n > MAX_CHARS:
        raise PdfImportError(f"「{name}」第 {index + 1} 页有 {n} 个字符，远超正常页面，未读取")
    rect = raw.FS_RECTF()
    words: list[Word] = []
    run: list[str] = []
    box = None  # x0, top, x1, bottom of the current word

    def close():
        nonlocal box
        if run and box is not None:
            words.append(Word(box[0], box[1], box[2], box[3], "".join(run)))
        run.clear()
        box = None

    for i in range(n):
        code = raw.FPDFText_GetUnicode(tp, i)
        if code == 0 or raw.FPDFText_IsGenerated(tp, i) == 1:
            close()
            continue
        try:
            char = chr(code)
        except (ValueError, OverflowError):
            close()
            continue
        if char in _SPACE or char.isspace():
            close()
            continue
        if not raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect)):
            continue
        x0, x1 = min(rect.left, rect.right), max(rect.left, rect.right)
        top, bottom = height - max(rect.top, rect.bottom), height - min(rect.top, rect.bottom)
        if x1 - x0 <= 0 or bottom - top <= 0:
            continue
        if box is not None:
            size = max(box[3] - box[1], 1.0)
            centre = (top + bottom) / 2
            if not (box[1] - 0.5 <= centre <= box[3] + 0.5) or x0 - box[2] > size * 0.25 or x0 < box[0] - size * 0.5:
                close()
        if box is None:
            box = [x0, top, x1, bottom]
        else:
            box = [min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
        run.append(char)
    close()
    textpage.close()
    return words


def _rules(page, height: float) -> list[Rule]:
    """Ruling lines: thin paths, and the axis-aligned edges of other paths (rectangles drawn as outlines)."""
    import pypdfium2.raw as raw

    rules: list[Rule] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:
            continue
        w, h = right - left, top - bottom
        if w < 0 or h < 0 or (w < 0.5 and h < 0.5):
            continue
        if h <= 2.5 or w <= 2.5:
            rules.append(Rule(left, height - top, right, height - bottom))
            continue
        segments = raw.FPDFPath_CountSegments(obj.raw)
        if not 2 <= segments <= 64:
            continue
        matrix = obj.get_matrix()
        points = []
        for k in range(segments):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
            if not raw.FPDFPath_GetPathSegment or not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            px = matrix.a * x.value + matrix.c * y.value + matrix.e
            py = matrix.b * x.value + matrix.d * y.value + matrix.f
            kind = raw.FPDFPathSegment_GetType(seg)
            closes = raw.FPDFPathSegment_GetClose(seg)
            points.append((px, py, kind, closes))
        start = None
        prev = None
        for px, py, kind, closes in points:
            if kind == raw.FPDF_SEGMENT_MOVETO or prev is None:
                start = prev = (px, py)
                continue
            _edge(rules, prev, (px, py), height)
            prev = (px, py)
            if closes and start is not None:
                _edge(rules, prev, start, height)
    return rules


def _edge(rules: list[Rule], a, b, height: float) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 0.5 and abs(ax - bx) > 3:
        rules.append(Rule(min(ax, bx), height - ay - 0.25, max(ax, bx), height - ay + 0.25))
    elif abs(ax - bx) < 0.5 and abs(ay - by) > 3:
        rules.append(Rule(ax - 0.25, height - max(ay, by), ax + 0.25, height - min(ay, by)))


# -- drawing a page for the review view ---------------------------------------------------------


def render_png(document, index: int, dpi: float) -> bytes:
    """A page as PNG bytes (for the 导入核对 view); no imaging library needed."""
    with PDFIUM_LOCK:
        page = document[index]
        bitmap = page.render(scale=max(0.1, min(dpi, 300)) / 72, grayscale=True)
        try:
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            buffer = bytes(bitmap.buffer)
        finally:
            bitmap.close()
    return png(width, height, stride, buffer, channels=_channels(bitmap))


def _channels(bitmap) -> int:
    return {"L": 1, "BGR": 3, "BGRA": 4, "BGRX": 4}.get(getattr(bitmap, "mode", "L"), 1)


def png(width: int, height: int, stride: int, buffer: bytes, channels: int = 1) -> bytes:
    """Encode raw rows (grey, BGR or BGRA) as a PNG."""
    rows = bytearray()
    for r in range(height):
        line = buffer[r * stride:r * stride + width * channels]
        if channels >= 3:  # BGR(A) → RGB
            px = bytearray(width * 3)
            px[0::3], px[1::3], px[2::3] = line[2::channels], line[1::channels], line[0::channels]
            line = bytes(px)
        rows += b"\x00" + line
    color = 0 if channels == 1 else 2

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")
