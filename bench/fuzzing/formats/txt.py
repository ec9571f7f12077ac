"""Text (.txt) as copied from web pages and PDFs: repeated headings, whitespace runs, huge figures, encodings."""

from __future__ import annotations

from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import DATA, written


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    from core.export.text import write_text

    out = [(p.stem[:3], p.read_bytes()) for p in sorted((DATA / "samples").glob("*.txt"))]
    return out + written(folder, ".txt", write_text)


register(Format("txt", ".txt", seeds, M.weighted(M.TEXT, M.GENERIC, scale=(1.0, 0.4))))
