"""汇总: a summary report whose tables are the sums of its units' tables, and who contributed what.

Reading a unit (parse and self-check) is the slow part and happens once, in :func:`read_units`;
summing (:func:`compile_units`) is quick, so a window can re-sum at once when the supervisor leaves a
unit out. Nothing a unit sends stops a compile: an unreadable file becomes a message on its unit.

Blank cells are summed as 0 and listed per unit; the fee is summed in 万元 and rounded to 4 places.
A file sent twice (same bytes) counts once; one organ appearing in two different files is flagged,
both are summed, and the supervisor removes one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Callable, Collection, Iterable

from . import files
from . import layout as L
from .errors import ReportFileError, damage_reason, os_reason
from .findings import Finding, Severity, count_by_severity
from .model import Figure, Level, Metadata, OrganKind, Report
from .roster import organ_key
from .rules import check

Cell = tuple[str, str, str]  # (table key, row key, column key)
FEE_QUANTUM = Decimal(1).scaleb(-L.FEE_PLACES)  # 0.0001 万元
SKIPPED_PREFIXES = ("~$", ".")  # Office lock files and half-written temporary files beside the reports
SAME_FILE = "同一文件"
SAME_ORGAN = "同一机关"


def collect_files(paths: Iterable[str | Path], ignore: Iterable[str | Path] = ()) -> list[Path]:
    """The files named, and the report files in the folders named (subfolders too), each once."""
    ignored = {Path(p).resolve() for p in ignore}
    out: list[Path] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        found = sorted(f for f in given.rglob("*") if f.is_file() and _looks_like_report(f)) \
            if given.is_dir() else [given]
        for f in found:
            key = f.resolve()
            if key not in seen and key not in ignored:
                seen.add(key)
                out.append(f)
    return out


def _looks_like_report(f: Path) -> bool:
    return f.suffix.lower() in files.READERS and not f.name.startswith(SKIPPED_PREFIXES)


# -- units ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Unit:
    """One file given to the compile: its report and self-check, or why it could not be read."""

    path: Path
    report: Report | None = None
    error: str = ""  # why the file could not be read, in Chinese
    findings: tuple[Finding, ...] = ()
    digest: str = ""  # of the file's bytes: the same file sent twice under two names
    modified: dt.datetime | None = None

    @property
    def readable(self) -> bool:
        return self.report is not None

    @property
    def name(self) -> str:
        """How lists name the unit: its organ, or the file name when it names none."""
        return (self.report.meta.organ if self.report else "") or self.path.name

    @cached_property
    def counts(self) -> dict[Severity, int]:
        return count_by_severity(self.findings)

    @property
    def errors(self) -> int:
        return self.counts[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return self.counts[Severity.WARNING]

    @cached_property
    def figures(self) -> dict[str, dict[tuple[str, str], Figure]]:
        """Every figure cell of every table, totals included; None where the unit left it blank."""
        return {t.layout.key: t.resolved() for t in self.report.tables()} if self.report else {}

    @cached_property
    def blank_cells(self) -> tuple[Cell, ...]:
        if not self.report:
            return ()
        return tuple((t.layout.key, r, c) for t in self.report.tables() for r, c in t.blank_cells())


def read_unit(path: str | Path, today: dt.date | None = None) -> Unit:
    path = Path(path)
    try:
        report = files.read_report(path)
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except ReportFileError as e:
        return Unit(path, error=str(e))
    except OSError as e:
        return Unit(path, error=f"无法读取「{path.name}」：{os_reason(e)}")
    except Exception as e:  # noqa: BLE001 — one malformed file must never stop a compile of hundreds
        return Unit(path, error=f"无法读取「{path.name}」：文件内容无法识别（{damage_reason(e)}）")
    return Unit(path, report, findings=tuple(check(report, today=today)), digest=digest, modified=modified)


def read_units(paths: Iterable[str | Path], today: dt.date | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Unit]:
    """Read and self-check every file; ``progress(done, total)`` is called after each one."""
    paths = list(paths)
    units = []
    for i, path in enumerate(paths, start=1):
        units.append(read_unit(path, today))
        if progress:
            progress(i, len(paths))
    return units


# -- the compile ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    reason: str  # SAME_FILE: later copies are not summed; SAME_ORGAN: all are summed, remove one
    units: tuple[Unit, ...]

    def describe(self) -> str:
        names = "、".join(u.path.name for u in self.units)
        if self.reason == SAME_FILE:
            return f"内容相同的文件：{names}（只计入一次）"
        return f"同一机关「{self.units[0].name}」有 {len(self.units)} 份报告：{names}（均已计入，请删去多余的一份后重新汇总）"


@dataclass(frozen=True)
class Contribution:
    unit: Unit
    value: Figure  # as the unit reported it; None is a blank, summed as 0


@dataclass
class Compilation:
    summary: Report
    units: list[Unit]  # every file given, in order
    included: list[Unit]
    excluded: list[tuple[Unit, str]] = field(default_factory=list)  # readable units not summed, and why
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def unreadable(self) -> list[Unit]:
        return [u for u in self.units if not u.readable]

    @property
    def with_errors(self) -> list[Unit]:
        """Readable units with 错误, each once (a second copy of a file is not listed again)."""
        copies = {u for d in self.duplicates if d.reason == SAME_FILE for u in d.units[1:]}
        return [u for u in self.units if u.readable and u.errors and u not in copies]

    @property
    def other_year(self) -> list[Unit]:
        """Units summed whose report year is not the summary's."""
        return [u for u in self.included if u.report.meta.year != self.summary.meta.year]

    @property
    def blanks(self) -> list[tuple[Unit, tuple[Cell, ...]]]:
        """Summed units that left cells blank (summed as 0), with the cells."""
        return [(u, u.blank_cells) for u in self.included if u.blank_cells]

    @property
    def needs_attention(self) -> bool:
        """Some figures may be missing or counted twice: an unreadable file or a duplicate organ."""
        return bool(self.unreadable or any(d.reason == SAME_ORGAN for d in self.duplicates))

    def breakdown(self, table: str, row: str, col: str, by_value: bool = True) -> list[Contribution]:
        """Who contributed how much to one cell of the summary: largest first, or in file order."""
        out = [Contribution(u, u.figures[table][(row, col)]) for u in self.included]
        if by_value:
            out.sort(key=lambda c: c.value if c.value is not None else -1, reverse=True)
        return out


