"""Finding the resources/ folder from a source checkout and from inside a frozen (PyInstaller) build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


@cache
def root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def path(*parts: str) -> Path:
    return root().joinpath(*parts)


def icon(name: str) -> QIcon:
    found = QIcon()
    for suffix in (".svg", ".png"):
        candidate = path("icons", name + suffix)
        if candidate.exists():
            found.addFile(str(candidate))
    return found


def stylesheet() -> str:
    sheet = path("style.qss")
    return sheet.read_text(encoding="utf-8") if sheet.exists() else ""
