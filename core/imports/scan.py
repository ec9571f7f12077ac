"""Scanned reports: a PDF of page images (or the page images themselves) read into :class:`Page` s.

Each page is rendered with PDFium at the resolution it was scanned at (150–300 dpi), straightened, and
read by :mod:`core.imports.ocr`; the result is the same :class:`~core.imports.pages.Page` the text-layer
PDF reader gives, so one piece of code rebuilds the tables and the narrative from either. Reading takes
seconds per page, so callers pass ``progress`` (a bar in the window, a line on the terminal) and may
pass ``cancelled`` to stop between pages.

The recogniser is an optional component. Without it, :func:`read_scan_pages` raises
:class:`ScanComponentMissing`, whose text tells the clerk which component reads the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from ..errors import ReportFileError
from .builder import LOW_CONFIDENCE
from .pages import Page, Word

# (pages done, pages in all, what is happening) — called before each page and once at the end
Progress = Callable[[int, int, str], None]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
MAX_PAGES = 200  # a report is 5–20 pages; more is another document, and reading it would take an hour
RENDER_DPI = (150, 300)  # below 150 dpi figures are not readable; above 300 is slower and no better
COMPONENT = "扫描件识别"


class ScanComponentMissing(ReportFileError):
    """The file is a scan and the optional recognition component is not installed."""

    def __init__(self, name: str):
        super().__init__(
            f"「{name}」是扫描件（页面是图片，没有可读取的文字）。读取扫描件需要可选组件「{COMPONENT}」，"
            f"当前未安装。请安装该组件（安装程序中勾选「{COMPONENT}」，或把它的组件文件夹放在程序文件夹旁）"
            f"后重新打开；也可以对照原件手工填写。")


class ScanCancelled(ReportFileError):
    def __init__(self, name: str, done: int, total: int):
        super().__init__(f"已取消识别「{name}」（已识别 {done} / {total} 页），未导入任何内容")


def component_available() -> bool:
    """Whether the optional recognition component (models, onnxruntime, OpenCV, PDFium) is installed."""
    try:
        from . import ocr

        if ocr.cv2 is None:
            return False
        import pypdfium2  # noqa: F401

        with ocr._KeepQtEnvironment():
            import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def require_component(name: str) -> None:
    if not component_available():
        raise ScanComponentMissing(name)


# A figure read with a lower probability for any of its characters is marked for checking. PP-OCRv4
# gives the digits of clean print 0.98–1.00; misreads seen on noisy scans stay below this (bench/scan.py).
FIGURE_CONFIDENCE = 0.9
FIGURE = re.compile(r"^\d+(?:\.\d+)?$")
_LEADING_ZERO = re.compile(r"^0\d")
_FIGURE_LIKE = re.compile(r"^[0-9.]+$")


def figure_uncertain(word: Word) -> bool:
    """Whether a word read in a figure cell must be checked against the original before it is trusted."""
    text = unicodedata.normalize("NFKC", word.text).strip()
    # a count is never written with a leading zero: 「00」 is two cells' figures read as one, or a dropped
    # dot; and a dot is the smallest mark on a page, which a seal's speck beside a figure also makes
    # (0 read as 「0.1」 with the model sure of it), so a figure with a decimal point is always checked
    return (word.confidence < FIGURE_CONFIDENCE or not FIGURE.match(text)
            or _LEADING_ZERO.match(text) is not None or "." in text)


@dataclass(frozen=True)
class PageImage:
    """One page as scanned: a colour image, its resolution, and its size in points."""

    number: int
    image: object  # numpy array, H×W×3 (BGR) or H×W
    dpi: float
    width: float
    height: float


# -- sources --------------------------------------------------------------------------------------


def _native_dpi(page) -> float | None:
    """The resolution of the picture that fills a scanned page, from its pixels and its placed size."""
    import pypdfium2.raw as raw

    best = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a damaged image object: the page is rendered at the default resolution
            continue
        placed_w = (right - left) / 72
        if placed_w <= 0 or px_w <= 0:
            continue
        if placed_w * 72 >= 0.5 * page.get_width():  # the page's picture, not a logo in a corner
            dpi = px_w / placed_w
            best = dpi if best is None else max(best, dpi)
    return best


def render_dpi(native: float | None) -> float:
    low, high = RENDER_DPI
    return float(min(high, max(low, native or 200)))


def pdf_page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as err:
        raise ReportFileError(f"无法读取 PDF「{path.name}」：文件已损坏或已加密") from None
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdf_images(path: Path, first: int = 1) -> Iterator[PageImage]:
    """Each page of a PDF rendered at the resolution it was scanned at."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as err:
        raise ReportFileError(f"无法读取 PDF「{path.name}」：文件已损坏或已加密") from None
    try:
        for index in range(first - 1, len(pdf)):
            page = pdf[index]
            try:
                dpi = render_dpi(_native_dpi(page))
                width, height = page.get_size()
                bitmap = page.render(scale=dpi / 72, rev_byteorder=False)
                image = bitmap.to_numpy()[:, :, :3].copy()  # BGR(x) → BGR; PDFium gives BGRA or BGR
                yield PageImage(index + 1, image, dpi, width, height)
            finally:
                page.close()
    finally:
        pdf.close()


