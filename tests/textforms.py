"""The corpus pages as text, the ways text of a report reaches the program: copied from a browser (tabs),
as markdown pipe tables (with and without outer pipes), one cell per line, and as a PDF-to-text tool gives it."""

from __future__ import annotations

from pathlib import Path

from core.imports.html import _page_blocks


def page_blocks(path: Path):
    return _page_blocks(path.read_text(encoding="utf-8"), path.name)


def as_text(path: Path, form: str) -> str:
    blocks, title = page_blocks(path)
    out = [title or ""]
    for b in blocks:
        if b.kind == "p":
            out.append(" ".join(str(b.content).split()))
            continue
        rows = [[" ".join(c.split()) for c in r] for r in b.content]
        width = max(len(r) for r in rows)
        for i, r in enumerate(rows):
            if form == "tabs":
                out.append("\t".join(r))
            elif form == "pipes":
                out.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
                if i == 0:
                    out.append("|" + "---|" * width)
            elif form == "bare-pipes":
                out.append(" | ".join(r))
            elif form == "cells":
                out += [c for c in r if c]
    return "\n".join(out) + "\n"
