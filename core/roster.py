"""名单: the units a supervisor expects a report from, the files that arrived for them, and their state.

A roster is kept as an Excel sheet (columns 单位名称, 单位类型) that a supervisor can type, or as UTF-8 JSON,
which also keeps what the supervisor decided: 已退回 / 已通过 per unit and manual matches of file to unit.

Files are matched to units by organ name, forgiving what clerks vary in: spaces, full/half width,
「人民政府」 vs 「政府」, the county's name before a department's, a trailing 「办公室」. A tolerant match is
only taken when exactly one unit fits; the rest are left for the supervisor to match by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import ReportFileError, damage_reason, os_reason
from .model import OrganKind, printable

if TYPE_CHECKING:  # aggregate imports this module for organ_key; units are only read here
    from .aggregate import Unit

MARKER = "nianbao-roster"
SCHEMA_VERSION = 1
NAME_HEADER = "单位名称"
KIND_HEADER = "单位类型"
MIN_SUFFIX = 3  # a shorter common ending (「政府」「教育局」 less one) says nothing about identity
# Bounds on what a roster file may make us read: a province has a few thousand units. A tiny workbook
# whose one cell sits at XFD1048576 must not become a billion empty cells.
MAX_ROWS = 20_000
MAX_COLUMNS = 30
MAX_ROSTER_BYTES = 8 * 1024 * 1024
MAX_PART_BYTES = 40 * 1024 * 1024
MAX_NAME = 200  # as the organ name of a report
MAX_NOTE = 10_000


class RosterError(ReportFileError):
    """A roster file could not be read or written; ``str(err)`` says what and where, in Chinese."""


class Status(str, Enum):
    MISSING = "未收到"
    RECEIVED = "已收到"
    RETURNED = "已退回"
    APPROVED = "已通过"


# -- organ names ------------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\s\u200b-\u200d\ufeff]+")
_REGION = re.compile(r"^(.{1,8}?[县区市旗])")  # 「某某县」 at the start of a name


def organ_key(name: str) -> str:
    """An organ name without the differences that do not change the organ: width, spaces, 人民政府/政府."""
    key = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return key.replace("人民政府", "政府")


def guess_region(names: Iterable[str]) -> str:
    """The county (区, 市) most names start with, e.g. 「某某县」, or "" when there is no clear one."""
    keys = [organ_key(n) for n in names if n.strip()]
    found = Counter(m.group(1) for k in keys if (m := _REGION.match(k)) and len(m.group(1)) >= 2)
    if not found:
        return ""
    region, n = found.most_common(1)[0]
    return region if n * 2 > len(keys) else ""  # a clear majority, never one of two counties


def _drop_region(key: str, region: str) -> str:
    if region and key.startswith(region) and len(key) > len(region):
        return key[len(region):]
    # 「县交通运输局」 names the county by its level alone. Not 市: 「市场监督管理局」 starts with it.
    if key[:1] in ("县", "区") and len(key) > 2:
        return key[1:]
    return key


def _tiers(name: str, region: str) -> tuple[str, str, str]:
    """The name compared ever more loosely: as written, without the county, without 办公室."""
    exact = organ_key(name)
    local = _drop_region(exact, region)
    return exact, local, local.removesuffix("办公室") or local


# -- the roster ------------------------------------------------------------------------------


@dataclass
class RosterUnit:
    name: str
    kind: OrganKind = OrganKind.DEPARTMENT
    status: Status | None = None  # what the supervisor decided: 已退回 or 已通过
    status_at: dt.datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Match:
    """The roster unit a file belongs to; ``how`` says how sure: 名称一致, 名称相近 or 手工对应."""

    unit: RosterUnit | None
    how: str = ""
    candidates: tuple[RosterUnit, ...] = ()  # when several units fit equally: match by hand

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1


@dataclass
class Roster:
    units: list[RosterUnit] = field(default_factory=list)
    region: str = ""  # 「某某县」 that names may omit; guessed from the unit names when blank
    aliases: dict[str, str] = field(default_factory=dict)  # name as written (organ or file) → roster name

    def unit(self, name: str) -> RosterUnit:
        for u in self.units:
            if u.name == name:
                return u
        raise KeyError(f"名单中没有「{name}」")

    def effective_region(self) -> str:
        return organ_key(self.region) if self.region else guess_region(u.name for u in self.units)

    def set_status(self, name: str, status: Status | None, when: dt.datetime | None = None) -> None:
        """Record the supervisor's decision (已退回, 已通过, or None to clear it)."""
        if status in (Status.MISSING, Status.RECEIVED):
            raise ValueError(f"「{status.value}」由收到的文件决定，不能手工设置")
        unit = self.unit(name)
        unit.status = status
        unit.status_at = (when or dt.datetime.now()).replace(microsecond=0) if status else None

    def assign(self, alias: str, name: str) -> None:
        """Match by hand: the organ or file name ``alias`` belongs to the roster unit ``name``."""
        self.unit(name)
        self.aliases[alias] = name

    def match(self, organ: str, file_name: str = "") -> Match:
        """The unit a report of ``organ`` (read from ``file_name``) belongs to, if one clearly does."""
        return self.matcher()(organ, file_name)

    def matcher(self) -> "Matcher":
        """A matcher over the roster as it is now, for matching many files quickly."""
        return Matcher(self)