def compile_units(units: Iterable[Unit], organ: str = "", year: int | None = None,
                  kind: OrganKind = OrganKind.GOVERNMENT, level: Level = Level.COUNTY,
                  exclude_errors: bool = False, exclude: Collection[Unit] = ()) -> Compilation:
    """Sum the readable units into a new report of ``organ``; ``year`` defaults to the units' usual year.

    Units with 错误 are summed unless ``exclude_errors``; units in ``exclude`` are left out by hand.
    """
    units = list(units)
    readable = [u for u in units if u.readable]
    duplicates, copies = _duplicates(readable)
    excluded: list[tuple[Unit, str]] = []
    included: list[Unit] = []
    for u in readable:
        reason = ("手工排除" if u in exclude else copies.get(u)
                  or (f"有 {u.errors} 处错误" if exclude_errors and u.errors else None))
        if reason:
            excluded.append((u, reason))
        else:
            included.append(u)
    if year is None:
        years = Counter(u.report.meta.year for u in readable)
        year = years.most_common(1)[0][0] if years else dt.date.today().year - 1
    meta = Metadata(organ=organ, kind=kind, level=level, year=year)
    summary = Report(meta=meta, **sum_tables(included))
    return Compilation(summary, units, included, excluded, duplicates)


def compile_files(paths: Iterable[str | Path], organ: str = "", year: int | None = None,
                  kind: OrganKind = OrganKind.GOVERNMENT, level: Level = Level.COUNTY,
                  exclude_errors: bool = False, today: dt.date | None = None) -> Compilation:
    """Read the files and folders given and sum them: :func:`read_units` then :func:`compile_units`."""
    units = read_units(collect_files(paths), today)
    return compile_units(units, organ, year, kind, level, exclude_errors)


def _duplicates(units: list[Unit]) -> tuple[list[Duplicate], dict[Unit, str]]:
    """Files with the same bytes (the later copies are not summed) and organs reported twice."""
    by_digest: dict[str, list[Unit]] = {}
    for u in units:
        by_digest.setdefault(u.digest, []).append(u)
    duplicates, copies = [], {}
    for same in by_digest.values():
        if len(same) > 1:
            duplicates.append(Duplicate(SAME_FILE, tuple(same)))
            copies.update((u, f"与「{same[0].path.name}」内容相同") for u in same[1:])
    by_organ: dict[str, list[Unit]] = {}
    for u in units:
        key = organ_key(u.report.meta.organ)
        if key and u not in copies:
            by_organ.setdefault(key, []).append(u)
    duplicates += [Duplicate(SAME_ORGAN, tuple(same)) for same in by_organ.values() if len(same) > 1]
    return duplicates, copies


