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
import operator
import os
from array import array
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cached_property, partial
from pathlib import Path
from typing import Callable, Collection, Iterable

from . import draft, files
from . import layout as L
from .atomic import atomic_file
from .errors import ReportFileError, damage_reason, os_reason
from .findings import Finding, Severity, count_by_severity
from .model import TABLE_CLASSES, Figure, Level, Metadata, OrganKind, Report
from .model import _sum as sum_figures  # a total as the tables compute it: blank only when all are
from .roster import organ_key
from .rules import check, check_serious
from .xlsx_stream import Style, StreamingWorkbook, check_workbook, column_letter
from .xlsx_stream import Cell as Styled

Cell = tuple[str, str, str]  # (table key, row key, column key)
FEE_QUANTUM = Decimal(1).scaleb(-L.FEE_PLACES)  # 0.0001 万元
SKIPPED_PREFIXES = ("~$", ".")  # Office lock files and half-written temporary files beside the reports
SAME_FILE = "同一文件"
SAME_ORGAN = "同一机关"


def collect_files(paths: Iterable[str | Path], ignore: Iterable[str | Path] = ()) -> list[Path]:
    """The files named, and the report files in the folders named (subfolders too), each once."""
    ignored = {os.fspath(Path(p).resolve()) for p in ignore}
    out: list[Path] = []
    seen: set[str] = set()
    for given in map(Path, paths):
        for f, key in _report_files(given) if given.is_dir() else [(given, os.fspath(given.resolve()))]:
            if key not in seen and key not in ignored:
                seen.add(key)
                out.append(f)
    return out


def _report_files(folder: Path) -> list[tuple[Path, str]]:
    """The report files under ``folder`` as ``sorted(folder.rglob("*"))`` lists them (a folder linked into it
    is not entered), each with its resolved path. A province's folder holds fifty thousand files: resolving
    the folder once, not every file, and sorting on names, not paths, takes a fifth of the time."""
    found: list[tuple[tuple[str, ...], Path, str]] = []

    def walk(here: Path, real: str, names: tuple[str, ...]) -> None:
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError:
            return  # as rglob: a folder that cannot be listed adds nothing
        for e in entries:
            try:
                if e.is_dir() and not e.is_symlink():
                    walk(here / e.name, os.path.join(real, e.name), names + (os.path.normcase(e.name),))
                elif e.is_file() and _looks_like_report(e.name):
                    path = here / e.name
                    key = os.fspath(path.resolve()) if e.is_symlink() else os.path.join(real, e.name)
                    found.append((names + (os.path.normcase(e.name),), path, key))
            except OSError:
                continue
    walk(folder, os.fspath(folder.resolve()), ())
    found.sort(key=operator.itemgetter(0))
    return [(path, key) for _, path, key in found]


def _looks_like_report(name: str) -> bool:
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as Path.suffix
    return suffix.lower() in files.READERS and not name.startswith(SKIPPED_PREFIXES)


# -- units ------------------------------------------------------------------------------------

# Every input cell of every table, in layout order: a unit keeps its figures as one compact array in this
# order (a count, or BLANK), and its fees apart as Decimals. Totals are computed when asked for.
INPUTS: tuple[Cell, ...] = tuple((t.key, r, c) for t in L.TABLES for r, c in t.input_cells)
_MONEY = tuple(i for i, (t, r, c) in enumerate(INPUTS) if L.TABLE_BY_KEY[t].kind(r, c) == "money")
_MONEY_SET = frozenset(_MONEY)
_INDEX = {cell: i for i, cell in enumerate(INPUTS)}
BLANK = -1
_TABLE_INPUTS = {t.key: tuple((r, c, _INDEX[(t.key, r, c)]) for r, c in t.input_cells) for t in L.TABLES}
_TABLE_CELLS = tuple((t.key, t.input_cells) for t in L.TABLES)  # INPUTS, table by table


class FigureError(ValueError):
    """A figure a compile cannot add up (far beyond any count of cases, or a fee beyond any amount)."""


