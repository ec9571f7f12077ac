"""Reading one scanned page image: ruling lines, the boxes they enclose, and the words in them.

The scan reader (:mod:`core.imports.scan`) hands each page here as an image. Tables in these reports are
printed with borders, so the ruling lines are found in the image first: they become the page's
:class:`~core.imports.pages.Rule` s, they are erased before any text is read (a border beside a digit
would otherwise be read as 「1」), and every box they enclose is read on its own, one text line at a time.
Text outside the tables is found by the PP-OCR detector. Each word carries the recogniser's lowest
per-character probability as its confidence, so one doubtful digit is not averaged away by its
neighbours.

Needs the optional OCR component (``nianbao[ocr]``): numpy, OpenCV and the PP-OCRv4 models of
``rapidocr_onnxruntime``. Everything here works on numpy arrays and never reads a file.
"""

from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import dataclass

from .pages import Rule, Word
from .scan import FIGURE, FIGURE_CONFIDENCE

_QT_VARIABLES = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR")


class _KeepQtEnvironment:
    """OpenCV's Linux wheels point Qt at their own Qt 5 plugins and fonts when imported; the window runs
    on Qt 6 and still loads fonts and plugins afterwards (it aborts on Qt 5 ones), so put them back."""

    def __enter__(self):
        self.saved = {k: os.environ.get(k) for k in _QT_VARIABLES}

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


try:  # the optional component; scan.py turns its absence into a Chinese message
    with _KeepQtEnvironment():
        import cv2
        import numpy as np
except ImportError:  # pragma: no cover - exercised by the test that hides the component
    cv2 = np = None


# -- the recogniser -------------------------------------------------------------------------------

_ENGINE = None
_ENGINE_LOCK = threading.Lock()


class Engine:
    """The PP-OCRv4 detector and recogniser, loaded once per process (about 1 s and 60 MB)."""

    def __init__(self) -> None:
        with _KeepQtEnvironment():
            from rapidocr_onnxruntime import RapidOCR
        threads = max(1, min(4, os.cpu_count() or 1))
        # text_score 0: nothing is dropped for low confidence; a doubtful read is kept and marked
        ocr = RapidOCR(text_score=0.0, intra_op_num_threads=threads, rec_batch_num=16)
        self._ocr = ocr
        self.detect = ocr.text_det
        self.recognise_batch = ocr.text_rec
        self.alphabet = _Alphabet(ocr.text_rec.postprocess_op.character)
        self.lock = threading.Lock()  # one page at a time: onnxruntime already uses every core

    def crops_of_boxes(self, image: "np.ndarray", boxes) -> list:
        return self._ocr.get_crop_img_list(image, boxes)


def engine() -> Engine:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = Engine()
        return _ENGINE


@dataclass(frozen=True)
class Read:
    """What the recogniser read in one crop: the text and each character's probability."""

    text: str
    confidences: tuple[float, ...]

    @property
    def confidence(self) -> float:
        return min(self.confidences) if self.confidences else 0.0


# Marks a Chinese text recogniser gives a lone figure, which in a table cell can only be that figure
_LOOK_ALIKES = str.maketrans({"o": "0", "O": "0", "〇": "0", "D": "0", "Q": "0", "θ": "0",
                              "l": "1", "I": "1", "|": "1", "．": ".", "。": "."})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class _Alphabet:
    """Columns of the recogniser's output that spell a figure: blank, 0–9 (ASCII and full-width), dot."""

    def __init__(self, characters: list[str]):
        index = {c: i for i, c in enumerate(characters)}
        self.digits = [[index[c] for c in (d, chr(ord(d) + 0xFEE0)) if c in index] for d in "0123456789"]
        self.dot = index.get(".")
        self.letters = "0123456789."

    def figure(self, probs: "np.ndarray") -> tuple[str, tuple[float, ...]]:
        """The reading of ``probs`` (frames × classes) with each character taken as a figure.

        The characters are where the plain reading put them (a run of frames won by one class that is
        not blank), so a figure keeps its number of digits; each is read as the digit or dot with the
        largest share of the probability among digits and the dot in its best frame: in a table cell a
        lone 0 is a 0 however much the model leans to 「o」. A character's confidence is that share. A
        frame where blank won but a digit held more than a quarter of the probability is a digit that
        may have been dropped: it lowers the confidence of the whole read.
        """
        cols = [probs[:, c].sum(axis=1) for c in self.digits]
        cols.append(probs[:, self.dot] if self.dot is not None else np.zeros(len(probs)))
        mass = np.stack(cols, axis=1)
        total = np.maximum(mass.sum(axis=1), 1e-12)
        share = mass / total[:, None]
        best = probs.argmax(axis=1)
        blank = best == 0
        dropped = total / np.maximum(total + probs[:, 0], 1e-12)
        doubt = float(dropped[blank].max()) if blank.any() else 0.0
        text, confs = [], []
        previous = 0
        for t in range(len(probs)):
            if blank[t]:
                previous = 0
                continue
            k = int(share[t].argmax())
            if best[t] == previous:  # the same character's run goes on: keep its surest frame
                if share[t, k] > confs[-1]:
                    text[-1], confs[-1] = self.letters[k], float(share[t, k])
            else:
                text.append(self.letters[k])
                confs.append(float(share[t, k]))
            previous = best[t]
        if doubt > 0.25:
            confs = [min(c, 1.0 - doubt) for c in confs]
        return "".join(text), tuple(confs)


