"""Word documents (.docx): damaged XML parts, damaged zip records, damaged bytes."""

from __future__ import annotations

from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import DATA, unmarked, written


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    from core.export.docx import write_docx

    out = written(folder, ".docx", lambda report, path: write_docx(report, path))
    out += [(name + "-unmarked", unmarked(data)) for name, data in out]
    template = DATA / "handmade" / "template.docx"
    return out + ([("handmade", template.read_bytes())] if template.exists() else [])


register(Format("docx", ".docx", seeds, M.weighted(M.ZIP, M.GENERIC, scale=(1.0, 0.3)), requires=("docx",)))