class Matcher:
    """The roster's names indexed at every level of tolerance, built once for a batch of files."""

    TIERS = ("名称一致", "名称相近", "名称相近")

    def __init__(self, roster: Roster) -> None:
        self.region = roster.effective_region()
        self.units = [(_tiers(u.name, self.region), u) for u in roster.units]
        self.index: list[dict[str, list[RosterUnit]]] = [{} for _ in self.TIERS]
        for keys, u in self.units:
            for tier, key in enumerate(keys):
                self.index[tier].setdefault(key, []).append(u)
        by_name = {u.name: u for u in roster.units}
        self.aliases = {organ_key(a): by_name[name] for a, name in roster.aliases.items() if name in by_name}

    def __call__(self, organ: str, file_name: str = "") -> Match:
        for written in (organ, file_name, Path(file_name).stem):
            unit = self.aliases.get(organ_key(written)) if written else None
            if unit is not None:
                return Match(unit, "手工对应")
        if not organ.strip():
            return Match(None)
        wanted = _tiers(organ, self.region)
        for tier, how in enumerate(self.TIERS):
            fits = tuple(self.index[tier].get(wanted[tier], ()))
            if fits:
                return Match(fits[0], how) if len(fits) == 1 else Match(None, candidates=fits)
        # A unit that dropped or added words before the distinctive end of its name (「城关镇人民政府」).
        fits = tuple(u for keys, u in self.units if _same_ending(keys[1], wanted[1]))
        return Match(fits[0], "名称相近") if len(fits) == 1 else Match(None, candidates=fits)


