"""Seed reports for every format: made by the program's own writers from varied reports, plus test data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.model import Comment, Note, Report

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


@lru_cache(maxsize=1)
def reports() -> tuple[tuple[str, Report], ...]:
    """A complete report, a blank one, one read from a real report's text, one under review with notes."""
    from core.imports.text import read_text_file
    from tests.factories import filled_report

    out = [("filled", filled_report()), ("blank", Report.new("某某镇人民政府", 2025))]
    for sample in sorted((DATA / "samples").glob("*.txt"))[:2]:
        out.append((f"sample-{sample.stem[:3]}", read_text_file(sample)))
    reviewed = filled_report()
    reviewed.comments.append(Comment(author="县政务公开办", text="请核对表三", location={
        "part": "requests", "table": "table3", "row": "new", "column": "natural"}))
    reviewed.comments.append(Comment(author="县政务公开办", text="请补充", location={"part": "problems", "field": "problems"}))
    reviewed.set_explanation("T3-X@requests/table3/-/-/-", "已核实")
    reviewed.table2.set("fees", "amount", "1.2345")
    out.append(("reviewed", reviewed))
    imported = out[2][1] if len(out) > 2 else filled_report()
    if imported.imported is not None:
        imported.imported.notes.append(Note(rule="IMPORT-UNREAD", severity="warning", message="原文第 3 行未读取",
                                            location={"part": "overview"}))
    return tuple(out)


def unmarked(data: bytes) -> bytes:
    """An export of ours whose hidden copy of the report no longer reads as ours: the visible content is read."""
    import io
    import zipfile

    from core import marker

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info).replace(marker.MARKER.encode(), b"x" * len(marker.MARKER)))
    return out.getvalue()


def written(folder: Path, suffix: str, writer) -> list[tuple[str, bytes]]:
    """Each seed report written by ``writer(report, path)`` as a file of ``suffix``."""
    out = []
    for name, report in reports():
        path = folder / f"{name}{suffix}"
        writer(report, path)
        out.append((name, path.read_bytes()))
    return out
