"""Saved web pages and clipboard HTML (.html): hostile markup, absurd spans, charset lies, hostile text."""

from __future__ import annotations

from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import DATA


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    pages = sorted((DATA / "real").glob("*.html"))
    out = [(p.stem.split("_")[1], p.read_bytes()) for p in pages]
    # What a copy from the browser gives: the article alone, without the site's shell.
    import lxml.html

    from core.imports.html import article_element, _walk

    for page in pages[:3]:
        root = lxml.html.document_fromstring(page.read_bytes())
        body = lxml.html.tostring(article_element(list(_walk(root))), encoding="unicode")
        out.append((page.stem.split("_")[1] + "-article", f"<html><body>{body}</body></html>".encode()))
    return out


register(Format("html", ".html", seeds, M.weighted(M.HTML, M.XML, M.TEXT, M.GENERIC, scale=(1.0, 0.5, 0.5, 0.3)),
                requires=("lxml",)))