def _same_ending(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_SUFFIX and long.endswith(short)


# -- matching files and reporting states ------------------------------------------------------


@dataclass(frozen=True)
class UnitState:
    """One row of the 报送情况 table."""

    unit: RosterUnit
    status: Status
    files: tuple["Unit", ...] = ()  # normally one; more means the unit sent several
    how: str = ""

    @property
    def latest(self) -> "Unit | None":
        dated = [f for f in self.files if f.modified is not None]
        return max(dated, key=lambda f: f.modified) if dated else (self.files[-1] if self.files else None)

    @property
    def errors(self) -> int | None:
        return self.latest.errors if self.latest and self.latest.readable else None

    @property
    def warnings(self) -> int | None:
        return self.latest.warnings if self.latest and self.latest.readable else None


@dataclass
class Reconciliation:
    """The roster against the files that arrived."""

    states: list[UnitState]
    unmatched: list["Unit"]  # files no unit fits
    ambiguous: list[tuple["Unit", tuple[RosterUnit, ...]]]  # files several units fit: match by hand

    def with_status(self, status: Status) -> list[UnitState]:
        return [s for s in self.states if s.status is status]

    @property
    def missing(self) -> list[UnitState]:
        return self.with_status(Status.MISSING)

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for state in self.states:
            out[state.status] += 1
        return out

    def counts_line(self) -> str:
        counts = self.counts()
        line = f"应报 {len(self.states)} 个单位：" + "，".join(f"{s.value} {counts[s]}" for s in Status)
        errors = sum(1 for s in self.states if s.errors)
        return line + f"；有错误的单位 {errors} 个"


def reconcile(roster: Roster, units: Iterable["Unit"]) -> Reconciliation:
    found: dict[int, list[Unit]] = {}
    hows: dict[int, str] = {}
    unmatched, ambiguous = [], []
    match = roster.matcher()
    for u in units:
        m = match(u.organ, u.path.name)
        if m.unit is not None:
            found.setdefault(id(m.unit), []).append(u)
            hows.setdefault(id(m.unit), m.how)
        elif m.ambiguous:
            ambiguous.append((u, m.candidates))
        else:
            unmatched.append(u)
    states = [_state(r, tuple(found.get(id(r), ())), hows.get(id(r), "")) for r in roster.units]
    return Reconciliation(states, unmatched, ambiguous)


def _state(unit: RosterUnit, files: tuple["Unit", ...], how: str) -> UnitState:
    newest = max((f.modified for f in files if f.modified), default=None)
    if unit.status is Status.APPROVED:
        status = Status.APPROVED
    elif unit.status is Status.RETURNED:
        # A file newer than the return is the corrected report coming back.
        resent = newest and unit.status_at and newest > unit.status_at
        status = Status.RECEIVED if resent else Status.RETURNED
    else:
        status = Status.RECEIVED if files else Status.MISSING
    return UnitState(unit, status, files, how)


# -- files -------------------------------------------------------------------------------------


def load_roster(path: str | Path) -> Roster:
    """A roster from .xlsx (单位名称, 单位类型) or .json; RosterError with a Chinese message otherwise."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"找不到名单文件「{path}」")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _load_json(path)
    if suffix == ".xlsx":
        return _load_xlsx(path)
    raise RosterError(f"无法打开名单「{path.name}」：名单应为 .xlsx 或 .json 文件")


def save_roster(roster: Roster, path: str | Path) -> Path:
    """Write .json (everything) or .xlsx (names and kinds only: states live in the JSON)."""
    from .draft import DraftError, write_atomic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            write_atomic(path, json.dumps(_document(roster), ensure_ascii=False, indent=1).encode("utf-8", "replace"))
        except DraftError as e:
            raise RosterError(f"保存名单失败：{e}") from None
    elif suffix == ".xlsx":
        _save_xlsx(roster, path)
    else:
        raise RosterError(f"无法保存名单「{path.name}」：名单应为 .xlsx 或 .json 文件")
    return path


def _document(roster: Roster) -> dict:
    units = [{"name": u.name, "kind": u.kind.value, "status": u.status.value if u.status else None,
              "status_at": u.status_at.isoformat() if u.status_at else None, "note": u.note}
             for u in roster.units]
    return {"format": MARKER, "schema": SCHEMA_VERSION, "region": roster.region, "units": units,
            "aliases": roster.aliases}


def _load_json(path: Path) -> Roster:
    from .draft import DraftError, parse_json

    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_ROSTER_BYTES + 1)
    except OSError as e:
        raise RosterError(f"无法读取名单「{path.name}」：{os_reason(e)}") from None
    if len(raw) > MAX_ROSTER_BYTES:
        raise RosterError(f"名单「{path.name}」超过 {MAX_ROSTER_BYTES // 1024 // 1024} MB，不是名单文件")
    try:
        document = parse_json(raw.decode("utf-8-sig"), path.name, MARKER.encode() in raw[:512], what="名单")
    except UnicodeDecodeError as e:
        raise RosterError(f"名单「{path.name}」已损坏：第 {e.start + 1} 个字节起不是 UTF-8 文字") from None
    except DraftError as e:
        raise RosterError(str(e)) from None
    if not isinstance(document, dict) or document.get("format") != MARKER:
        raise RosterError(f"「{path.name}」不是名单文件")
    region = document.get("region")
    roster = Roster(region=_text(region, MAX_NAME) if isinstance(region, str) else "")
    units = document.get("units") or []
    if not isinstance(units, list) or len(units) > MAX_ROWS:
        raise RosterError(f"名单「{path.name}」的单位列表有误（应为不超过 {MAX_ROWS:,} 个单位的列表）")
    for i, item in enumerate(units, start=1):
        try:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise ValueError
            name = _text(item["name"], MAX_NAME)
            status = Status(item["status"]) if item.get("status") else None
            when = dt.datetime.fromisoformat(item["status_at"]) if item.get("status_at") else None
            note = item.get("note") or ""
            if not isinstance(note, str) or not isinstance(item.get("kind", ""), str):
                raise ValueError
            unit = RosterUnit(name, parse_kind(item.get("kind", ""), name), status, when, _text(note, MAX_NOTE))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise RosterError(f"名单「{path.name}」第 {i} 个单位的内容有误") from None
        _add(roster, unit, f"第 {i} 个单位")
    aliases = document.get("aliases") or {}
    names = {u.name for u in roster.units}
    for alias, name in list(aliases.items())[:MAX_ROWS * 5] if isinstance(aliases, dict) else ():
        if isinstance(name, str) and name in names and len(alias) <= MAX_NAME * 2:
            roster.aliases[printable(alias)] = name
    return roster


def _text(value: str, limit: int) -> str:
    text = printable(value).strip()
    if len(text) > limit:
        raise ValueError(f"超过 {limit} 个字符")
    return text


def _add(roster: Roster, unit: RosterUnit, where: str) -> None:
    if not unit.name.strip():
        return
    if any(organ_key(u.name) == organ_key(unit.name) for u in roster.units):
        raise RosterError(f"名单{where}「{unit.name}」重复出现")
    roster.units.append(unit)


def parse_kind(text: str, name: str = "") -> OrganKind:
    """单位类型 as a supervisor types it (「部门」「乡镇」…); guessed from the name when left blank."""
    text = organ_key(str(text or ""))
    for kind in OrganKind:
        if text == organ_key(kind.value):
            return kind
    if not text:
        key = organ_key(name)
        township = key.endswith(("乡政府", "镇政府", "街道办事处", "街道", "乡", "镇"))
        return OrganKind.TOWNSHIP if township else OrganKind.DEPARTMENT
    if any(w in text for w in ("乡", "镇", "街道")):
        return OrganKind.TOWNSHIP
    if "部门" in text or text in ("单位", "局", "委", "办"):
        return OrganKind.DEPARTMENT
    if "政府" in text or "本级" in text:
        return OrganKind.GOVERNMENT
    if "其他" in text:
        return OrganKind.OTHER
    known = "、".join(k.value for k in OrganKind)
    raise ValueError(f"单位类型「{text}」无法识别（应为{known}之一）")


def _load_xlsx(path: Path) -> Roster:
    from openpyxl import load_workbook

    from .imports import safezip

    try:
        safezip.check(path, "xl/workbook.xml", "Excel 工作簿")
    except ReportFileError as e:
        raise RosterError(f"名单{e}") from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            # Bounded by rows and columns read, whatever the sheet's stated size or its farthest cell.
            rows = [tuple(_cell_text(v) for v in row)
                    for row in wb.worksheets[0].iter_rows(max_row=MAX_ROWS + 10, max_col=MAX_COLUMNS, values_only=True)]
        finally:
            wb.close()
    except Exception as e:  # noqa: BLE001 — openpyxl raises many kinds for a damaged workbook
        raise RosterError(f"名单「{path.name}」无法读取：不是有效的 Excel 工作簿（{damage_reason(e)}）") from None
    header = next((i for i, row in enumerate(rows[:10]) if NAME_HEADER in row), None)
    if header is None:
        raise RosterError(f"名单「{path.name}」的前 10 行中没有「{NAME_HEADER}」列")
    name_col = rows[header].index(NAME_HEADER)
    kind_col = rows[header].index(KIND_HEADER) if KIND_HEADER in rows[header] else None
    roster = Roster()
    for number, row in enumerate(rows[header + 1:], start=header + 2):
        name = row[name_col] if name_col < len(row) else ""
        kind = row[kind_col] if kind_col is not None and kind_col < len(row) else ""
        if not name:
            continue
        if len(roster.units) >= MAX_ROWS:
            raise RosterError(f"名单「{path.name}」超过 {MAX_ROWS:,} 个单位，不像是报送名单")
        if len(name) > MAX_NAME:
            raise RosterError(f"名单「{path.name}」第 {number} 行：单位名称超过 {MAX_NAME} 个字符")
        try:
            unit = RosterUnit(name, parse_kind(kind, name))
        except ValueError as e:
            raise RosterError(f"名单「{path.name}」第 {number} 行：{e}") from None
        _add(roster, unit, f"第 {number} 行")
    return roster


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return printable(str(value))[:MAX_NOTE].strip()


def _as_text(cell, value) -> None:
    """Write user text (an organ name, a file name, a note) as text: never a formula, never a bad character."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", printable(value))
    cell.value = text
    cell.data_type = "s"  # a text starting with = (「=HYPERLINK(…)」) stays text


