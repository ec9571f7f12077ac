"""Render the exports to PNG pages for review, the Word file (through LibreOffice) beside the program's PDF.

    python docs/make_output.py

For sample 001 (济源 2022) and a county-scale variant of it with five- to seven-digit figures, writes
docs/output/<name>.docx, .xlsx and .pdf, the .docx rendered by LibreOffice as <name>-word.pdf, the pages of
both as <name>-word-N.png and <name>-pdf-N.png, and <name>-compare.png: each Word page above the same
page of the program's PDF. Needs LibreOffice, poppler and ImageMagick.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "output"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DPI = 60


def main() -> int:
    from core import draft
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from gui.printing import write_pdf
    from tests.factories import county_scale

    sample = draft.load(ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft")
    sample.meta.sign_date = dt.date(2023, 1, 18)
    county = county_scale(sample, 7, seed=13)
    county.meta.organ = "某某县人民政府办公室"
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    for name, report in (("sample", sample), ("county", county)):
        docx = write_docx(report, OUT / f"{name}.docx")
        write_xlsx(report, OUT / f"{name}.xlsx")
        pdf = write_pdf(report, OUT / f"{name}.pdf")
        with tempfile.TemporaryDirectory() as tmp:
            profile = Path(tmp) / "profile"
            subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                            "pdf", "--outdir", tmp, str(docx)], check=True, capture_output=True, timeout=180)
            word_pdf = OUT / f"{name}-word.pdf"
            shutil.copy(Path(tmp) / f"{name}.pdf", word_pdf)
        for source, prefix in ((word_pdf, f"{name}-word"), (pdf, f"{name}-pdf")):
            subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(OUT / prefix)], check=True)
        word = sorted(OUT.glob(f"{name}-word-*.png"))
        ours = sorted(OUT.glob(f"{name}-pdf-*.png"))
        # One row of Word pages above one row of the program's pages.
        with tempfile.TemporaryDirectory() as tmp:
            rows = []
            for i, pages in enumerate((word, ours)):
                rows.append(str(Path(tmp) / f"row{i}.png"))
                subprocess.run(["montage", *map(str, pages), "-tile", f"{len(pages)}x1", "-geometry", "+4+4",
                                rows[-1]], check=True)
            subprocess.run(["convert", *rows, "-background", "white", "-append",
                            str(OUT / f"{name}-compare.png")], check=True)
    for path in sorted(OUT.glob("*")):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
