"""Drafts (.nbdraft): hostile JSON values at every depth, damaged JSON text, damaged bytes."""

from __future__ import annotations

from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import written


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    from core import draft

    return written(folder, ".nbdraft", lambda report, path: draft.save(report, path, backup=False))


register(Format("nbdraft", ".nbdraft", seeds, M.weighted(M.JSON, M.GENERIC, scale=(1.0, 0.5))))
