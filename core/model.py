"""The report model: metadata, narrative and the input figures of the three tables.

Only inputs are stored. The 总计 column of table 三, its （七）总计 row and the 总计 of each 复议/诉讼 group
are derived from the layout's sums whenever they are read. A blank cell (``None``) is not 0.

The model is the first line of defence for every reader and writer: whatever it accepts can be
checked, saved and exported. Counts are integers 0 … 10^9, the fee a finite Decimal 0 … 10^9 万元
with at most six places, every text bounded and free of characters no file can hold, and every
location names a part, table, row, column or field of the layout.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Callable, ClassVar, Iterator

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, RootModel, SerializationInfo, field_validator,
                      model_serializer, model_validator, ValidationError)

from . import layout as L
from .findings import Finding, Location, Severity

Figure = int | Decimal | None

MAX_COUNT = 10**9  # a county reports at most seven digits; a province's sum stays far below this
MAX_FEE = Decimal(10**9)  # 万元
FEE_PLACES_KEPT = 6
MAX_PART_CHARS = 200_000  # one narrative field; a long real part is some 5,000 characters
MAX_LINE_CHARS = 10_000  # a message, an explanation, a comment, an excerpt in the change record
MAX_NAME_CHARS = 1_000  # a file name, an author, a rule id, a finding key
MAX_ITEMS = 5_000  # notes, comments, recorded changes, explanations (each)
# All text of a report together (a real one has some 30,000 characters): keeps every report the model
# accepts within what a draft file may hold (core.draft.MAX_DRAFT_BYTES), so whatever loads also saves.
MAX_REPORT_CHARS = 1_500_000
_SHOWN = 24  # characters of a refused value quoted in a message

_QUANTUM = Decimal(1).scaleb(-FEE_PLACES_KEPT)

# Characters no Word, Excel or XML file can hold (pasted from PDFs now and then), and lone surrogates
# (not characters at all: no file can be encoded with one); they are dropped on entry.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def shown(value: Any, limit: int = _SHOWN) -> str:
    """A value as a message quotes it: short, whatever it is (a 5,000-digit figure, a huge text)."""
    if isinstance(value, (dict, list, tuple, set)):
        return "（" + ("一组数据" if isinstance(value, dict) else "一列数据") + "）"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"一个约 {int(value.bit_length() * 0.30103) + 1:,} 位的数"
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001 — a value whose str() fails is still quoted, as its kind
        text = type(value).__name__
    text = printable(text)
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text):,} 个字符）"


def bounded_text(limit: int, what: str = "文字", cut: bool = False):
    """A pydantic string type: printable, at most ``limit`` characters, refused with a Chinese sentence
    (or, with ``cut``, for text the program writes itself such as an import note: shortened)."""
    def clean(v: Any) -> Any:
        if not isinstance(v, str):
            raise ValueError(f"{what}应为文字，实际为「{shown(v)}」")
        v = printable(v)
        if len(v) > limit:
            if cut:
                return v[:limit - 1] + "…"
            raise ValueError(f"{what}有 {len(v):,} 个字符，超过上限 {limit:,} 个")
        return v
    return Annotated[str, BeforeValidator(clean)]


def bounded_list(limit: int, what: str):
    """Refuse an over-long list before its items are validated (a million bad items, a million errors)."""
    def check(v: Any) -> Any:
        if isinstance(v, (list, tuple)) and len(v) > limit:
            raise ValueError(f"{what}有 {len(v):,} 条，超过上限 {limit:,} 条")
        return v
    return BeforeValidator(check)


Name = bounded_text(MAX_NAME_CHARS)
Line = bounded_text(MAX_LINE_CHARS)


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

    def check_changes(self, **changes: Any) -> None:
        """Validate ``changes`` to these fields before they are made; ValueError in Chinese naming the field."""
        try:
            self.model_validate({**self.model_dump(), **changes})
        except ValidationError as e:
            from .draft import describe_validation_error

            raise ValueError(describe_validation_error(e)) from None

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
        raise ValueError(f"{where}应为非负整数，实际为「{shown(value)}」")
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if not text.isdecimal():
            raise ValueError(f"{where}应为非负整数，实际为「{shown(value)}」")
        if len(text.lstrip("0")) > len(str(MAX_COUNT)):  # before int(): a 5,000-digit string is refused, not parsed
            raise ValueError(f"{where}为「{shown(value)}」，超过上限 {MAX_COUNT:,}")
        value = int(text)
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"{where}应为整数，实际为「{shown(value)}」")
        _within(value, MAX_COUNT, where)
        value = int(value)
    elif isinstance(value, Decimal):
        # Compared before any conversion: int(Decimal("1E+999999999")) would take minutes and gigabytes.
        if not value.is_finite():
            raise ValueError(f"{where}应为整数，实际为「{shown(value)}」")
        _within(value, MAX_COUNT, where)
        if value != value.to_integral_value():
            raise ValueError(f"{where}应为整数，实际为「{shown(value)}」")
        value = int(value)
    _within(value, MAX_COUNT, where)
    return value


def _within(value: int | float | Decimal, limit: int | Decimal, where: str, unit: str = "") -> None:
    if value < 0:
        raise ValueError(f"{where}不能为负数，实际为「{shown(value)}」")
    if value > limit:
        raise ValueError(f"{where}为「{shown(value)}」，超过上限 {limit:,}{unit}")


_MONEY_CHARS = 40  # longer than any amount with six places below 10^9, written any way


def _parse_money(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ValueError(f"{where}应为金额（万元），实际为「{shown(value)}」")
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if len(text) > _MONEY_CHARS:
            raise ValueError(f"{where}应为金额（万元），实际为「{shown(value)}」")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{where}应为金额（万元），实际为「{shown(value)}」") from None
    elif isinstance(value, int):
        _within(value, MAX_FEE, where, " 万元")
        amount = Decimal(value)
    else:
        amount = value
    if not amount.is_finite():
        raise ValueError(f"{where}应为金额（万元），实际为「{shown(value)}」")
    _within(amount, MAX_FEE, where, " 万元")
    # Comparisons above are cheap for any exponent; only a bounded amount is rescaled.
    exponent = amount.as_tuple().exponent
    if exponent < -FEE_PLACES_KEPT:
        amount = amount.quantize(_QUANTUM, rounding=ROUND_HALF_UP)
    elif exponent > 0:
        amount = amount.quantize(Decimal(1))  # 1E+2 is written 100
    return amount.copy_abs() if amount.is_zero() else amount  # no "-0"


def parse_figure(layout: L.TableLayout, row: str, col: str, value: Any) -> Figure:
    """Validate one input figure for its cell; raises ValueError with a message naming the cell."""
    if value is None:
        return None
    money = (row, col) in layout.money
    if type(value) is int and 0 <= value <= MAX_COUNT and not money:
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
            raise ValueError(f"{layout.name}中有无法识别的行「{shown(unknown[0])}」")
        out: dict[str, dict[str, Any]] = {}
        for row in layout.rows:
            given = data.get(row.key) or {}
            if not isinstance(given, dict):
                raise ValueError(f"{layout.cell_name(row.key, None)}的数据格式不正确")
            cols = layout.input_columns[row.key]
            counts = _count_columns(layout, row.key)
            if not counts.issuperset(given):  # a fee column, or one that cannot be filled: look closer
                for c in given:
                    if c not in cols and not (c in layout.column_by_key and given[c] is None):
                        raise ValueError(f"{layout.cell_name(row.key, None)}中有无法填写的列「{shown(c)}」")
            if cols:
                # A blank or an ordinary count is taken as it is, here: a draft holds a hundred figures per table
                out[row.key] = {c: v if v is None or (type(v) is int and 0 <= v <= MAX_COUNT and c in counts)
                                else parse_figure(layout, row.key, c, v) for c in cols for v in (given.get(c),)}
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
        for target, gather in _gatherers(self.layout):
            values = gather(out)
            # Added in the order _sum adds them; at C speed when none is blank (a compile resolves every unit)
            out[target] = sum(values[1:], values[0]) if values and None not in values else _sum(values)
        return out

    def inputs(self) -> Iterator[tuple[str, str, Figure]]:
        for r, c in self.layout.input_cells:
            yield r, c, self.root[r][c]

    def is_blank(self) -> bool:
        return all(v is None for cols in self.root.values() for v in cols.values())

    def blank_cells(self) -> list[tuple[str, str]]:
        if not any(None in cols.values() for cols in self.root.values()):
            return []  # the common case, found at C speed
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


_COUNT_COLUMNS: dict[tuple[str, str], frozenset[str]] = {}


def _count_columns(layout: L.TableLayout, row: str) -> frozenset[str]:
    """The input columns of ``row`` that hold a count (not a fee)."""
    found = _COUNT_COLUMNS.get((layout.key, row))
    if found is None:
        found = _COUNT_COLUMNS[(layout.key, row)] = frozenset(
            c for c in layout.input_columns[row] if (row, c) not in layout.money)
    return found


_GATHERERS: dict[str, tuple] = {}


def _gatherers(layout: L.TableLayout) -> tuple[tuple[tuple[str, str], Callable[[dict], tuple]], ...]:
    """Each derived cell of ``layout`` with a function giving the figures it sums, as a tuple."""
    found = _GATHERERS.get(layout.key)
    if found is None:
        found = _GATHERERS[layout.key] = tuple(
            (target, operator.itemgetter(*sources) if len(sources) > 1 else _few(sources))
            for target, sources in layout.derivation)
    return found


def _few(sources: tuple[tuple[str, str], ...]) -> Callable[[dict], tuple]:
    return lambda out: tuple(out[s] for s in sources)  # itemgetter of one item gives the item, of none fails


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


_LOCATION_TEXT_KEYS = ("part", "table", "row", "column", "field")  # and start/end in a text, page/box on a page


def _location(value: Any) -> dict[str, Any]:
    """A stored location checked against the layout, so check and export never meet a cell that does not exist."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"应为一组数据，实际为「{shown(value)}」")
    out: dict[str, Any] = {}
    for k, v in value.items():
        if v is None:
            continue
        if k in _LOCATION_TEXT_KEYS:
            if not isinstance(v, str):
                raise ValueError(f"其中的「{k}」应为文字，实际为「{shown(v)}」")
        elif k in ("start", "end"):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_PART_CHARS:
                raise ValueError(f"其中的「{k}」应为 0 至 {MAX_PART_CHARS:,} 的整数，实际为「{shown(v)}」")
        elif k == "page":  # where on a scanned or PDF page a reader found it
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= _MAX_PAGE:
                raise ValueError(f"其中的页码应为 1 至 {_MAX_PAGE:,} 的整数，实际为「{shown(v)}」")
        elif k == "box":
            if not isinstance(v, (list, tuple)) or len(v) != 4 or not all(_coordinate(x) for x in v):
                raise ValueError(f"其中的页面位置应为 4 个坐标，实际为「{shown(v)}」")
            v = [float(x) for x in v]  # as written; a draft reads numbers with a point as Decimal
        else:
            raise ValueError(f"有无法识别的项「{shown(k)}」")
        out[k] = v
    part, table, row, column, field = (out.get(k) for k in _LOCATION_TEXT_KEYS)
    if part is not None and part not in L.PART_BY_KEY and part != "meta":
        raise ValueError(f"指向不存在的部分「{shown(part)}」")
    if table is not None:
        layout = L.TABLE_BY_KEY.get(table)
        if layout is None:
            raise ValueError(f"指向不存在的表格「{shown(table)}」")
        if row is not None and row not in layout.row_by_key:
            raise ValueError(f"指向{layout.name}中不存在的行「{shown(row)}」")
        if column is not None and column not in layout.column_by_key:
            raise ValueError(f"指向{layout.name}中不存在的列「{shown(column)}」")
    elif row is not None or column is not None:
        raise ValueError("指向表格的行或列，但没有指明是哪一张表")
    if field is not None and field not in L.TEXT_FIELD_BY_KEY:
        raise ValueError(f"指向不存在的文字部分「{shown(field)}」")
    start, end = out.get("start"), out.get("end")
    if (start is None) != (end is None) or (start is not None and start > end):
        raise ValueError("文字的起止位置不完整或颠倒")
    return out


