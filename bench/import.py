"""Import times per format for the full sample report, next to the bare library opening the same file;
a 10-page PDF and the published web pages with their peak memory; and the accuracy over the corpus.

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
        ten = ten_page_pdf(out / "ten.pdf")
        for label, fn in (("PDF, 10 pages (corpus pages, text layer)", lambda: files.read_report(ten)),
                          ("web page (largest of the corpus, 215 KB)", lambda: files.read_report(largest_page()))):
            fn()
            print(summary(label, timed(fn, runs)) + f"  peak {peak_memory(fn) / 1024 / 1024:.1f} MB (Python heap)")
    accuracy()


def ten_page_pdf(path: Path) -> Path:
    import pypdfium2 as pdfium

    from tests.realdata import REAL

    pdf = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(p)) for p in sorted((REAL / "pdf").glob("*.pdf"))[:3]]
    for source in sources:
        pdf.import_pages(source)
        if len(pdf) >= 10:
            break
    while len(pdf) > 10:
        pdf.del_page(len(pdf) - 1)
    pdf.save(str(path))
    assert len(pdf) == 10
    return path


def largest_page() -> Path:
    from tests.realdata import REAL

    return max(REAL.glob("*.html"), key=lambda p: p.stat().st_size)


def peak_memory(fn) -> int:
    import tracemalloc

    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def accuracy() -> None:
    """Cells right / wrong / missed per corpus report, as a web page and printed to PDF."""
    from core import files
    from tests.realdata import REAL, compare, truth

    print(f"\n{'report':<34}{'format':<6}{'right':>7}{'wrong':>7}{'missed':>8}")
    totals = {}
    for entry in truth():
        for fmt, path in (("html", REAL / entry["file"]), ("pdf", REAL / "pdf" / entry["file"].replace(".html", ".pdf"))):
            tally = compare(files.read_report(path), entry)
            t = totals.setdefault(fmt, [0, 0, 0])
            t[0], t[1], t[2] = t[0] + tally.right, t[1] + len(tally.wrong), t[2] + len(tally.missed)
            print(f"{entry['file'][:33]:<34}{fmt:<6}{tally.right:>7}{len(tally.wrong):>7}{len(tally.missed):>8}")
    for fmt, (right, wrong, missed) in totals.items():
        print(f"{'all':<34}{fmt:<6}{right:>7}{wrong:>7}{missed:>8}   {100 * right / (right + wrong + missed):.2f} %")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
