"""Reading reports made elsewhere: one reader per format behind one registry.

Every reader walks its source and hands what it finds to :class:`~core.imports.builder.ReportBuilder`,
which shares one way of validating figures and one set of import notes (category 导入). Readers of
formats that need a heavy library import it only when a file of that format is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..model import Report

Reader = Callable[[Path], Report]


def _read_text(path: Path) -> Report:
    from .text import read_text_file

    return read_text_file(path)


def _read_docx(path: Path) -> Report:
    from .docx import read_docx  # python-docx loads only when a document is read

    return read_docx(path)


def _read_xlsx(path: Path) -> Report:
    from .xlsx import read_xlsx

    return read_xlsx(path)


def _read_html(path: Path) -> Report:
    from .html import read_html_file  # lxml.html loads only when a page is read

    return read_html_file(path)


def _read_pdf(path: Path) -> Report:
    from .pdf import ScannedPdfError, read_pdf  # pypdfium2 loads only when a PDF is read

    try:
        return read_pdf(path)
    except ScannedPdfError:
        from . import scan

        scan.require_component(path.name)  # without it, the message names the component that reads scans
        from .builder import ReportBuilder
        from .rebuild import read_pages

        from .pdf import PDFIUM_LOCK

        with PDFIUM_LOCK:  # the scan reader renders pages with PDFium too
            pages = scan.read_scan_pages(path)
        return read_pages(ReportBuilder(source=path.name, source_format="scan"), pages)


def _with_source(reader: Reader) -> Reader:
    """Record which file a report was imported from (path and SHA-256), so the 导入核对 view can show its pages
    again after the draft is reopened — and knows when the file there is no longer the one that was read."""

    def read(path: Path) -> Report:
        report = reader(path)
        record = report.imported
        if record is not None and not record.source_path and record.source == path.name:  # not an export's old record
            record.source_path, record.source_digest = source_identity(path)
        return report

    return read


def source_identity(path: Path) -> tuple[str, str]:
    """(absolute path, SHA-256 of the bytes), or ("", "") when the file cannot be read again."""
    import hashlib

    try:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return str(Path(path).resolve())[:4000], digest.hexdigest()
    except OSError:
        return "", ""


# extension → (what a clerk calls the format, reader); the draft format is added by core.files
READERS: dict[str, tuple[str, Reader]] = {
    ".docx": ("Word 文档", _with_source(_read_docx)),
    ".xlsx": ("Excel 工作簿", _with_source(_read_xlsx)),
    ".pdf": ("PDF 文件", _with_source(_read_pdf)),
    ".html": ("网页", _with_source(_read_html)),
    ".htm": ("网页", _with_source(_read_html)),
    ".txt": ("文字稿", _with_source(_read_text)),
    ".md": ("文字稿（Markdown）", _with_source(_read_text)),
}