def _compact(report: Report) -> tuple[array, tuple[Decimal | None, ...]]:
    values = []
    for table, cells in _TABLE_CELLS:
        root = report.table(table).root
        values += [root[r][c] for r, c in cells]
    money = tuple(values[i] for i in _MONEY)  # a blank fee too: the fee cells keep their places
    for i, v in zip(_MONEY, money):
        values[i] = 0
        if v is None:
            continue
        try:
            v.quantize(FEE_QUANTUM, rounding=ROUND_HALF_UP)  # fails beyond 28 digits: cannot be summed
        except InvalidOperation:
            table, row, col = INPUTS[i]
            raise FigureError(f"{L.TABLE_BY_KEY[table].cell_name(row, col)}金额「{_short(v)}」超出范围") from None
    if None in values:
        values = [BLANK if v is None else v for v in values]
    for typecode in ("i", "q"):
        try:
            return array(typecode, values), tuple(money)
        except OverflowError:
            continue
    i = next(i for i, v in enumerate(values) if v > 2 ** 63 - 1)
    table, row, col = INPUTS[i]
    raise FigureError(f"{L.TABLE_BY_KEY[table].cell_name(row, col)}的数字位数过多，超出范围")


def _short(v: Decimal) -> str:
    text = f"{v:.6E}" if abs(v.adjusted()) > 30 else str(v)
    return text if len(text) <= 30 else text[:30] + "…"


@dataclass(eq=False)
class Unit:
    """One file given to the compile: what the summary, the breakdown and the unit list need of its report
    (organ, year, self-check counts, figures as one compact array), or why it could not be read.

    The report itself is not kept: a province's fifty thousand units take some tens of megabytes.
    ``findings`` are kept only when asked for (the 汇总 window shows a unit's findings).
    """

    path: Path
    error: str = ""  # why the file could not be read, in Chinese
    organ: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    findings: tuple[Finding, ...] = ()
    digest: str = ""  # of the file's bytes: the same file sent twice under two names
    modified: dt.datetime | None = None
    values: array | None = None  # every input cell (INPUTS order), BLANK where blank
    money: tuple[Decimal | None, ...] = ()  # the fee cells, in order

    @classmethod
    def of(cls, path: str | Path, report: Report, findings: Iterable[Finding] = (), digest: str = "",
           modified: dt.datetime | None = None, keep_findings: bool = True) -> "Unit":
        """The unit of a report read and checked; raises FigureError for a figure that cannot be summed."""
        findings = tuple(findings)
        counts = count_by_severity(findings)
        values, money = _compact(report)
        return cls(Path(path), organ=report.meta.organ, year=report.meta.year, errors=counts[Severity.ERROR],
                   warnings=counts[Severity.WARNING], findings=findings if keep_findings else (), digest=digest,
                   modified=modified, values=values, money=money)

    @property
    def readable(self) -> bool:
        return self.values is not None

    @property
    def name(self) -> str:
        """How lists name the unit: its organ, or the file name when it names none."""
        return self.organ or self.path.name

    def inputs(self, table: str) -> dict[str, dict[str, Figure]]:
        """The unit's input figures of one table, ``{row: {column: figure or None}}``."""
        out: dict[str, dict[str, Figure]] = {}
        values, money = self.values, dict(zip(_MONEY, self.money))
        for r, c, i in _TABLE_INPUTS[table]:
            v = money[i] if i in money else values[i]
            out.setdefault(r, {})[c] = None if v == BLANK and i not in money else v
        return out

    @property
    def figures(self) -> dict[str, dict[tuple[str, str], Figure]]:
        """Every figure cell of every table, totals included; None where the unit left it blank."""
        if not self.readable:
            return {}
        return {key: cls.model_construct(root=self.inputs(key)).resolved() for key, cls in TABLE_CLASSES.items()}

    def table_is_blank(self, table: str) -> bool:
        """Whether the unit left every input cell of ``table`` blank (it would be summed as zeros)."""
        blank = set(self.blank_cells)
        return all((table, r, c) in blank for r, c, _ in _TABLE_INPUTS[table])

    @cached_property  # asked for by every list of a province's units, several times
    def blank_cells(self) -> tuple[Cell, ...]:
        if not self.readable or (BLANK not in self.values and None not in self.money):
            return ()  # most units: found at C speed, asked for by every list of a province's units
        money = dict(zip(_MONEY, self.money))
        return tuple(cell for i, cell in enumerate(INPUTS)
                     if (money[i] is None if i in money else self.values[i] == BLANK))


