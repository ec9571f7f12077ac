"""The report model: metadata, narrative and the input figures of the three tables.

Only inputs are stored. The 总计 column of table 三, its （七）总计 row and the 总计 of each 复议/诉讼 group
are derived from the layout's sums whenever they are read. A blank cell (``None``) is not 0.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, ClassVar, Iterator

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_serializer, model_validator

from . import layout as L
from .findings import Finding, Location, Severity

Figure = int | Decimal | None

# Characters no Word, Excel or XML file can hold (pasted from PDFs now and then); they are dropped on entry.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class OrganKind(str, Enum):
    GOVERNMENT = "本级人民政府"
    DEPARTMENT = "政府部门"
    TOWNSHIP = "乡镇人民政府、街道办事处"
    OTHER = "其他"


class Level(str, Enum):
    PROVINCE = "省"
    CITY = "设区的市"
    COUNTY = "县"
    TOWNSHIP = "乡"


class Metadata(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    organ: str = Field("", max_length=200, description="机关全称，如「××县人民政府办公室」")
    kind: OrganKind = OrganKind.DEPARTMENT
    level: Level = Level.COUNTY
    year: int = Field(ge=2008, le=2100)
    format_version: str = L.FORMAT_VERSION
    compiler: str = Field("", max_length=200, description="编制单位（汇总报告或代编时填写）")
    contact: str = Field("", max_length=500, description="联系方式")
    title: str | None = Field(None, max_length=300, description="与标准标题不同时保留原标题")
    deadline: dt.date | None = Field(None, description="公开期限；为空时按机关类别取默认值")
    sign_date: dt.date | None = Field(None, description="落款日期；为空时不加落款")

    @field_validator("organ", "compiler", "contact", "title", mode="before")
    @classmethod
    def _printable(cls, v: Any) -> Any:
        return printable(v) if isinstance(v, str) else v

    @property
    def standard_title(self) -> str:
        return f"{self.organ}{self.year}年{L.TITLE_SUFFIX}"

    @property
    def display_title(self) -> str:
        return self.title or self.standard_title

    @property
    def is_street_office(self) -> bool:
        return self.kind is OrganKind.TOWNSHIP and ("街道" in self.organ or self.organ.endswith("办事处"))

    @property
    def is_peoples_government(self) -> bool:
        """条例第五十条第四项 applies to every level of people's government, townships included."""
        return self.kind in (OrganKind.GOVERNMENT, OrganKind.TOWNSHIP)

    def default_deadline(self) -> dt.date:
        # A 本级政府 report is compiled by the 主管部门 and is due two months later (条例第四十九条).
        month = 3 if self.kind is OrganKind.GOVERNMENT else 1
        return dt.date(self.year + 1, month, 31)

    @property
    def effective_deadline(self) -> dt.date:
        return self.deadline or self.default_deadline()


# ---------------------------------------------------------------------------------------------
# Tables


