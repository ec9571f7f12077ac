"""Export times for .docx, .xlsx and .pdf, each next to the bare library writing an empty document.

    python bench/export.py [RUNS]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import summary, timed  # noqa: E402


def main(runs: int) -> None:
    import docx
    import openpyxl
    from PySide6.QtGui import QGuiApplication, QPainter, QPdfWriter

    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from core.imports.text import read_text_file
    from gui.printing import write_pdf
    from tests.factories import sample

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    report = read_text_file(sample("001"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def bare_pdf():
            writer = QPdfWriter(str(out / "empty.pdf"))
            painter = QPainter(writer)
            painter.drawText(100, 100, "空")
            painter.end()

        pairs = (
            ("report .docx (python-docx)", lambda: write_docx(report, out / "r.docx"),
             "floor: empty .docx", lambda: docx.Document().save(str(out / "empty.docx"))),
            ("report .xlsx (openpyxl)", lambda: write_xlsx(report, out / "r.xlsx"),
             "floor: empty .xlsx", lambda: openpyxl.Workbook().save(str(out / "empty.xlsx"))),
            ("report .pdf (Qt)", lambda: write_pdf(report, out / "r.pdf"),
             "floor: one-line .pdf (Qt)", bare_pdf),
        )
        for label, fn, floor_label, floor in pairs:
            fn(), floor()  # warm imports and font caches
            print(summary(label, timed(fn, runs)))
            print(summary(floor_label, timed(floor, runs)))
        for name in ("r.docx", "r.xlsx", "r.pdf"):
            print(f"{name}: {(out / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