def read_unit(path: str | Path, today: dt.date | None = None, keep_findings: bool = True) -> Unit:
    """Read and self-check one file. Nothing in it can stop a compile: whatever fails becomes its message."""
    path = Path(path)
    try:
        # A draft is read without tidying its folder: looking for stray temporary files lists the whole
        # folder, once per unit, and a province's folder holds tens of thousands of units.
        if path.suffix.lower() == draft.EXTENSION:  # read once: its bytes are parsed and digested
            raw, status = draft.read(path)
            report = draft.loads(raw, path.name)
            digest = hashlib.sha256(raw).hexdigest()
        else:
            report = files.read_report(path)
            with path.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            status = path.stat()
        modified = dt.datetime.fromtimestamp(status.st_mtime).replace(microsecond=0)
        # Only the counts of 错误 and 警告 are kept when the findings are not: rules that only advise are not run.
        findings = check(report, today=today) if keep_findings else check_serious(report, today)
        return Unit.of(path, report, findings, digest, modified, keep_findings)
    except ReportFileError as e:
        return Unit(path, error=str(e))
    except FigureError as e:
        return Unit(path, error=f"无法汇总「{path.name}」：{e}")
    except OSError as e:
        return Unit(path, error=f"无法读取「{path.name}」：{os_reason(e)}")
    except RecursionError:
        return Unit(path, error=f"无法读取「{path.name}」：文件结构嵌套过深，无法识别")
    except MemoryError:
        return Unit(path, error=f"无法读取「{path.name}」：文件内容过大，无法处理")
    except Exception as e:  # noqa: BLE001 — one malformed file must never stop a compile of thousands
        return Unit(path, error=f"无法读取「{path.name}」：文件内容无法识别（{damage_reason(e)}）")


PARALLEL_FROM = 200  # files: below this, starting a second process costs more than it saves
_CHUNK = 64


def read_units(paths: Iterable[str | Path], today: dt.date | None = None,
               progress: Callable[[int, int], None] | None = None, keep_findings: bool = True,
               workers: int | None = 1) -> list[Unit]:
    """Read and self-check every file, in order; ``progress(done, total)`` is called as they are read.

    ``workers`` processes read in parallel (None: one per core when there are enough files); the
    result is the same, in the same order.
    """
    paths = list(paths)
    if workers is None:
        workers = (os.cpu_count() or 1) if len(paths) >= PARALLEL_FROM else 1
    units: list[Unit] = []
    read = partial(read_unit, today=today, keep_findings=keep_findings)
    if workers > 1:
        try:
            pool = ProcessPoolExecutor(max_workers=workers)
        except (OSError, NotImplementedError):  # no processes on this system: read here
            workers = 1
    if workers <= 1:
        for path in paths:
            units.append(read(path))
            if progress:
                progress(len(units), len(paths))
        return units
    with pool:
        for unit in pool.map(read, paths, chunksize=_CHUNK):
            units.append(unit)
            if progress and (len(units) % _CHUNK == 0 or len(units) == len(paths)):
                progress(len(units), len(paths))
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
        return [u for u in self.included if u.year != self.summary.meta.year]

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
        value = _figure_reader(table, (row, col))
        out = [Contribution(u, value(u)) for u in self.included]
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
    duplicates, copies = _copies(readable)
    excluded: list[tuple[Unit, str]] = []
    included: list[Unit] = []
    for u in readable:
        reason = ("手工排除" if u in exclude else copies.get(u)
                  or (f"有 {u.errors} 处错误" if exclude_errors and u.errors else None))
        if reason:
            excluded.append((u, reason))
        else:
            included.append(u)
    duplicates += _same_organ(included)  # once all but one are left out, the organ is summed once
    if year is None:
        years = Counter(u.year for u in readable)
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


def _copies(units: list[Unit]) -> tuple[list[Duplicate], dict[Unit, str]]:
    """Files with the same bytes: the later copies are not summed, each with the reason."""
    by_digest: dict[str, list[Unit]] = {}
    for u in units:
        by_digest.setdefault(u.digest, []).append(u)
    duplicates, copies = [], {}
    for same in by_digest.values():
        if len(same) > 1:
            duplicates.append(Duplicate(SAME_FILE, tuple(same)))
            copies.update((u, f"与「{same[0].path.name}」内容相同") for u in same[1:])
    return duplicates, copies


def _same_organ(included: list[Unit]) -> list[Duplicate]:
    """Organs that more than one of the summed files reports."""
    by_organ: dict[str, list[Unit]] = {}
    for u in included:
        key = organ_key(u.organ)
        if key:
            by_organ.setdefault(key, []).append(u)
    return [Duplicate(SAME_ORGAN, tuple(same)) for same in by_organ.values() if len(same) > 1]