def image_file(path: Path) -> PageImage:
    """A page photographed or scanned straight to an image file."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            dpi = im.info.get("dpi", (0, 0))[0]
            rgb = np.asarray(im.convert("RGB"))
    except (UnidentifiedImageError, OSError) as err:
        raise ReportFileError(f"无法读取图片「{path.name}」：文件已损坏或不是图片") from None
    h, w = rgb.shape[:2]
    if not dpi or dpi < 50:
        dpi = w / (210 / 25.4)  # no resolution recorded: take the page to be A4 wide
    return PageImage(1, rgb[:, :, ::-1].copy(), float(dpi), w * 72 / dpi, h * 72 / dpi)


# -- reading --------------------------------------------------------------------------------------


def straighten(image, dpi: float):
    """The page's ink image, straightened; and the angle it was turned by (degrees)."""
    from . import ocr

    gray = ocr.ink_gray(image)
    angle = ocr.skew_angle(ocr.binarize(gray))
    return ocr.rotate(gray, angle), angle


def _doubt_marked(word: Word) -> Word:
    """The word, a figure this reader doubts carrying a confidence the report builder notes.

    The builder notes a figure by its confidence alone; a figure doubted for its shape (a leading zero,
    a decimal point) or read between the builder's threshold and this reader's would otherwise be taken
    as sure."""
    text = unicodedata.normalize("NFKC", word.text).strip()
    if _FIGURE_LIKE.match(text) and figure_uncertain(word) and word.confidence >= LOW_CONFIDENCE:
        return replace(word, confidence=round(LOW_CONFIDENCE - 0.01, 4))
    return word


def read_page(scanned: PageImage) -> Page:
    """One page image read into words (with confidences) and ruling lines, in points."""
    from . import ocr

    gray, angle = straighten(scanned.image, scanned.dpi)
    found = ocr.read_page_image(gray, scanned.dpi, ocr.rotate(ocr.rule_gray(scanned.image), angle))
    page = Page(scanned.number, scanned.width, scanned.height, [_doubt_marked(w) for w in found.words],
                found.rules)
    page.render = _renderer(gray, scanned.dpi)
    return page


def _renderer(gray, dpi: float) -> Callable[[float], bytes]:
    """PNG of the straightened page at any resolution, so a cell's box lands on its figure."""
    import cv2

    # keep a compressed copy, not the array: twenty pages of arrays would hold 80 MB for the review view
    ok, png = cv2.imencode(".png", gray, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    data = png.tobytes()

    def render(want_dpi: float) -> bytes:
        if abs(want_dpi - dpi) < 0.5:
            return data
        import numpy as np

        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
        factor = want_dpi / dpi
        image = cv2.resize(image, None, fx=factor, fy=factor,
                           interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)
        return cv2.imencode(".png", image)[1].tobytes()

    return render


def read_scan_pages(path: str | Path, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> list[Page]:
    """Every page of a scanned PDF (or one page image) read into Pages.

    ``progress(done, total, message)`` is called before each page and when all are read;
    ``cancelled()`` is asked before each page and stops the reading with :class:`ScanCancelled`.
    """
    path = Path(path)
    require_component(path.name)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        sources: Iterator[PageImage] = iter([image_file(path)])
        total = 1
    else:
        total = pdf_page_count(path)
        if total > MAX_PAGES:
            raise ReportFileError(f"「{path.name}」有 {total} 页，超过年度报告的篇幅（最多 {MAX_PAGES} 页），未识别")
        sources = pdf_images(path)
    pages: list[Page] = []
    for scanned in sources:
        if cancelled is not None and cancelled():
            raise ScanCancelled(path.name, len(pages), total)
        if progress is not None:
            progress(len(pages), total, f"正在识别第 {scanned.number} / {total} 页")
        pages.append(read_page(scanned))
    if progress is not None:
        progress(total, total, f"已识别 {total} 页")
    return pages


def terminal_progress(stream=None) -> Progress:
    """A progress callback for the command line: one line on stderr, rewritten in place."""
    import sys

    out = stream or sys.stderr

    def show(done: int, total: int, message: str) -> None:
        end = "\n" if done >= total else ""
        out.write(f"\r{message}（{done}/{total}）" + end)
        out.flush()

    return show