_MAX_PAGE = 100_000


def _coordinate(x: Any) -> bool:
    return (not isinstance(x, bool) and isinstance(x, (int, float, Decimal)) and math.isfinite(x)
            and -_MAX_PAGE <= x <= _MAX_PAGE)


StoredLocation = Annotated[dict[str, Any], BeforeValidator(_location)]


def _stated(value: Any) -> dict[str, dict[str, dict[str, Figure]]]:
    """Totals as printed in an imported source, each a figure of a total cell of the layout."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("原文所列合计的数据格式不正确")
    out: dict[str, dict[str, dict[str, Figure]]] = {}
    for table_key, rows in value.items():
        layout = L.TABLE_BY_KEY.get(table_key)
        if layout is None:
            raise ValueError(f"原文所列合计指向不存在的表格「{shown(table_key)}」")
        if not isinstance(rows, dict):
            raise ValueError(f"{layout.name}原文所列合计的数据格式不正确")
        for row_key, cols in rows.items():
            if row_key not in layout.row_by_key or not isinstance(cols, dict):
                raise ValueError(f"{layout.name}原文所列合计中有无法识别的行「{shown(row_key)}」")
            for col_key, figure in cols.items():
                if (row_key, col_key) not in layout.figure_positions:
                    raise ValueError(f"{layout.cell_name(row_key, None)}原文所列合计中有无法识别的列「{shown(col_key)}」")
                figure = (_parse_money if (row_key, col_key) in layout.money else _parse_count)(
                    figure, layout.cell_name(row_key, col_key))
                out.setdefault(table_key, {}).setdefault(row_key, {})[col_key] = figure
    return out


# -- provenance: where an import read each cell and note (kept in drafts only) ---------------------------

DRAFT_CONTEXT = {"draft": True}
"""Serialization context of a draft file: only drafts keep an import's provenance (see :class:`SourcePlace`)."""