_SUM_CHUNK = 1024


def sum_tables(units: Iterable[Unit]) -> dict[str, dict[str, dict[str, Figure]]]:
    """The input cells of every table summed over ``units``, blanks as 0; the fee rounded to 4 places."""
    units = list(units)
    counts = [0] * len(INPUTS)
    # Cell by cell over a thousand units at a time, at C speed; a blank was added as −1 and is taken back.
    for start in range(0, len(units), _SUM_CHUNK):
        chunk = units[start:start + _SUM_CHUNK]
        counts = list(map(operator.add, counts, map(sum, zip(*(u.values for u in chunk)))))
        for u in chunk:
            if BLANK in u.values:
                for i, v in enumerate(u.values):
                    if v == BLANK:
                        counts[i] -= BLANK
    fees = [Decimal(0)] * len(_MONEY)
    with localcontext() as exact:
        exact.prec = 60  # fees are summed exactly whatever their number (each fits 28 digits: see _compact)
        for u in units:
            fees = [total + v if v is not None else total for total, v in zip(fees, u.money)]
        money = dict(zip(_MONEY, (f.quantize(FEE_QUANTUM, rounding=ROUND_HALF_UP) for f in fees)))
    out: dict[str, dict[str, dict[str, Figure]]] = {t.key: {} for t in L.TABLES}
    for i, (table, row, col) in enumerate(INPUTS):
        out[table].setdefault(row, {})[col] = money[i] if i in money else counts[i]
    return out


# -- figures of a unit, totals included -------------------------------------------------------


def _table_plan(layout: L.TableLayout) -> tuple[tuple[tuple[str, str], ...], tuple, tuple]:
    """The table's figure cells in sheet order (row by row), where each input comes from in a unit's
    array, and each derived cell's sources, in an order that computes every source first."""
    cells = tuple(g.figure for g in sorted(layout.figure_positions.values(), key=lambda g: (g.row, g.col)))
    position = {rc: i for i, rc in enumerate(cells)}
    inputs = tuple((position[rc], _INDEX[(layout.key, *rc)]) for rc in layout.input_cells if rc in position)
    derived = tuple((position[target], tuple(position[s] for s in sources))
                    for target, sources in layout.derivation if target in position)
    return cells, inputs, derived


_PLANS = {t.key: _table_plan(t) for t in L.TABLES}


def _counts_plan(layout: L.TableLayout):
    """For a table of counts only, the row of a unit that left none of its cells blank, read at C speed: the
    table's inputs picked from the unit's array at once, each total as the plain sum of the inputs under
    it (with no blank among them, that is what ``sum_figures`` gives), and the row put in sheet order."""
    if any(layout.kind(*rc) == "money" for rc in layout.input_cells):
        return None
    cells, inputs, derived = _PLANS[layout.key]
    leaves = {at: (k,) for k, (at, _) in enumerate(inputs)}  # row position → the inputs summed there
    for at, sources in derived:
        leaves[at] = tuple(k for s in sources for k in leaves[s])
    totals = [at for at, _ in derived]
    order = {at: k for k, (at, _) in enumerate(inputs)} | {at: len(inputs) + j for j, at in enumerate(totals)}
    nothing = len(inputs) + len(totals)  # a cell neither typed nor derived: blank, as in unit_row
    pick = operator.itemgetter(*(i for _, i in inputs))
    sums = tuple(operator.itemgetter(*leaves[at]) if len(leaves[at]) > 1 else
                 (lambda t, k=leaves[at][0]: (t[k],)) for at in totals)
    arrange = operator.itemgetter(*(order.get(at, nothing) for at in range(len(cells))))
    return pick, sums, arrange


_COUNTS_PLANS = {t.key: _counts_plan(t) for t in L.TABLES}


def unit_row(unit: Unit, table: str) -> list[Figure]:
    """Every figure of one table of a unit, in the breakdown sheet's order: as ``Unit.figures`` gives them."""
    fast = _COUNTS_PLANS[table]
    if fast is not None:
        pick, sums, arrange = fast
        picked = pick(unit.values)
        if BLANK not in picked:
            return list(arrange(picked + tuple(sum(s(picked)) for s in sums) + (None,)))
    cells, inputs, derived = _PLANS[table]
    row: list[Figure] = [None] * len(cells)
    values, money = unit.values, dict(zip(_MONEY, unit.money))
    for at, i in inputs:
        if i in money:
            row[at] = money[i]
        else:
            v = values[i]
            row[at] = None if v == BLANK else v
    for at, sources in derived:
        row[at] = sum_figures(row[s] for s in sources)
    return row


