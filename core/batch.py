"""Check many reports at once: every readable file in the folders given, whatever its format.

For supervisors and reviewers: one row per file (organ, year, kind, format, figures read, 错误/警告/提示
counts, the first findings), a file that cannot be read is a row saying why, and a summary workbook.
The command line and the window share :func:`check_files`; progress is reported through a callback so
either can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import files
from . import layout as L
from .errors import ReportFileError
from .findings import Finding, Severity, count_by_severity
from .model import Report

Progress = Callable[[int, int, Path], None]  # done, total, the file being read


@dataclass
class Checked:
    path: Path
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the file could not be read

    @property
    def format(self) -> str:
        entry = files.READERS.get(self.path.suffix.lower())
        return entry[0] if entry else self.path.suffix

    @property
    def figures_read(self) -> int:
        if self.report is None:
            return 0
        return sum(1 for layout in L.TABLES for _, _, v in self.report.table(layout.key).inputs() if v is not None)

    def count(self, severity: Severity) -> int:
        return count_by_severity(self.findings)[severity]


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The files to check: files as given, folders walked for every readable format (sorted, no duplicates)."""
    out: list[Path] = []
    seen = set()
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in candidates:
            if path.is_dir() and (p.suffix.lower() not in files.READERS or p.name.startswith(("~$", "."))):
                continue
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def check_files(paths: Iterable[Path], previous: Report | None = None, today=None,
                progress: Progress | None = None) -> list[Checked]:
    from .rules import check

    targets = report_files(paths)
    results = []
    for i, path in enumerate(targets):
        if progress:
            progress(i, len(targets), path)
        item = Checked(path)
        try:
            item.report = files.read_report(path)
            item.findings = check(item.report, previous, today)
        except ReportFileError as e:
            item.error = str(e)
        except (MemoryError, RecursionError):
            item.error = f"「{path.name}」过大或结构异常，无法读取"
        results.append(item)
    if progress:
        progress(len(targets), len(targets), targets[-1] if targets else Path())
    return results


SUMMARY_HEADERS = ("文件", "格式", "机关名称", "报告年度", "机关类别", "读出的数字", "错误", "警告", "提示", "主要问题")
FIRST_FINDINGS = 3


def summary_rows(results: list[Checked]) -> list[tuple]:
    rows = []
    for item in results:
        if item.report is None:
            rows.append((item.path.name, item.format, "", "", "", 0, "", "", "", f"无法读取：{item.error}"))
            continue
        meta = item.report.meta
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        serious = sorted(item.findings, key=lambda f: order.get(f.severity, 3))
        first = "；".join(f"[{f.severity.label}] {f.message}" for f in serious[:FIRST_FINDINGS])
        rows.append((item.path.name, item.format, meta.organ, meta.year, meta.kind.value, item.figures_read,
                     item.count(Severity.ERROR), item.count(Severity.WARNING), item.count(Severity.INFO), first))
    return rows


def write_summary(results: list[Checked], path: Path) -> None:
    """The summary workbook: one row per file; user text is written as text, never as a formula."""
    import os
    import tempfile

    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "批量检查"
    ws.append(SUMMARY_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(summary_rows(results), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, _printable(value))
            if isinstance(value, str):
                cell.data_type = "s"  # a name or message starting with = stays text, never a formula
    for col, width in zip("ABCDEFGHIJ", (36, 12, 30, 9, 14, 10, 7, 7, 7, 90)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _printable(value):
    if isinstance(value, str):
        from .model import printable

        return printable(value)[:32000]
    return value