MAX_SOURCE_LINES = 20_000  # lines of an imported source kept for the 导入核对 view (a long report has ~1,500)
MAX_SOURCE_LINE_CHARS = 2_000  # one kept line; a longer paragraph is cut (the view shows where it starts)
MAX_SOURCE_CHARS = 300_000  # all kept lines together; a source longer than this keeps no lines


def _in_draft(info: SerializationInfo) -> bool:
    return bool(isinstance(info.context, dict) and info.context.get("draft"))


class SourcePlace(BaseModel):
    """Where in an imported source something was read: the index of a source line (see
    :attr:`ImportRecord.source_lines`) and, on a PDF or scan, the page and the box of the words read, in
    points from the page's top-left corner. Kept in drafts so 导入核对 works after reopening; published
    files never carry it."""

    model_config = ConfigDict(frozen=True)

    line: int | None = Field(None, ge=0, lt=MAX_SOURCE_LINES)
    page: int | None = Field(None, ge=1, le=_MAX_PAGE)
    box: tuple[float, float, float, float] | None = None

    @field_validator("box", mode="before")
    @classmethod
    def _box(cls, v: Any) -> Any:
        if v is None:
            return None
        if not isinstance(v, (list, tuple)) or len(v) != 4 or not all(_coordinate(x) for x in v):
            raise ValueError(f"页面位置应为 4 个页面内的坐标，实际为「{shown(v)}」")
        box = tuple(float(x) for x in v)
        if box[0] > box[2] or box[1] > box[3]:
            raise ValueError("页面位置的坐标颠倒")
        return tuple(round(x, 1) for x in box)

    @model_validator(mode="after")
    def _box_on_page(self) -> "SourcePlace":
        if self.box is not None and self.page is None:
            raise ValueError("页面位置没有页码")
        return self

    @model_serializer
    def _dump(self) -> dict[str, Any]:
        return {k: (list(v) if k == "box" else v) for k, v in
                (("line", self.line), ("page", self.page), ("box", self.box)) if v is not None}