def _figure_reading(text: str, probs: "np.ndarray", alphabet: _Alphabet) -> "Read | None":
    """A figure read digit by digit where the plain read is a figure or its look-alike, else None."""
    plain = text.strip().translate(_LOOK_ALIKES)
    if not plain or _CJK.search(plain) or len(plain) > 12:
        return None
    digits, confs = alphabet.figure(probs)
    # A dot before or after every digit is no figure's: a speck of the scan or of a seal read beside it.
    # The digits are kept and doubted, so the row keeps its figure and the clerk is asked to check it.
    start, end = len(digits) - len(digits.lstrip(".")), len(digits.rstrip("."))
    specked = start > 0 or end < len(digits)
    digits, confs = digits[start:end], confs[start:end]
    if not digits:
        return None
    if specked or digits != plain:  # the readings disagree beyond look-alikes: keep the figure, doubted
        confs = tuple(min(c, 0.5) for c in confs)
    return Read(digits, confs)


def _stretched(crop: "np.ndarray") -> "np.ndarray":
    """The crop drawn half as wide again: the recogniser gives it more frames, so two like digits
    squeezed into too few frames (「11」 read as 「1」) come apart."""
    return cv2.resize(crop, None, fx=1.5, fy=1.0, interpolation=cv2.INTER_CUBIC)


def _recognise_raw(crops: list) -> list[tuple[str, tuple[float, ...], "np.ndarray"]]:
    """The plain read of each crop, its per-character probabilities and its frames' probabilities.

    Crops are read in batches of similar width, each padded only to the widest in its batch: a table
    page is mostly single figures, and padding each to the recogniser's usual 320 pixels would make it
    five times slower.
    """
    eng = engine()
    rec = eng.recognise_batch
    ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
    order = sorted(range(len(crops)), key=ratios.__getitem__)
    out: list = [None] * len(crops)
    batch = 16
    with eng.lock:
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            widest = max(max(ratios[i] for i in chunk), 1.0)
            images = np.concatenate([rec.resize_norm_img(crops[i], widest)[np.newaxis, :] for i in chunk])
            preds = rec.session(images.astype(np.float32))[0]
            results = rec.postprocess_op(preds, True, wh_ratio_list=[ratios[i] for i in chunk],
                                         max_wh_ratio=widest)
            frames = preds.shape[1]
            for row, (i, res) in enumerate(zip(chunk, results)):
                text = res[0]
                confs = tuple(float(c) for c in res[2][4]) if len(res) > 2 and res[2] else ()
                if len(confs) != len(text):  # an empty read carries one placeholder probability
                    confs = (float(res[1]),) * len(text)
                # the frames that saw the crop, not the padding after it
                seen = min(frames, int(math.ceil(frames * ratios[i] / widest)) + 1)
                out[i] = (text, confs, preds[row, :seen])
    return out


