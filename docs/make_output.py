"""Render the exports of the sample report to PNG pages for review.

    python docs/make_output.py

Writes docs/output/word-N.png (the .docx rendered by LibreOffice) and docs/output/qt-N.png (the Qt PDF),
for sample 001 (济源) filled in, plus the .docx, .xlsx and .pdf themselves. Needs LibreOffice and poppler.
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


def main() -> int:
    from core import draft
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from gui.printing import write_pdf

    report = draft.load(ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft")
    report.meta.sign_date = dt.date(2023, 1, 18)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    docx = write_docx(report, OUT / "sample.docx")
    write_xlsx(report, OUT / "sample.xlsx")
    qt_pdf = write_pdf(report, OUT / "sample-qt.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx)], check=True, capture_output=True, timeout=180)
        word_pdf = Path(tmp) / "sample.pdf"
        shutil.copy(word_pdf, OUT / "sample-word.pdf")
        for pdf, prefix in ((word_pdf, "word"), (qt_pdf, "qt")):
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(OUT / prefix)], check=True)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
