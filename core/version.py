"""The program version, declared once in pyproject.toml."""

from __future__ import annotations

import re
import sys
from pathlib import Path

DISTRIBUTION = "nianbao"


def _read_version() -> str:
    # A source checkout may run ahead of its installed metadata: pyproject.toml wins when present.
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if not getattr(sys, "frozen", False) and pyproject.is_file():
        found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    from importlib import metadata  # only for an installed copy: it costs tens of ms at every start

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _read_version()