def _parse_count(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise ValueError(f"{where}应为非负整数，实际为「{value}」")
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if not value.isdecimal():
            raise ValueError(f"{where}应为非负整数，实际为「{value}」")
        return int(value)
    if isinstance(value, (float, Decimal)):
        if value != int(value):
            raise ValueError(f"{where}应为整数，实际为「{value}」")
        value = int(value)
    if value < 0:
        raise ValueError(f"{where}不能为负数，实际为「{value}」")
    return value


def _parse_money(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError(f"{where}应为金额（万元），实际为「{value}」")
    if isinstance(value, str) and value.strip() == "":
        return None
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{where}应为金额（万元），实际为「{value}」") from None
    if not amount.is_finite():
        raise ValueError(f"{where}应为金额（万元），实际为「{value}」")
    if amount < 0:
        raise ValueError(f"{where}不能为负数，实际为「{value}」")
    return amount


def parse_figure(layout: L.TableLayout, row: str, col: str, value: Any) -> Figure:
    """Validate one input figure for its cell; raises ValueError with a message naming the cell."""
    if value is None:
        return None
    money = layout.kind(row, col) == "money"
    if type(value) is int and value >= 0 and not money:
        return value  # the common case of a draft being loaded: no message to prepare
    where = layout.cell_name(row, col)
    if money:
        return _parse_money(value, where)
    return _parse_count(value, where)


class FigureTable(RootModel[dict[str, dict[str, Any]]]):
    """The input figures of one official table, ``{row key: {column key: figure or None}}``.

    Every input cell of the layout is present; derived cells are never stored.
    """

    layout: ClassVar[L.TableLayout]
    root: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _complete(cls, data: Any) -> Any:
        if data is None:
            data = {}
        if isinstance(data, FigureTable):
            data = data.root
        if not isinstance(data, dict):
            raise ValueError(f"{cls.layout.name}的数据格式不正确")
        layout = cls.layout
        unknown = [k for k in data if k not in layout.row_by_key]
        if unknown:
            raise ValueError(f"{layout.name}中有无法识别的行「{unknown[0]}」")
        out: dict[str, dict[str, Any]] = {}
        for row in layout.rows:
            given = data.get(row.key) or {}
            if not isinstance(given, dict):
                raise ValueError(f"{layout.cell_name(row.key, None)}的数据格式不正确")
            cols = layout.input_columns[row.key]
            for c in given:
                if c not in cols and not (c in layout.column_by_key and given[c] is None):
                    raise ValueError(f"{layout.cell_name(row.key, None)}中有无法填写的列「{c}」")
            if cols:
                out[row.key] = {c: parse_figure(layout, row.key, c, given.get(c)) for c in cols}
        return out

    @model_serializer
    def _dump(self) -> dict[str, dict[str, Any]]:
        return {r: {c: (str(v) if isinstance(v, Decimal) else v) for c, v in cols.items()}
                for r, cols in self.root.items()}

    @classmethod
    def empty(cls) -> "FigureTable":
        return cls({})

    # -- reading ---------------------------------------------------------------------------

    def get(self, row: str, col: str) -> Figure:
        """The figure shown in a cell: the input, or the derived total (None when all blank)."""
        cols = self.root.get(row)
        if cols is not None and col in cols:
            return cols[col]
        layout = self.layout
        r, c = layout.row_by_key[row], layout.column_by_key[col]
        if c.derived:
            return _sum(self.get(row, k) for k in c.derived_from)
        if r.derived:
            return _sum(self.get(k, col) for k in r.derived_from)
        return None  # a cell the layout leaves empty (table 二's merged figure columns)

    def resolved(self) -> dict[tuple[str, str], Figure]:
        """Every figure cell of the table, derived ones included, computed once."""
        out: dict[tuple[str, str], Figure] = {(r, c): v for r, cols in self.root.items() for c, v in cols.items()}
        for target, sources in self.layout.derivation:
            out[target] = _sum(out[s] for s in sources)
        return out

    def inputs(self) -> Iterator[tuple[str, str, Figure]]:
        for r, c in self.layout.input_cells:
            yield r, c, self.root[r][c]

    def is_blank(self) -> bool:
        return all(v is None for cols in self.root.values() for v in cols.values())

    def blank_cells(self) -> list[tuple[str, str]]:
        return [(r, c) for r, c, v in self.inputs() if v is None]

    # -- writing ---------------------------------------------------------------------------

    def set(self, row: str, col: str, value: Any) -> Figure:
        """Set one input cell (validated); returns the stored figure."""
        if (row, col) not in self.layout.inputs:
            raise KeyError(f"{self.layout.cell_name(row, col)}不是可填写的单元格")
        figure = parse_figure(self.layout, row, col, value)
        self.root[row][col] = figure
        return figure

    def fill_blanks(self, value: int = 0) -> list[tuple[str, str]]:
        """Write 0 into every blank input cell; returns the cells changed."""
        changed = self.blank_cells()
        for r, c in changed:
            self.root[r][c] = Decimal(value) if self.layout.kind(r, c) == "money" else value
        return changed


def _sum(values) -> Figure:
    total = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total


class Table2(FigureTable):
    layout = L.TABLE2


class Table3(FigureTable):
    layout = L.TABLE3


class Table4(FigureTable):
    layout = L.TABLE4


TABLE_CLASSES: dict[str, type[FigureTable]] = {"table2": Table2, "table3": Table3, "table4": Table4}


# ---------------------------------------------------------------------------------------------
# Notes kept with the report


class Note(BaseModel):
    """A finding stored in the report: what an import could not read, or a supervisor's comment."""

    rule: str
    severity: Severity
    message: str
    location: dict[str, Any] = Field(default_factory=dict)
    category: str = ""

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> Severity:
        return v if isinstance(v, Severity) else Severity.from_code(v)

    @model_serializer
    def _dump(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity.code, "message": self.message,
                "location": self.location, "category": self.category}

    def as_finding(self) -> Finding:
        loc = Location(**{k: v for k, v in self.location.items() if k in Location.__dataclass_fields__})
        return Finding(self.rule, self.severity, self.message, (loc,), category=self.category)

    @classmethod
    def from_finding(cls, f: Finding) -> "Note":
        return cls(rule=f.rule, severity=f.severity, message=f.message,
                   location={k: v for k, v in f.location.__dict__.items() if v is not None},
                   category=f.category)


class ImportRecord(BaseModel):
    """Where an imported report came from, the totals it printed, and what could not be read."""

    source: str = ""
    source_format: str = ""
    imported_at: dt.datetime | None = None
    # Totals as printed in the source: {table key: {row key: {column key: figure}}}.
    stated: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)
    notes: list[Note] = Field(default_factory=list)


class Comment(BaseModel):
    """A supervisor's 批注 on a cell, a text field or a part; it stays in the clerk's 自检 panel until resolved."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    author: str = ""
    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    location: dict[str, Any] = Field(default_factory=dict)  # part / table / row / column / field
    text: str
    resolved: bool = False
    reply: str = ""  # the clerk's answer when resolving

    @field_validator("text", "reply", "author", mode="before")
    @classmethod
    def _printable(cls, v: Any) -> Any:
        return printable(v) if isinstance(v, str) else v

    @property
    def message(self) -> str:
        return f"审核意见（{self.author or '上级'}，{self.time:%m月%d日}）：{self.text}"


class Change(BaseModel):
    """One edit made by someone other than the unit (a supervisor reviewing the draft): never silent."""

    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    author: str = ""
    where: str  # the cell or text field in Chinese, e.g. 「表三 … / 自然人」
    location: dict[str, Any] = Field(default_factory=dict)
    old: str = ""
    new: str = ""


# ---------------------------------------------------------------------------------------------
# The report


class Report(BaseModel):
    meta: Metadata
    texts: dict[str, str] = Field(default_factory=dict, validate_default=True)
    table2: Table2 = Field(default_factory=Table2.empty)
    table3: Table3 = Field(default_factory=Table3.empty)
    table4: Table4 = Field(default_factory=Table4.empty)
    # Finding key → the clerk's one-line explanation for keeping a 警告/提示 as it is.
    explanations: dict[str, str] = Field(default_factory=dict)
    imported: ImportRecord | None = None
    comments: list[Comment] = Field(default_factory=list)
    history: list[Change] = Field(default_factory=list)

    @field_validator("texts", mode="before")
    @classmethod
    def _texts(cls, data: Any) -> dict[str, str]:
        data = dict(data or {})
        unknown = [k for k in data if k not in L.TEXT_FIELD_BY_KEY]
        if unknown:
            raise ValueError(f"无法识别的文字部分「{unknown[0]}」")
        for k, v in data.items():
            if not isinstance(v, str):
                raise ValueError(f"「{L.TEXT_FIELD_BY_KEY[k].label}」应为文字")
        return {f.key: printable(data.get(f.key, "")) for f in L.TEXT_FIELDS}

    @classmethod
    def new(cls, organ: str, year: int, kind: OrganKind = OrganKind.DEPARTMENT,
            level: Level = Level.COUNTY, **meta: Any) -> "Report":
        return cls(meta=Metadata(organ=organ, year=year, kind=kind, level=level, **meta))

    def table(self, key: str) -> FigureTable:
        return getattr(self, key)

    def tables(self) -> tuple[FigureTable, FigureTable, FigureTable]:
        return (self.table2, self.table3, self.table4)

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def part_text(self, part: str) -> str:
        """All narrative of one part, fields joined by blank lines."""
        return "\n\n".join(t for f in L.TEXT_FIELDS if f.part == part and (t := self.texts.get(f.key)))