class SourceLine(BaseModel):
    """One line of an imported source as the reader saw it (a paragraph, a table row with its cells
    joined by tabs), and its page when the source has pages."""

    model_config = ConfigDict(frozen=True)

    text: str = Field("", max_length=MAX_SOURCE_LINE_CHARS)
    page: int | None = Field(None, ge=1, le=_MAX_PAGE)

    @field_validator("text", mode="before")
    @classmethod
    def _printable(cls, v: Any) -> Any:
        return printable(v) if isinstance(v, str) else v

    @model_serializer
    def _dump(self) -> dict[str, Any]:
        return {"text": self.text, **({"page": self.page} if self.page is not None else {})}


def _cell_sources(value: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """{table: {row: {column: place}}}, every cell one the layout prints (inputs and printed totals)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("单元格的原文位置格式不正确")
    for table_key, rows in value.items():
        layout = L.TABLE_BY_KEY.get(table_key)
        if layout is None or not isinstance(rows, dict):
            raise ValueError(f"单元格的原文位置指向不存在的表格「{str(table_key)[:24]}」")
        for row_key, cols in rows.items():
            if row_key not in layout.row_by_key or not isinstance(cols, dict):
                raise ValueError(f"单元格的原文位置指向{layout.name}中不存在的行「{str(row_key)[:24]}」")
            for col_key in cols:
                if (row_key, col_key) not in layout.figure_positions:
                    raise ValueError(f"单元格的原文位置指向{layout.cell_name(row_key, None)}中不存在的列「{str(col_key)[:24]}」")
    return value


class Note(BaseModel):
    """A finding stored in the report: what an import could not read, or a supervisor's comment."""

    rule: bounded_text(100, "规则编号")
    severity: Severity
    message: bounded_text(MAX_LINE_CHARS, "提示内容", cut=True)
    location: StoredLocation = Field(default_factory=dict)
    category: bounded_text(100, "提示类别") = ""
    source: SourcePlace | None = None  # where an import note points in the source (drafts only)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> Severity:
        return v if isinstance(v, Severity) else Severity.from_code(v)

    @model_serializer
    def _dump(self, info: SerializationInfo) -> dict[str, Any]:
        out = {"rule": self.rule, "severity": self.severity.code, "message": self.message,
               "location": self.location, "category": self.category}
        if self.source is not None and _in_draft(info):
            out["source"] = self.source.model_dump()
        return out

    def as_finding(self) -> Finding:
        loc = Location(**{k: v for k, v in self.location.items() if k in Location.__dataclass_fields__})
        return Finding(self.rule, self.severity, self.message, (loc,), category=self.category)

    @classmethod
    def from_finding(cls, f: Finding) -> "Note":
        return cls(rule=f.rule, severity=f.severity, message=f.message,
                   location={k: v for k, v in f.location.__dict__.items() if v is not None},
                   category=f.category)


_PROVENANCE = ("source_path", "source_digest", "source_lines", "cell_sources")


class ImportRecord(BaseModel):
    """Where an imported report came from, the totals it printed, and what could not be read."""

    source: bounded_text(MAX_NAME_CHARS, "来源文件名", cut=True) = ""
    source_format: bounded_text(100, "来源格式") = ""
    imported_at: dt.datetime | None = None
    # Totals as printed in the source: {table key: {row key: {column key: figure}}}.
    stated: Annotated[dict[str, dict[str, dict[str, Any]]], BeforeValidator(_stated)] = Field(default_factory=dict)
    notes: Annotated[list[Note], bounded_list(MAX_ITEMS, "导入提示")] = Field(default_factory=list)
    # Provenance, for the 导入核对 view (drafts only, never in a published file): the source file as it was
    # imported (path and SHA-256, to show its pages again only when it is still the same file), its lines as
    # the reader saw them, and where each cell was read.
    source_path: str = Field("", max_length=4_000)
    source_digest: str = Field("", pattern=r"^(?:[0-9a-f]{64})?$")
    source_lines: list[SourceLine] = Field(default_factory=list)
    cell_sources: dict[str, dict[str, dict[str, SourcePlace]]] = Field(default_factory=dict)

    @field_validator("source_lines", mode="before")
    @classmethod
    def _bounded_lines(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            if len(v) > MAX_SOURCE_LINES:
                raise ValueError(f"原文有 {len(v):,} 行，超过上限 {MAX_SOURCE_LINES:,} 行")
            texts = (x.get("text") if isinstance(x, dict) else getattr(x, "text", None) for x in v)
            chars = sum(len(t) for t in texts if isinstance(t, str))  # a wrong type is refused by the field
            if chars > MAX_SOURCE_CHARS:
                raise ValueError(f"原文有 {chars:,} 个字符，超过上限 {MAX_SOURCE_CHARS:,} 个")
        return v

    @field_validator("cell_sources", mode="before")
    @classmethod
    def _cells(cls, v: Any) -> Any:
        return _cell_sources(v)

    @model_validator(mode="after")
    def _places_in_source(self) -> "ImportRecord":
        """A place names a line of the kept source (when lines are kept) — or the 导入核对 view would point nowhere."""
        if self.source_lines:
            count = len(self.source_lines)
            places = [n.source for n in self.notes] + [p for rows in self.cell_sources.values()
                                                       for cols in rows.values() for p in cols.values()]
            if any(p is not None and p.line is not None and p.line >= count for p in places):
                raise ValueError(f"原文位置超出原文的 {count:,} 行")
        return self

    def cell_source(self, table: str, row: str, column: str) -> SourcePlace | None:
        return self.cell_sources.get(table, {}).get(row, {}).get(column)

    @model_serializer(mode="wrap")
    def _dump(self, handler, info: SerializationInfo) -> dict[str, Any]:
        out = handler(self)
        out["stated"] = {t: {r: {c: (str(v) if isinstance(v, Decimal) else v) for c, v in cols.items()}
                             for r, cols in rows.items()} for t, rows in self.stated.items()}
        if not _in_draft(info):
            for name in _PROVENANCE:
                out.pop(name, None)
        return out


def _new_id() -> str:
    import uuid  # with platform and its friends: not needed to open a draft

    return uuid.uuid4().hex[:12]


class Comment(BaseModel):
    """A supervisor's 批注 on a cell, a text field or a part; it stays in the clerk's 自检 panel until resolved."""

    id: bounded_text(100, "批注编号") = Field(default_factory=lambda: _new_id())
    author: bounded_text(MAX_NAME_CHARS, "批注人") = ""
    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    location: StoredLocation = Field(default_factory=dict)  # part / table / row / column / field
    text: bounded_text(MAX_LINE_CHARS, "批注内容")
    resolved: bool = False
    reply: bounded_text(MAX_LINE_CHARS, "批注答复") = ""  # the clerk's answer when resolving

    @property
    def message(self) -> str:
        # ASCII-only strftime formats: Windows encodes them in the ANSI code page, which lacks 月 on English Windows.
        return f"审核意见（{self.author or '上级'}，{self.time:%m}月{self.time:%d}日）：{self.text}"


class Change(BaseModel):
    """One edit made by someone other than the unit (a supervisor reviewing the draft): never silent."""

    time: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    author: bounded_text(MAX_NAME_CHARS, "修改人") = ""
    where: bounded_text(MAX_NAME_CHARS, "修改位置", cut=True)  # the cell or text field in Chinese, e.g. 「表三 … / 自然人」
    location: StoredLocation = Field(default_factory=dict)
    old: bounded_text(MAX_LINE_CHARS, "修改前内容", cut=True) = ""
    new: bounded_text(MAX_LINE_CHARS, "修改后内容", cut=True) = ""


# ---------------------------------------------------------------------------------------------
# The report


def _explanations(data: Any) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"说明应为一组数据，实际为「{shown(data)}」")
    if len(data) > MAX_ITEMS:
        raise ValueError(f"说明有 {len(data):,} 条，超过上限 {MAX_ITEMS:,} 条")
    out = {}
    for k, v in data.items():
        if not isinstance(v, str) or len(k) > MAX_NAME_CHARS:
            raise ValueError(f"说明「{shown(k)}」应为一句文字，实际为「{shown(v)}」")
        if len(v) > MAX_LINE_CHARS:
            raise ValueError(f"说明「{shown(k)}」有 {len(v):,} 个字符，超过上限 {MAX_LINE_CHARS:,} 个")
        out[printable(k)] = printable(v)
    return out


def default_report_year(today: dt.date | None = None) -> int:
    """The year a clerk starting a report now is writing about.

    Reports are due by the end of January for the year just ended, but in November and December clerks
    begin this year's report early.
    """
    today = today or dt.date.today()
    return today.year if today.month >= 11 else today.year - 1


class Report(BaseModel):
    meta: Metadata
    texts: dict[str, str] = Field(default_factory=dict, validate_default=True)
    table2: Table2 = Field(default_factory=Table2.empty)
    table3: Table3 = Field(default_factory=Table3.empty)
    table4: Table4 = Field(default_factory=Table4.empty)
    # Finding key → the clerk's one-line explanation for keeping a 警告/提示 as it is.
    explanations: Annotated[dict[str, str], BeforeValidator(_explanations)] = Field(default_factory=dict)
    imported: ImportRecord | None = None
    comments: Annotated[list[Comment], bounded_list(MAX_ITEMS, "批注")] = Field(default_factory=list)
    history: Annotated[list[Change], bounded_list(MAX_ITEMS, "修改记录")] = Field(default_factory=list)

    @model_validator(mode="after")
    def _total(self) -> "Report":
        total = self.text_size()
        if total > MAX_REPORT_CHARS:
            raise ValueError(f"报告的文字（正文、说明、批注、提示和修改记录）共 {total:,} 个字符，"
                             f"超过上限 {MAX_REPORT_CHARS:,} 个")
        return self

    def text_size(self) -> int:
        """Characters of all text the report holds (what its draft file's size mostly is)."""
        total = sum(map(len, self.texts.values())) + sum(len(k) + len(v) for k, v in self.explanations.items())
        total += sum(len(c.text) + len(c.reply) + len(c.author) + len(c.id) for c in self.comments)
        total += sum(len(c.where) + len(c.old) + len(c.new) + len(c.author) for c in self.history)
        if self.imported is not None:
            total += len(self.imported.source) + sum(len(n.message) + len(n.rule) + len(n.category)
                                                     for n in self.imported.notes)
        return total

    @field_validator("texts", mode="before")
    @classmethod
    def _texts(cls, data: Any) -> dict[str, str]:
        if data is not None and not isinstance(data, dict):
            raise ValueError(f"文字部分应为一组数据，实际为「{shown(data)}」")
        data = dict(data or {})
        unknown = [k for k in data if k not in L.TEXT_FIELD_BY_KEY]
        if unknown:
            raise ValueError(f"无法识别的文字部分「{shown(unknown[0])}」")
        for k, v in data.items():
            label = L.TEXT_FIELD_BY_KEY[k].label
            if not isinstance(v, str):
                raise ValueError(f"「{label}」应为文字")
            if len(v) > MAX_PART_CHARS:
                raise ValueError(f"「{label}」有 {len(v):,} 个字符，超过上限 {MAX_PART_CHARS:,} 个")
        return {f.key: printable(data.get(f.key, "")) for f in L.TEXT_FIELDS}

    def set_text(self, key: str, text: str) -> str:
        """Set one narrative field as the model stores it (printable, bounded); returns what was stored."""
        stored = self._texts({**self.texts, key: text})[key]
        self.texts[key] = stored
        return stored

    def set_explanation(self, finding_key: str, text: str | None) -> str | None:
        """Keep (or, with None or blank, drop) the clerk's explanation of a finding; returns what was stored."""
        text = printable(text or "").strip()
        if not text:
            self.explanations.pop(finding_key, None)
            return None
        stored = _explanations({finding_key: text})
        self.explanations.update(stored)
        return next(iter(stored.values()))

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
