"""``nianbao ocr``: the text of a scanned report, page by page, with a progress line on the terminal.

The text is laid out line by line as printed (the figures of a table row on its label's line), so it
can be read, searched, or opened as a 文字稿; figures the recogniser was unsure of are listed on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..draft import write_atomic
from ..errors import ReportFileError
from .pages import Page, Word
from .scan import figure_uncertain, read_scan_pages, terminal_progress

_FIGURE_CHARS = set("0123456789.")


def page_lines(page: Page) -> list[list[Word]]:
    """The page's words grouped into printed lines (words whose middles share a line), left to right."""
    lines: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            top, bottom = min(w.top for w in last), max(w.bottom for w in last)
            if top <= middle <= bottom:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def page_text(page: Page) -> str:
    return "\n".join(" ".join(w.text for w in line) for line in page_lines(page))


def doubtful(pages: list[Page]) -> list[str]:
    """Figure-like words read with low confidence:「第 3 页：16（置信度 0.62）」."""
    out = []
    for page in pages:
        for word in page.words:
            text = word.text.strip()
            if text and set(text) <= _FIGURE_CHARS | set("０１２３４５６７８９") and figure_uncertain(word):
                out.append(f"第 {page.number} 页：{text}（置信度 {word.confidence:.2f}）")
    return out


def add_commands(sub) -> None:
    o = sub.add_parser("ocr", help="识别扫描件（图片 PDF 或页面图片），输出逐页文字（需要「扫描件识别」组件）")
    o.add_argument("file", type=Path, metavar="FILE")
    o.add_argument("-o", "--output", type=Path, metavar="OUT.txt", help="写入文字稿（默认输出到屏幕）")


def _ocr(args) -> int:
    if not args.file.exists():
        raise ReportFileError(f"找不到文件「{args.file}」")
    pages = read_scan_pages(args.file, progress=terminal_progress())
    text = "\n\n".join(page_text(p) for p in pages) + "\n"
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"已写入：{args.output}")
    else:
        sys.stdout.write(text)
    notes = doubtful(pages)
    if notes:
        print(f"以下 {len(notes)} 个数字识别把握不大，请核对原件：", file=sys.stderr)
        for line in notes:
            print("  " + line, file=sys.stderr)
    return 0


COMMANDS = {"ocr": _ocr}