def recognise(crops: list) -> list[Read]:
    """Read each crop (a BGR image of one text line).

    A crop whose plain read is a figure, or a look-alike of one (「o」 for 0), is read again from the
    same output with only figures allowed (:meth:`_Alphabet.figure`), and once more drawn wider
    (:func:`_stretched`): a figure the two reads do not agree on keeps the first read, doubted.
    """
    if not crops:
        return []
    alphabet = engine().alphabet
    reads: list[Read] = []
    figures: list[int] = []
    for i, (text, confs, probs) in enumerate(_recognise_raw(crops)):
        figure = _figure_reading(text, probs, alphabet)
        if figure is not None:
            figures.append(i)
        reads.append(figure or Read(text, confs))
    if os.environ.get("OCR_RETRY", "1") == "1" and figures:
        again = _recognise_raw([_stretched(crops[i]) for i in figures])
        for i, (text, confs, probs) in zip(figures, again):
            second = _figure_reading(text, probs, alphabet)
            if second is None or second.text != reads[i].text:
                reads[i] = Read(reads[i].text, tuple(min(c, 0.5) for c in reads[i].confidences))
    return reads


# -- image preparation ----------------------------------------------------------------------------


def ink_gray(image: "np.ndarray") -> "np.ndarray":
    """A grey image where only dark ink is dark: each pixel's brightest channel.

    A red seal or a blue signature is bright in one channel, so it fades to near white, while black
    print stays black even where the seal covers it.
    """
    if image.ndim == 2:
        return image
    rgb = image[:, :, :3]
    brightest = rgb.max(axis=2)
    # what is left of a seal is still a little darker than paper: clear the clearly coloured pixels
    # that are nearly as light as paper; print under the seal, even a hairline border, is darker
    coloured = (brightest.astype(np.int16) - rgb.min(axis=2)) > 50
    paper = float(np.percentile(brightest[::4, ::4], 90))
    out = brightest.copy()
    out[coloured & (brightest > 0.72 * paper)] = 255
    return out


def rule_gray(image: "np.ndarray") -> "np.ndarray":
    """A grey image for finding ruling lines: the red channel. A red seal is as light in it as paper,
    while borders printed in blue, as web pages often draw them, stay dark; in :func:`ink_gray` they
    fade with the seal and the table would have no cells."""
    if image.ndim == 2:
        return image
    return np.ascontiguousarray(image[:, :, 2])  # BGR


def binarize(gray: "np.ndarray") -> "np.ndarray":
    """Ink as 255 on 0, robust to a grey or uneven paper background."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    _, otsu = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # a local threshold keeps faint strokes on a darker background; both must agree on ink
    local = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 25)
    return cv2.bitwise_and(otsu, local)


def faint_ink(gray: "np.ndarray") -> "np.ndarray":
    """Ink as 255 on 0, keeping strokes only a little darker than the paper around them.

    Too noisy for reading, but a hairline border printed in grey survives it, and only long straight
    runs of it are taken as ruling lines (:func:`line_masks`).
    """
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    return cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31,
                                 int(os.environ.get("OCR_FAINT", "12")))


def skew_angle(binary: "np.ndarray", limit: float = 3.0) -> float:
    """The page's rotation in degrees (positive = content turned clockwise), from its text rows.

    Rows of print line up best when the page is straight: the angle that makes the profile of ink per
    row most peaked is taken, first in steps of 0.2°, then 0.02°.
    """
    small = cv2.resize(binary, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(small > 127)
    if len(xs) < 200:
        return 0.0
    if len(xs) > 300_000:
        pick = np.random.default_rng(0).choice(len(xs), 300_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64)
    height = small.shape[0]

    def sharpness(angle: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        rows = rows[(rows >= 0) & (rows < height)]
        hist = np.bincount(rows, minlength=height).astype(np.float64)
        return float(np.sum(np.diff(hist) ** 2))

    best = max(np.arange(-limit, limit + 1e-9, 0.2), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02), key=sharpness)
    return float(best)


def rotate(image: "np.ndarray", angle: float) -> "np.ndarray":
    """The image turned back by ``angle`` degrees (see :func:`skew_angle`), the corners filled with white."""
    if abs(angle) < 0.01:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)  # OpenCV: positive is anticlockwise
    fill = 255 if image.ndim == 2 else (255,) * image.shape[2]
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


# -- ruling lines and boxes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: x0, top inclusive; x1, bottom exclusive."""

    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.bottom - self.top


