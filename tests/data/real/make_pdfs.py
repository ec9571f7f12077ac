"""Make the PDFs the PDF reader is tested on: each corpus page's article printed the way Word/WPS
"另存为 PDF" prints a report (LibreOffice Writer, A4), the article alone without the site around it.

    python tests/data/real/make_pdfs.py      (needs soffice on PATH; writes tests/data/real/pdf/*.pdf)

Also ``pdf/edited/*.pdf``: a page with one figure changed to something no cell may hold (see ``EDITS``), so
the window tests have a PDF whose import marks a cell and says where it is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from core.imports.html import _page_title, _walk, article_element  # noqa: E402


def article_html(page: Path) -> str:
    root = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    title = _page_title(root) or ""
    element = article_element(list(_walk(root)))
    body = lxml.html.tostring(element, encoding="unicode")
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h1 style="text-align:center">{title}</h1>{body}</body></html>')


# output name → (corpus page, the cell's HTML as printed, what it is changed to)
EDITS = {
    "zrz_2023_new_natural_1.5": ("pingtan_zrz_2023_86684.html", "<p>19</p>", "<p>1.5</p>"),  # 表三 新收 自然人
}


def _print(sources: list[str], out: Path) -> None:
    subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf",
                    "--outdir", str(out), *sources], check=True, capture_output=True)


def main() -> None:
    out = HERE / "pdf"
    edited = out / "edited"
    edited.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for page in sorted(HERE.glob("*.html")):
            source = Path(tmp) / page.name
            source.write_text(article_html(page), encoding="utf-8")
            sources.append(str(source))
        _print(sources, out)
        changed = []
        for name, (page, before, after) in EDITS.items():
            html = article_html(HERE / page)
            assert before in html, (page, before)
            source = Path(tmp) / f"{name}.html"
            source.write_text(html.replace(before, after, 1), encoding="utf-8")
            changed.append(str(source))
        _print(changed, edited)
    for pdf in sorted(out.rglob("*.pdf")):
        print(pdf.relative_to(out), pdf.stat().st_size)


if __name__ == "__main__":
    main()
