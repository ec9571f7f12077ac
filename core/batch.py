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

from . import atomic, files
from . import layout as L
from .errors import ReportFileError
from .findings import Finding, Severity, count_by_severity
from .model import Report

Progress = Callable[[int, int, Path], None]  # done, total, the file being read
UNREAD_RULE = "IMPORT-UNREAD"  # what the reader could not read: the program's failure, not the report's


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

    @property
    def about_report(self) -> list[Finding]:
        """Findings about the report itself: without what the program could not read, and without checks of
        rows the program could not read (a row left blank by the reader would be called blank or unbalanced)."""
        return [f for f in self.findings if f.rule != UNREAD_RULE and not self._rests_on_unread(f)]

    @property
    def _unread_rows(self) -> set[tuple[str, str | None]]:
        return {(loc.table, loc.row) for f in self.findings if f.rule == UNREAD_RULE for loc in f.locations
                if loc.table}

    def _rests_on_unread(self, finding: Finding) -> bool:
        unread = self._unread_rows
        tables = {t for t, _ in unread}
        return any(loc.table in tables and (loc.row is None or (loc.table, loc.row) in unread
                                            or (loc.table, None) in unread) for loc in finding.locations)

    def count(self, severity: Severity) -> int:
        return count_by_severity(self.about_report)[severity]

    @property
    def unread(self) -> str:
        """What the program could not read, said as the program's failure ("" when it read everything)."""
        if self.error is not None:
            return f"本程序无法读取此文件：{self.error}"
        said = [f.message for f in self.findings if f.rule == UNREAD_RULE]
        if not said:
            return ""
        left_out = sum(1 for f in self.findings if f.rule != UNREAD_RULE and self._rests_on_unread(f))
        text = f"本程序未能读出 {len(said)} 处，请对照原文核对：" + "；".join(said)
        if left_out:
            text += f"。涉及这些行的 {left_out} 条检查结果未计入"
        return text


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
                progress: Progress | None = None, stop: Callable[[], bool] | None = None,
                each: Callable[[Checked], None] | None = None) -> list[Checked]:
    """Every file of ``paths`` checked in order; ``stop()`` returning True ends the run after the current file,
    ``each(result)`` hears of every file as soon as it is checked (a window lists it at once)."""
    targets = report_files(paths)
    results = []
    for i, path in enumerate(targets):
        if stop is not None and stop():
            return results  # cancelled: the files checked so far
        if progress:
            progress(i, len(targets), path)
        results.append(check_file(path, previous, today))
        if each is not None:
            each(results[-1])
    if progress:
        progress(len(targets), len(targets), targets[-1] if targets else Path())
    return results


def check_file(path: Path, previous: Report | None = None, today=None) -> Checked:
    """One file read and checked; a file that cannot be read is a result saying why, never an exception."""
    from .rules import check

    item = Checked(path)
    try:
        item.report = files.read_report(path)
        item.findings = check(item.report, previous, today)
    except ReportFileError as e:
        item.error = str(e)
    except (MemoryError, RecursionError):
        item.error = f"「{path.name}」过大或结构异常，无法读取"
    return item


SUMMARY_HEADERS = ("文件", "格式", "机关名称", "报告年度", "机关类别", "读出的数字", "错误", "警告", "提示", "主要问题",
                   "未能读取的内容")
FIRST_FINDINGS = 3


def summary_rows(results: list[Checked]) -> list[tuple]:
    rows = []
    for item in results:
        if item.report is None:
            rows.append((item.path.name, item.format, "", "", "", 0, "", "", "", "", item.unread))
            continue
        meta = item.report.meta
        rows.append((item.path.name, item.format, meta.organ, meta.year, meta.kind.value, item.figures_read,
                     item.count(Severity.ERROR), item.count(Severity.WARNING), item.count(Severity.INFO),
                     first_findings(item), item.unread))
    return rows


def first_findings(item: Checked, count: int = FIRST_FINDINGS) -> str:
    """The most serious findings about the report, first ones first."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    serious = sorted(item.about_report, key=lambda f: order.get(f.severity, 3))
    return "；".join(f"[{f.severity.label}] {f.message}" for f in serious[:count])


def write_summary(results: list[Checked], path: Path) -> None:
    """The summary workbook: one row per file; user text is written as text, never as a formula."""
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
    for col, width in zip("ABCDEFGHIJK", (36, 12, 30, 9, 14, 10, 7, 7, 7, 90, 60)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=11):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    with atomic.atomic_path(path, "检查汇总") as tmp:  # a kill or a full disk leaves the previous summary whole
        wb.save(tmp)


def _printable(value):
    if isinstance(value, str):
        from .model import printable

        return printable(value)[:32000]
    return value
