"""Plain text in the published order: headings, paragraphs, tables as tab-separated rows.

This is what a web page or a PDF copy gives, without the mess; the text importer reads it back.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import write_atomic
from ..model import Report
from .document import Closing, Options, Table, build, published


def text_of(report: Report, options: Options = Options()) -> str:
    document = build(report if options.review else published(report), options)
    lines = [document.title, ""]
    for block in document.blocks:
        if isinstance(block, Table):
            grid = [[""] * block.cols for _ in range(block.rows)]
            for cell in block.cells:
                grid[cell.row][cell.col] = cell.text
            lines += ["\t".join(row) for row in grid]
            lines.append("")
        elif isinstance(block, Closing):
            lines += ["", block.organ, block.date]
        else:
            lines.append(block.text)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_text(report: Report, path: str | Path) -> Path:
    text = text_of(report)
    if os.name == "nt":  # the system's own line ends, for Notepad before Windows 10 1809 and other Windows editors
        text = text.replace("\n", "\r\n")
    return write_atomic(path, text.encode("utf-8"))
