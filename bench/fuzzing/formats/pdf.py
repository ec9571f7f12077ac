"""PDFs with a text layer (.pdf): damaged page content, fonts and skeleton, absurd numbers, damaged bytes.

The seeds are the real reports printed to PDF (tests/data/real/pdf) and our own PDF export. A damaged
PDF whose text layer is gone would go to the optional scan reader, whose recognition takes seconds a
page by design (its own benchmark measures it); here the reader runs as without that component, so a
scan is the reader's message and every input measures the text-layer reader.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .. import Format, register
from .. import mutate as M
from ..seeds import DATA, ROOT

_OWN_EXPORT = """
import sys
from tests.factories import filled_report
from gui.printing import write_pdf
write_pdf(filled_report(), sys.argv[1])
"""


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    out = [(p.stem.split("_")[1], p.read_bytes()) for p in sorted((DATA / "real" / "pdf").glob("*.pdf"))]
    own = folder / "own.pdf"
    # Our print path needs a Qt application; made in a process of its own, never in the forking parent.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _OWN_EXPORT, str(own)], env=env, cwd=str(ROOT),
                          capture_output=True, timeout=120)
    if done.returncode == 0 and own.exists():
        out.append(("own-export", own.read_bytes()))
    return out


def without_scan_reader() -> None:
    from core.imports import scan

    scan.component_available = lambda: False


register(Format("pdf", ".pdf", seeds, M.weighted(M.PDF, M.GENERIC, scale=(1.0, 0.4)), requires=("pypdfium2",),
                prepare=without_scan_reader))