def _figure_reader(table: str, cell: tuple[str, str]) -> Callable[[Unit], Figure]:
    at = _PLANS[table][0].index(cell)
    return lambda u: unit_row(u, table)[at]


# -- the breakdown workbook -------------------------------------------------------------------

BLANK_FILL = "FFF2B3"
SUM_FILL = "E8EEF8"


def write_breakdown_xlsx(result: Compilation, path: str | Path) -> Path:
    """A workbook a supervisor can sort: the units and their state, then one sheet per table with a
    row per unit and a column per cell (totals included), the summary above. Blank cells are yellow.

    Streamed row by row (tens of thousands of units), every name and file name written as text — one
    that begins with ``=`` is never a formula — and put in place only when complete."""
    from .export.xlsx import FEE_FORMAT  # the fee shown as the report workbook shows it

    styles = _BreakdownStyles(FEE_FORMAT)
    with atomic_file(path, check=check_workbook) as f, StreamingWorkbook(f) as wb:
        _units_sheet(wb, result, styles)
        for layout in L.TABLES:
            _table_sheet(wb, result, layout, styles)
    return Path(path)


class _BreakdownStyles:
    def __init__(self, fee_format: str):
        self.title = Style(bold=True)
        self.header = Style(bold=True, fill=SUM_FILL)
        self.wrapped_header = Style(bold=True, wrap=True)
        self.wrapped = Style(wrap=True)
        self.blank = Style(fill=BLANK_FILL)
        self.fee = Style(number_format=fee_format)
        self.summary = Style(bold=True, fill=SUM_FILL)
        self.summary_fee = Style(bold=True, fill=SUM_FILL, number_format=fee_format)


def _units_sheet(wb: StreamingWorkbook, result: Compilation, st: _BreakdownStyles) -> None:
    ws = wb.sheet("单位", widths=dict(enumerate((6, 36, 36, 8, 7, 7, 9, 40), start=1)), freeze=(0, 2))
    ws.append([Styled(f"{result.summary.meta.display_title}　汇总明细", st.title)])
    ws.append([Styled(h, st.header) for h in ("序号", "单位", "文件", "年度", "错误", "警告", "空白格", "汇总情况")])
    excluded = dict(result.excluded)
    for n, u in enumerate(result.units, start=1):
        if not u.readable:
            ws.append([n, u.name, u.path.name, None, None, None, None, Styled("未计入：" + u.error, st.wrapped)])
            continue
        state = "未计入：" + excluded[u] if u in excluded else "已计入"
        ws.append([n, u.name, u.path.name, u.year, u.errors, u.warnings, len(u.blank_cells), state])
    ws.auto_filter = f"A2:H{len(result.units) + 2}"


def _table_sheet(wb: StreamingWorkbook, result: Compilation, layout: L.TableLayout, st: _BreakdownStyles) -> None:
    cells = _PLANS[layout.key][0]
    money = {i for i, rc in enumerate(cells) if layout.kind(*rc) == "money"}
    widths = {1: 30, 2: 24} | {3 + i: 14 for i in range(len(cells))}
    ws = wb.sheet(layout.name, widths=widths, freeze=(2, 3))
    summary = result.summary.table(layout.key).resolved()
    ws.append([Styled(f"{layout.name}　各单位数字（共 {len(result.included)} 个单位）", st.title)])
    ws.append([Styled("汇总", st.summary), ""] +
              [Styled(summary[rc], st.blank if summary[rc] is None else st.summary_fee if i in money else st.summary)
               for i, rc in enumerate(cells)])
    names = [layout.cell_name(r, c)[len(layout.name):] for r, c in cells]
    ws.append([Styled(h, st.wrapped_header) for h in ["单位", "文件"] + names])
    blank = Styled(None, st.blank)
    for u in result.included:
        row = unit_row(u, layout.key)
        for i, v in enumerate(row):
            if v is None:
                row[i] = blank
            elif i in money:
                row[i] = Styled(v, st.fee)
        ws.append([u.name, u.path.name] + row)
    ws.auto_filter = f"A3:{column_letter(2 + len(cells))}{len(result.included) + 3}"
