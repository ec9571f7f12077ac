"""Reading and writing reports by file extension: one registry the CLI and the form share."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import draft, imports
from .errors import ReportFileError
from .model import Report

Reader = Callable[[Path], Report]
Writer = Callable[[Report, Path], None]

READERS: dict[str, tuple[str, Reader]] = {draft.EXTENSION: ("年报草稿", draft.load), **imports.READERS}


def _marking(report: Report) -> dict:
    """A conversion never refuses, but marks a report that still has 错误 as 征求意见稿."""
    from .export import blocking_findings

    errors = len(blocking_findings(report))
    return {"draft": bool(errors), "errors": errors}


def _docx(report: Report, path: Path) -> None:
    from .export.docx import write_docx  # python-docx loads only when a document is written

    write_docx(report, path, **_marking(report))


def _xlsx(report: Report, path: Path) -> None:
    from .export.xlsx import write_xlsx

    write_xlsx(report, path)


def _text(report: Report, path: Path) -> None:
    from .export.text import write_text

    write_text(report, path)


def _pdf(report: Report, path: Path) -> None:
    # PDF is drawn by Qt, which lives in the GUI package; core itself never imports it.
    from gui.printing import write_pdf

    write_pdf(report, path, **_marking(report))


WRITERS: dict[str, tuple[str, Writer]] = {
    draft.EXTENSION: ("年报草稿", draft.save),
    ".docx": ("Word 文档", _docx),
    ".xlsx": ("Excel 工作簿", _xlsx),
    ".pdf": ("PDF 文件", _pdf),
    ".txt": ("文字稿", _text),
}


def read_report(path: str | Path) -> Report:
    """The report in ``path``, whatever importable format it is; ReportFileError otherwise."""
    path = Path(path)
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        known = "、".join(sorted(READERS))
        raise ReportFileError(f"无法打开「{path.name}」：不支持「{path.suffix or '无扩展名'}」格式（支持 {known}）")
    if not path.exists():
        raise ReportFileError(f"找不到文件「{path}」")
    return entry[1](path)


def write_report(report: Report, path: str | Path) -> None:
    path = Path(path)
    entry = WRITERS.get(path.suffix.lower())
    if entry is None:
        known = "、".join(sorted(WRITERS))
        raise ReportFileError(f"无法保存为「{path.name}」：不支持「{path.suffix or '无扩展名'}」格式（支持 {known}）")
    entry[1](report, path)


def open_filter() -> str:
    """A file-dialog filter listing every readable format."""
    patterns = " ".join("*" + ext for ext in READERS)
    each = ";;".join(f"{name} (*{ext})" for ext, (name, _) in READERS.items())
    return f"所有支持的文件 ({patterns});;{each}"
