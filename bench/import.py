"""Import times per format for the full sample report, next to the bare library opening the same file.

    python bench/import.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import summary, timed  # noqa: E402


def main(runs: int) -> None:
    import docx
    import openpyxl

    from core import files, marker
    from core.imports.docx import read_docx
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from core.imports.text import read_text_file
    from core.imports.xlsx import read_xlsx
    from tests.factories import sample

    text = sample("001")
    report = read_text_file(text)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ours_docx, ours_xlsx = write_docx(report, out / "r.docx"), write_xlsx(report, out / "r.xlsx")
        # The same files as a clerk's edits leave them: without our marker, read by their labels.
        plain_docx, plain_xlsx = out / "plain.docx", out / "plain.xlsx"
        document = docx.Document(str(ours_docx))
        document.part.drop_rel(next(r for r, rel in document.part.rels.items() if rel.reltype == marker.DOCX_REL_TYPE))
        document.save(str(plain_docx))
        wb = openpyxl.load_workbook(ours_xlsx)
        del wb[marker.XLSX_SHEET]
        wb.save(plain_xlsx)
        cases = (
            ("text (sample 001, 1 page of tables)", lambda: read_text_file(text), None, None),
            ("our .docx (exact, marker)", lambda: read_docx(ours_docx),
             "floor: python-docx opens it", lambda: docx.Document(str(ours_docx))),
            ("edited .docx (by labels)", lambda: read_docx(plain_docx), None, None),
            ("our .xlsx (exact, marker)", lambda: read_xlsx(ours_xlsx),
             "floor: openpyxl opens it read-only", lambda: openpyxl.load_workbook(ours_xlsx, read_only=True).close()),
            ("edited .xlsx (by labels)", lambda: read_xlsx(plain_xlsx), None, None),
            ("draft .nbdraft", lambda: files.read_report(files.draft.save(report, out / "r.nbdraft")), None, None),
        )
        for label, fn, floor_label, floor in cases:
            fn()  # warm imports
            print(summary(label, timed(fn, runs)))
            if floor:
                print(summary(floor_label, timed(floor, runs)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
