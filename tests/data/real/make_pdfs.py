"""Make the PDFs the PDF reader is tested on: each corpus page's article printed the way Word/WPS
"另存为 PDF" prints a report (LibreOffice Writer, A4), the article alone without the site around it.

    python tests/data/real/make_pdfs.py      (needs soffice on PATH; writes tests/data/real/pdf/*.pdf)
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


def main() -> None:
    out = HERE / "pdf"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for page in sorted(HERE.glob("*.html")):
            source = Path(tmp) / page.name
            source.write_text(article_html(page), encoding="utf-8")
            sources.append(str(source))
        subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf",
                        "--outdir", str(out), *sources], check=True, capture_output=True)
    for pdf in sorted(out.glob("*.pdf")):
        print(pdf.name, pdf.stat().st_size)


if __name__ == "__main__":
    main()
