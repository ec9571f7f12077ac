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


def marking(report: Report) -> dict:
    """A conversion never refuses, but marks a report that still has 错误 as 征求意见稿."""
    from .export import blocking_findings

    errors = len(blocking_findings(report))
    return {"draft": bool(errors), "errors": errors}


def _docx(report: Report, path: Path) -> None:
    from .export.docx import write_docx  # python-docx loads only when a document is written

    write_docx(report, path, **marking(report))


def _xlsx(report: Report, path: Path) -> None:
    from .export.xlsx import write_xlsx

    write_xlsx(report, path)


def _text(report: Report, path: Path) -> None:
    from .export.text import write_text

    write_text(report, path)


WRITERS: dict[str, tuple[str, Writer]] = {
    draft.EXTENSION: ("年报草稿", draft.save),
    ".docx": ("Word 文档", _docx),
    ".xlsx": ("Excel 工作簿", _xlsx),
    ".txt": ("文字稿", _text),
}
# Writers that need more than the core (the PDF is drawn by Qt, in the GUI package) register themselves
# through this entry-point group; the core never imports them by name.
PLUGIN_GROUP = "nianbao.writers"
_plugins_loaded = False


def register_writer(extension: str, name: str, export: Callable[..., Path]) -> None:
    """Add an exporter for ``extension``: ``export(report, path, *, options=None, errors=None, draft=False)``
    like :func:`core.export.docx.write_docx`. A conversion marks a report with 错误 as 征求意见稿."""
    extension = extension.lower()
    EXPORTERS[extension] = export
    WRITERS[extension] = (name, lambda report, path: export(report, path, **marking(report)))


EXPORTERS: dict[str, Callable[..., Path]] = {}


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            entry.load()()
        except ImportError:
            continue  # that component is not installed: its format is reported as unavailable


def writer_for(extension: str) -> tuple[str, Writer] | None:
    extension = extension.lower()
    if extension not in WRITERS:
        _load_plugins()
    return WRITERS.get(extension)


def exporter(extension: str) -> Callable[..., Path] | None:
    """The registered exporter for ``extension`` (with options), loading the plugins when needed."""
    writer_for(extension)
    return EXPORTERS.get(extension.lower())


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
    entry = writer_for(path.suffix)
    if entry is None:
        known = "、".join(sorted(WRITERS))
        if path.suffix.lower() == ".pdf":
            raise ReportFileError(f"无法保存为「{path.name}」：导出 PDF 需要程序的图形界面组件，当前安装中没有（可导出 {known}）")
        raise ReportFileError(f"无法保存为「{path.name}」：不支持「{path.suffix or '无扩展名'}」格式（支持 {known}）")
    entry[1](report, path)


def open_filter() -> str:
    """A file-dialog filter listing every readable format."""
    patterns = " ".join("*" + ext for ext in READERS)
    each = ";;".join(f"{name} (*{ext})" for ext, (name, _) in READERS.items())
    return f"所有支持的文件 ({patterns});;{each}"