def sum_tables(units: Iterable[Unit]) -> dict[str, dict[str, dict[str, Figure]]]:
    """The input cells of every table summed over ``units``, blanks as 0; the fee rounded to 4 places."""
    units = list(units)
    out = {}
    for layout in L.TABLES:
        totals = {cell: Decimal(0) if layout.kind(*cell) == "money" else 0 for cell in layout.input_cells}
        for u in units:
            root = u.report.table(layout.key).root
            for r, c in layout.input_cells:
                v = root[r][c]
                if v is not None:
                    totals[(r, c)] += v
        table: dict[str, dict[str, Figure]] = {}
        for (r, c), v in totals.items():
            if isinstance(v, Decimal):
                v = v.quantize(FEE_QUANTUM, rounding=ROUND_HALF_UP)
            table.setdefault(r, {})[c] = v
        out[layout.key] = table
    return out


# -- the breakdown workbook -------------------------------------------------------------------


def write_breakdown_xlsx(result: Compilation, path: str | Path) -> Path:
    """A workbook a supervisor can sort: the units and their state, then one sheet per table with a
    row per unit and a column per cell (totals included), the summary above. Blank cells are yellow."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _units_sheet(wb, result)
    for layout in L.TABLES:
        _table_sheet(wb, result, layout)
    path = Path(path)
    wb.save(str(path))
    return path


def _styled(ws, value, *, bold=False, fill=None, wrap=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = WriteOnlyCell(ws, value)
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


BLANK_FILL = "FFF2B3"
SUM_FILL = "E8EEF8"


def _units_sheet(wb, result: Compilation) -> None:
    ws = wb.create_sheet("单位")
    for col, width in zip("ABCDEFGH", (6, 36, 36, 8, 7, 7, 9, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    ws.append([_styled(ws, f"{result.summary.meta.display_title}　汇总明细", bold=True)])
    headers = ("序号", "单位", "文件", "年度", "错误", "警告", "空白格", "汇总情况")
    ws.append([_styled(ws, h, bold=True, fill=SUM_FILL) for h in headers])
    excluded = dict(result.excluded)
    for n, u in enumerate(result.units, start=1):
        if not u.readable:
            ws.append([n, u.name, u.path.name, None, None, None, None, _styled(ws, "未计入：" + u.error, wrap=True)])
            continue
        state = "未计入：" + excluded[u] if u in excluded else "已计入"
        ws.append([n, u.name, u.path.name, u.report.meta.year, u.errors, u.warnings, len(u.blank_cells), state])
    ws.auto_filter.ref = f"A2:H{len(result.units) + 2}"


def _table_sheet(wb, result: Compilation, layout: L.TableLayout) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(layout.name)
    cells = [g.figure for g in sorted(layout.figure_positions.values(), key=lambda g: (g.row, g.col))]
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 24
    for i in range(len(cells)):
        ws.column_dimensions[get_column_letter(3 + i)].width = 14
    ws.freeze_panes = "C4"
    summary = result.summary.table(layout.key).resolved()
    ws.append([_styled(ws, f"{layout.name}　各单位数字（共 {len(result.included)} 个单位）", bold=True)])
    ws.append([_styled(ws, "汇总", bold=True, fill=SUM_FILL), ""] +
              [_figure(ws, layout, rc, summary[rc], bold=True, fill=SUM_FILL) for rc in cells])
    names = [layout.cell_name(r, c)[len(layout.name):] for r, c in cells]
    ws.append([_styled(ws, h, bold=True, wrap=True) for h in ["单位", "文件"] + names])
    for u in result.included:
        figures = u.figures[layout.key]
        ws.append([u.name, u.path.name] + [_figure(ws, layout, rc, figures[rc]) for rc in cells])
    last = get_column_letter(2 + len(cells))
    ws.auto_filter.ref = f"A3:{last}{len(result.included) + 3}"


def _figure(ws, layout: L.TableLayout, cell: tuple[str, str], value: Figure, **style):
    if value is None:
        return _styled(ws, None, fill=BLANK_FILL)
    if layout.kind(*cell) == "money":
        from .export.xlsx import FEE_FORMAT  # the fee shown as the report workbook shows it

        styled = _styled(ws, value, **style)
        styled.number_format = FEE_FORMAT
        return styled
    return _styled(ws, value, **style) if style else value