def line_masks(binary: "np.ndarray", dpi: float) -> tuple["np.ndarray", "np.ndarray"]:
    """Horizontal and vertical ruling lines as masks (ink strokes longer than any character's)."""
    h_len = max(20, int(dpi * 0.4))
    v_len = max(15, int(dpi * 0.2))
    # bridge the small breaks that blur and JPEG leave in a printed border before measuring length
    h = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    h = cv2.morphologyEx(h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    v = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    v = cv2.morphologyEx(v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return _borders_only(h, v, dpi, True), _borders_only(v, h, dpi, False)


def _borders_only(mask: "np.ndarray", across: "np.ndarray", dpi: float, horizontal: bool) -> "np.ndarray":
    """The segments of ``mask`` that are borders: long, or meeting a line of the other direction at both
    ends. The aligned strokes of a few characters in a row (三安全一) are neither. A short vertical must
    also line up with another vertical or run across a rule: a column's border runs through the header
    and the rows, while a 「1」 printed tight between two rules of a low row meets them at both ends too,
    and erasing it as a border would turn 211 into 21."""
    long_enough = dpi * (1.0 if horizontal else 0.5)
    reach = max(2, int(dpi * 0.03))
    touch = cv2.dilate(across, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(n, dtype=np.uint8)
    short = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if (w if horizontal else h) >= long_enough:
            keep[i] = 255
            continue
        if horizontal:
            mid = y + h // 2
            ends = touch[mid, x:x + reach].any() and touch[mid, x + w - reach:x + w].any()
        else:
            mid = x + w // 2
            ends = touch[y:y + reach, mid].any() and touch[y + h - reach:y + h, mid].any()
        if ends:
            if horizontal:
                keep[i] = 255
            else:
                short.append(i)
    if short:
        centres = stats[1:, cv2.CC_STAT_LEFT] + stats[1:, cv2.CC_STAT_WIDTH] / 2.0
        for i in short:
            x, y, w, h, _ = stats[i]
            others = np.abs(centres - centres[i - 1]) <= reach
            others[i - 1] = False
            # or it runs across a rule (two rows' border in one stroke), which no glyph in a row does
            crosses = across[y + 2 * reach:y + h - 2 * reach, x:x + w].any()
            if others.any() or crosses:
                keep[i] = 255
    return keep[labels]


def segments(mask: "np.ndarray", horizontal: bool, dpi: float) -> list[Box]:
    """The line segments of one direction's mask; strokes too thick to be a border are left out."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    thick = max(4, dpi * 0.04)
    out = []
    for x, y, w, h, area in stats[1:]:
        across = h if horizontal else w
        along = w if horizontal else h
        # a line's ink fills its box; a filled block or a skewed diagonal does not look like a border
        if area / max(along, 1) > thick:
            continue
        out.append(Box(int(x), int(y), int(x + w), int(y + h)))
    return out


def _closed_at_the_edges(lines: "np.ndarray", h_mask: "np.ndarray", dpi: float) -> "np.ndarray":
    """The ruling with the paper's left and right edges drawn as borders where rules run off the paper.

    A web page's table printed wider than the paper loses its outer columns' borders (and part of them)
    at the edge; the columns still on the paper are cells, bounded by the edge. The edge is searched a
    tenth of an inch in: straightening the page turns the paper's edge by the scan's skew."""
    reach = max(3, int(dpi * 0.1))
    out = lines
    for edge in (slice(0, reach), slice(lines.shape[1] - reach, lines.shape[1])):
        # each stretch of rules reaching the edge with no more than a tall row between two of them
        for top, end in _runs(h_mask[:, edge].any(axis=1), gap=int(dpi * 1.5)):
            if end - 1 - top < dpi * 0.15:
                continue  # one rule (its few pixel rows) reaching the edge closes nothing
            if out is lines:
                out = lines.copy()
            out[top:end, edge] = 255
    return out


@dataclass
class Grid:
    """One ruled table on the page: its outer box and the boxes its lines enclose."""

    box: Box
    cells: list[Box]

    @property
    def cells_box(self) -> Box:
        """The box around the cells and their borders. The lines' box can be far larger: a page edge's
        shadow or a rule at the foot of the page joined to the table's border would take in the text
        below it, which then went unread."""
        m = 4  # a border's width and its blur; never below 0, where a slice would count from the end
        return Box(max(0, min(c.x0 for c in self.cells) - m), max(0, min(c.top for c in self.cells) - m),
                   max(c.x1 for c in self.cells) + m, max(c.bottom for c in self.cells) + m)


def grids(h_mask: "np.ndarray", v_mask: "np.ndarray", dpi: float) -> list[Grid]:
    """Each ruled table and its enclosed boxes (a merged label box is one box)."""
    lines = _closed_at_the_edges(cv2.bitwise_or(h_mask, v_mask), h_mask, dpi)
    # close the hairline gaps where a vertical border does not quite meet a horizontal one
    joined = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    min_side = dpi * 0.3
    for x, y, w, h, _area in stats[1:]:
        if w < min_side or h < min_side:
            continue  # a lone rule (an underline, a page border piece) encloses nothing
        region = joined[y:y + h, x:x + w]
        n, labels, cstats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(region), connectivity=4)
        cells = []
        for i in range(1, n):
            cx, cy, cw, ch, carea = cstats[i]
            if cx == 0 or cx + cw >= w:
                continue  # outside the table, though inside its bounding box
            if (cy == 0 or cy + ch >= h) and ch > dpi * 1.5:
                continue  # open at the top or bottom: a table's last row runs on over the page break,
                # but a tall open region is the page around the table
            if cw < dpi * 0.08 or ch < dpi * 0.08 or carea < 0.5 * cw * ch:
                continue  # a sliver between double rules, or ragged background
            cells.append(Box(int(x + cx), int(y + cy), int(x + cx + cw), int(y + cy + ch)))
        if len(cells) >= 2:
            out.append(Grid(Box(int(x), int(y), int(x + w), int(y + h)), cells))
    return _without_nested_cells(out)


def _without_nested_cells(tables: list["Grid"]) -> list["Grid"]:
    """Each cell in one table only: a table standing inside another's box (the box of a table joined to a
    page edge's shadow can hold the next table) has its cells taken out of the outer one, which would
    read every figure and label of it twice."""
    out = []
    for outer in tables:
        inner = [t.box for t in tables if t is not outer and outer.box.x0 <= t.box.x0 and t.box.x1 <= outer.box.x1
                 and outer.box.top <= t.box.top and t.box.bottom <= outer.box.bottom]
        if inner:
            cells = [c for c in outer.cells
                     if not any(b.x0 <= (c.x0 + c.x1) / 2 <= b.x1 and b.top <= (c.top + c.bottom) / 2 <= b.bottom
                                for b in inner)]
            if len(cells) < 2:
                continue  # nothing of its own besides the table inside it
            outer = Grid(outer.box, cells)
        out.append(outer)
    return out


# -- text in a box --------------------------------------------------------------------------------


def _runs(profile: "np.ndarray", gap: int) -> list[tuple[int, int]]:
    """Stretches where ``profile`` is non-zero, joining stretches separated by fewer than ``gap``."""
    on = np.flatnonzero(profile > 0)
    if len(on) == 0:
        return []
    breaks = np.flatnonzero(np.diff(on) > gap)
    starts = np.concatenate(([on[0]], on[breaks + 1]))
    ends = np.concatenate((on[breaks], [on[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist()))


def _join_bands(bands: list[tuple[int, int]], gap: float, tallest: float) -> list[tuple[int, int]]:
    """Rows of ink joined into text lines: a character such as 予 or 二 leaves a small gap of its own,
    smaller than the space between two lines, and a joined line is never taller than print can be."""
    out: list[tuple[int, int]] = []
    for top, bottom in bands:
        if out and top - out[-1][1] <= gap and bottom - out[-1][0] <= tallest:
            out[-1] = (out[-1][0], bottom)
        else:
            out.append((top, bottom))
    return out


def despeckle(ink: "np.ndarray", dpi: float) -> "np.ndarray":
    """Ink without the dust of a scan: marks smaller than any stroke of print."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    smallest = max(2, dpi * 0.02)
    keep = np.zeros(n, dtype=np.uint8)
    keep[1:] = ((stats[1:, cv2.CC_STAT_WIDTH] >= smallest) | (stats[1:, cv2.CC_STAT_HEIGHT] >= smallest)) * 255
    return keep[labels]


def text_lines(ink: "np.ndarray", box: Box, dpi: float) -> list[Box]:
    """The text lines inside a box, each cut into pieces at gaps wider than two characters."""
    inner = ink[box.top:box.bottom, box.x0:box.x1]
    rows = _join_bands(_runs(inner.sum(axis=1), gap=1), gap=dpi * 0.025, tallest=dpi * 0.22)
    out = []
    for top, bottom in rows:
        if bottom - top < dpi * 0.03:
            continue  # a stroke fragment, not a line of print
        band = inner[top:bottom]
        height = bottom - top
        for x0, x1 in _runs(band.sum(axis=0), gap=max(3, int(height * 1.6))):
            piece = band[:, x0:x1]
            ys = np.flatnonzero(piece.sum(axis=1))
            if len(ys) == 0 or max(x1 - x0, ys[-1] - ys[0] + 1) < dpi * 0.04:
                continue  # dust left after despeckling
            out.append(Box(box.x0 + x0, box.top + top + int(ys[0]), box.x0 + x1, box.top + top + int(ys[-1]) + 1))
    return out


def crop_for_reading(clean: "np.ndarray", box: Box) -> "np.ndarray":
    """A BGR crop of one text line: its ink and one pixel around it.

    The recogniser scales a crop to a fixed height, so a white margin shrinks the print it sees. A lone
    narrow 「0」 in a margin of 0.03 inch came out as nothing, 「D」 or 「o」 in four cells of ten on
    some scans; cut tight, 99 % of the lone figures on the generated scans read exactly."""
    h, w = clean.shape[:2]
    piece = clean[max(0, box.top - 1):min(h, box.bottom + 1), max(0, box.x0 - 1):min(w, box.x1 + 1)]
    return cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)


# -- the page -------------------------------------------------------------------------------------

STRAY_LABEL_CONFIDENCE = 0.8  # a label read in no found cell of a table is kept from this up


def _sure(text: str, confidence: float, in_table: bool) -> bool:
    """Whether print the text detector passed over becomes a word: a sure figure; in a table, a sure label
    too. Outside the tables the rest is specks, seal remnants and rule ends, which must not become words
    of the text."""
    if FIGURE.match(text):  # trusted by the measure the scan reader applies to every figure
        return confidence >= FIGURE_CONFIDENCE
    return in_table and bool(_CJK.search(text)) and confidence >= STRAY_LABEL_CONFIDENCE


def _outside_the_cells(ink: "np.ndarray", tables: list["Grid"]) -> "np.ndarray":
    """The ink inside the tables' boxes but in none of their cells: where borders were too faint to find
    or lost under a seal, a figure stands in no cell, and the text detector does not look there."""
    inside = np.zeros(ink.shape, dtype=bool)
    for grid in tables:
        g = grid.cells_box
        inside[g.top:g.bottom, g.x0:g.x1] = True
    for grid in tables:
        for c in grid.cells:
            inside[c.top:c.bottom, c.x0:c.x1] = False
    return np.where(inside, ink, 0).astype(ink.dtype)


def _undetected_pieces(ink: "np.ndarray", detected: list[tuple[float, float, float, float]],
                       dpi: float, longest: float | None = 0.6) -> list[Box]:
    """Pieces of print in ``ink`` that the text detector passed over (it found ``detected``), print-sized
    and, outside the tables, no longer than ``longest`` inches: a run of text there the detector finds.

    The detector misses a lone figure, and it never looks inside a table's box, where a figure or a label
    whose cell borders were not found (too faint, or lost under a seal) stands in no cell: cut out of the
    ink as a cell's print is, it is read all the same."""
    h, w = ink.shape
    pieces = text_lines(ink, Box(0, 0, w, h), dpi)
    out = []
    for p in pieces:
        if p.bottom - p.top < dpi * 0.06 or p.x1 - p.x0 < max(2, dpi * 0.012) or \
                (longest is not None and p.x1 - p.x0 > dpi * longest):
            continue  # smaller than print, a border's remnant, or a run of text (the detector finds those)
        cx, cy = (p.x0 + p.x1) / 2, (p.top + p.bottom) / 2
        if any(x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2 for x0, y0, x1, y1 in detected):
            continue
        out.append(p)
    return out


@dataclass
class PageRead:
    """A page image read: words and rules in points, plus the table boxes for the review view."""

    words: list[Word]
    rules: list[Rule]
    tables: list[Box]  # in pixels


def prepare(gray: "np.ndarray", dpi: float, rule_image: "np.ndarray | None" = None):
    """The page's ruling lines (found in ``rule_image``, a :func:`rule_gray` image, where given), tables,
    and its ink and grey image with the borders erased."""
    binary = binarize(gray)
    h_mask, v_mask = line_masks(faint_ink(gray if rule_image is None else rule_image), dpi)
    # erase the borders (a little wider than found: their anti-aliased edges) from ink and image
    lines = cv2.dilate(cv2.bitwise_or(h_mask, v_mask), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    ink = despeckle(cv2.bitwise_and(binary, cv2.bitwise_not(lines)), dpi)
    clean = gray.copy()
    clean[lines > 0] = 255
    return h_mask, v_mask, ink, clean, grids(h_mask, v_mask, dpi)


def table_pieces(gray: "np.ndarray", dpi: float):
    """The text pieces inside the ruled boxes of a page and their crops (for measuring)."""
    _h, _v, ink, clean, tables = prepare(gray, dpi)
    pieces = [p for grid in tables for cell in grid.cells for p in text_lines(ink, cell, dpi)]
    return pieces, [crop_for_reading(clean, b) for b in pieces]


def read_page_image(gray: "np.ndarray", dpi: float, rule_image: "np.ndarray | None" = None) -> PageRead:
    """Words (with confidences) and ruling lines of a straightened grey page image.

    Coordinates come back in PDF points (72 / dpi per pixel) from the top-left corner.
    """
    scale = 72.0 / dpi
    h_mask, v_mask, ink, clean, tables = prepare(gray, dpi, rule_image)
    rule_boxes = [(b, True) for b in segments(h_mask, True, dpi)] + [(b, False) for b in segments(v_mask, False, dpi)]
    rules = [Rule(b.x0 * scale, b.top * scale, b.x1 * scale, b.bottom * scale) for b, _ in rule_boxes]

    pieces: list[Box] = []
    for grid in tables:
        for cell in grid.cells:
            pieces.extend(text_lines(ink, cell, dpi))
    crops = [crop_for_reading(clean, b) for b in pieces]
    boxes = [(b.x0, b.top, b.x1, b.bottom) for b in pieces]

    # text outside the tables: the detector finds its lines
    outside = clean.copy()
    outside_ink = ink.copy()
    for grid in tables:
        g = grid.cells_box
        outside[g.top:g.bottom, g.x0:g.x1] = 255
        outside_ink[g.top:g.bottom, g.x0:g.x1] = 0
    lone: list[Box] = []
    if outside_ink.any():
        bgr = cv2.cvtColor(outside, cv2.COLOR_GRAY2BGR)
        eng = engine()
        with eng.lock:
            found, _ = eng.detect(bgr)
        detected = []
        if found is not None and len(found):
            found = sorted(found, key=lambda q: (float(q[:, 1].min()), float(q[:, 0].min())))
            crops.extend(eng.crops_of_boxes(bgr, found))
            detected = [(float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))
                        for q in found]
            boxes.extend(detected)
        lone = _undetected_pieces(outside_ink, detected, dpi)
    # in a table, print in no found cell: figures, and labels whose cell borders were lost
    stray = _undetected_pieces(_outside_the_cells(ink, tables), [], dpi, longest=None)
    reads = recognise(crops + [crop_for_reading(clean, b) for b in lone + stray])

    words = []
    for (x0, top, x1, bottom), read in zip(boxes, reads):
        text = read.text.strip()
        if not text:
            continue
        words.append(Word(x0 * scale, top * scale, x1 * scale, bottom * scale, text, round(read.confidence, 4)))
    in_table = [False] * len(lone) + [True] * len(stray)
    for b, read, inside in zip(lone + stray, reads[len(boxes):], in_table):
        text = read.text.strip()
        if text and _sure(text, read.confidence, inside):
            words.append(Word(b.x0 * scale, b.top * scale, b.x1 * scale, b.bottom * scale, text,
                              round(read.confidence, 4)))
    words.sort(key=lambda w: (round(w.top), w.x0))
    return PageRead(words, rules, [g.cells_box for g in tables])
