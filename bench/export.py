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
        long_text(out, runs)


def long_text(out: Path, runs: int) -> None:
    """A 50,000-character report against python-docx writing the same paragraphs into its default
    template (the goal: at most twice that), and a 5 MB narrative (once 20 s and more)."""
    import docx

    from core.export.document import build, published
    from core.export.docx import write_docx
    from tests.factories import filled_report

    sentence = "全年围绕中心工作，依法依规做好政府信息公开，及时回应社会关切，主动公开各类政务信息。"
    for label, chars, n in (("50,000 characters", 50_000, runs), ("5 MB of narrative", 5_000_000 // 3, 3)):
        report = filled_report()
        for key in ("overview", "problems", "other"):
            paragraphs = [sentence * 4] * (chars // 3 // (len(sentence) * 4) + 1)
            report.texts[key] = "\n".join(paragraphs)[: chars // 3]
        document = build(published(report))
        texts = [b.text for b in document.blocks if hasattr(b, "text")]

        tables = [b for b in document.blocks if hasattr(b, "cells")]

        def bare(with_tables: bool = False):
            d = docx.Document()
            for t in texts:
                d.add_paragraph(t)
            for table in tables if with_tables else ():
                t = d.add_table(rows=table.rows, cols=table.cols)
                cells = t._cells
                for c in table.cells:
                    cells[c.row * table.cols + c.col].text = c.text
            d.save(str(out / "bare.docx"))

        print(summary(f"report .docx, {label}", timed(lambda: write_docx(report, out / "long.docx"), n)))
        print(summary(f"floor: python-docx, same paragraphs, {label}", timed(bare, n)))
        print(summary(f"floor: python-docx, same paragraphs and table cells, {label}",
                      timed(lambda: bare(True), n)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