def _save_workbook(wb, path: Path, what: str) -> None:
    """The workbook written atomically: a kill or a full disk never leaves half a file in place of the last."""
    import io

    from .draft import DraftError, write_atomic

    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        write_atomic(path, buffer.getvalue())
    except DraftError as e:
        raise RosterError(f"{what}：{e}") from None


def _save_xlsx(roster: Roster, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append([NAME_HEADER, KIND_HEADER])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for u in roster.units:
        ws.append([None, u.kind.value])
        _as_text(ws.cell(ws.max_row, 1), u.name)
    kinds = DataValidation(type="list", formula1='"' + ",".join(k.value for k in OrganKind) + '"',
                           allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add(f"B2:B{max(len(roster.units) + 200, 200)}")  # room for units the supervisor adds by hand
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 28
    ws.freeze_panes = "A2"
    _save_workbook(wb, path, f"保存名单「{path.name}」失败")


def write_status_xlsx(result: Reconciliation, path: str | Path, title: str) -> Path:
    """The 报送情况 table for a 通报: a title, the counts, one row per unit, then files no unit fits."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    fills = {Status.MISSING: "F9D4D4", Status.RETURNED: "FCE5C0", Status.APPROVED: "D9EAD3"}
    headers = ("序号", "单位名称", "单位类型", "状态", "错误", "警告", "文件", "文件时间", "说明")
    widths = (6, 36, 22, 9, 7, 7, 36, 18, 30)
    wb = Workbook()
    ws = wb.active
    ws.title = "报送情况"
    ws.append([title])
    ws["A1"].font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append([result.counts_line()])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    ws.append(list(headers))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for n, s in enumerate(result.states, start=1):
        latest = s.latest
        note = s.how if s.how and s.how != "名称一致" else ""
        if len(s.files) > 1:
            note = "，".join(filter(None, (note, f"收到 {len(s.files)} 份文件")))
        ws.append([n, None, s.unit.kind.value, s.status.value, s.errors, s.warnings, None,
                   latest.modified.strftime("%Y-%m-%d %H:%M") if latest and latest.modified else "", None])
        for column, text in ((2, s.unit.name), (7, latest.path.name if latest else ""), (9, note or s.unit.note)):
            _as_text(ws.cell(ws.max_row, column), text)
        if s.status in fills:
            ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=fills[s.status])
    strays = [(u, "未对应名单") for u in result.unmatched]
    strays += [(u, "可能是：" + "、".join(c.name for c in cands)) for u, cands in result.ambiguous]
    if strays:
        ws.append([])
        ws.append(["未对应名单的文件（请手工对应）"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for u, why in strays:
            organ = u.organ if u.readable else "（无法读取）"
            ws.append(["", None, "", "", None, None, None, "", None])
            for column, text in ((2, organ), (7, u.path.name), (9, why)):
                _as_text(ws.cell(ws.max_row, column), text)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A4"
    path = Path(path)
    _as_text(ws["A1"], title)
    _save_workbook(wb, path, f"导出「{path.name}」失败")
    return path
