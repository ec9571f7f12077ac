"""Excel workbooks (.xlsx): far-away cells, hostile numbers and text in cells, damaged zip records."""

from __future__ import annotations

from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import unmarked, written


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    from core.export.xlsx import write_xlsx

    out = written(folder, ".xlsx", write_xlsx)
    return out + [(name + "-unmarked", unmarked(data)) for name, data in out]


register(Format("xlsx", ".xlsx", seeds, M.weighted(M.ZIP, M.GENERIC, scale=(1.0, 0.3)), requires=("openpyxl",)))
