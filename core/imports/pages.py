"""Positioned text of a page, as a PDF's text layer or OCR of a scanned page gives it.

Both the PDF reader and the scan reader describe each page the same way, so one piece of code rebuilds
table cells from ruling lines and word positions, reflows the narrative, and writes import notes with a
page and line. Coordinates are PDF points (1/72 inch) from the page's top-left corner; OCR converts its
pixels with 72 / dpi.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Word:
    """A run of characters on one line, with its box; ``confidence`` is 1.0 for a text layer."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Rule:
    """A ruling line segment (a table border): horizontal when it is wider than tall, else vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class Page:
    """One page: its size, the words and ruling lines on it, and how to draw it for the 导入核对 view."""

    number: int  # 1-based, as a clerk counts pages
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # PNG bytes of the page at the given dpi, made on demand (the review view shows it beside the tables)
    render: Callable[[float], bytes] | None = None


class Scored(str):
    """Text of a table cell that keeps the lowest confidence of the words it was made of (OCR), so a doubtful
    figure can be reported; plain text reads as confidence 1.0. It also keeps where it was read — the page
    and the box of its words (PDF, scan), and the index of its source line once the row reader has it — so
    the 导入核对 view can outline it."""

    confidence: float
    box: tuple[float, float, float, float] | None
    page: int | None
    line: int | None

    def __new__(cls, text: str, confidence: float = 1.0, box: tuple[float, float, float, float] | None = None,
                page: int | None = None, line: int | None = None):
        s = super().__new__(cls, text)
        s.confidence = confidence
        s.box, s.page, s.line = box, page, line
        return s

    def like(self, text: str) -> "Scored":
        """Other text read at the same place with the same confidence (a cell's text folded or trimmed)."""
        return Scored(text, self.confidence, self.box, self.page, self.line)


def confidence_of(text: object) -> float:
    return getattr(text, "confidence", 1.0)


def union(boxes) -> tuple[float, float, float, float] | None:
    """The box around several boxes (x0, top, x1, bottom), None when there are none."""
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def word_box(word: Word) -> tuple[float, float, float, float]:
    return (word.x0, word.top, word.x1, word.bottom)
