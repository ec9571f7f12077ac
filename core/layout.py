"""The official report format as data: parts, overview topics and the three tables.

This module is the only place where an official label is written down. The model, the rule engine,
the form, the Word/Excel writers and every importer read labels, keys and merged-cell spans from here.

Each table has two faces:

* a *logical matrix* of rows × columns (``TableLayout.rows`` / ``.columns``) that the model stores
  and the rules read, with the derived totals declared as sums;
* the *official grid* (``TableLayout.grid``): every cell of the printed table with its row/column span,
  holding either a label or a reference to one figure of the matrix. Writers and the form draw the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

FORMAT_VERSION = "2021"
FORMAT_SOURCE = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"
TITLE_SUFFIX = "政府信息公开工作年度报告"


# ---------------------------------------------------------------------------------------------
# Parts, overview topics and narrative fields


@dataclass(frozen=True)
class Part:
    key: str
    number: str  # 一 … 六
    heading: str
    guidance: str
    nav_label: str = ""  # a shorter name for navigation lists, when the heading is long

    @property
    def nav(self) -> str:
        return self.nav_label or self.heading

    @property
    def short(self) -> str:
        return "第" + self.number + "部分"


PARTS: tuple[Part, ...] = (
    Part("overview", "一", "一、总体情况",
         "概述本年度贯彻落实《中华人民共和国政府信息公开条例》的情况，围绕主动公开、依申请公开、"
         "政府信息管理、政府信息公开平台建设、监督保障五个方面撰写；各级人民政府还应报告工作考核、"
         "社会评议和责任追究结果情况。"),
    Part("proactive", "二", "二、主动公开政府信息情况",
         "以表格形式报告《条例》第二十条第（一）（五）（六）（八）项信息的主动公开情况。", "二、主动公开"),
    Part("requests", "三", "三、收到和处理政府信息公开申请情况",
         "以表格形式报告本年度收到和处理政府信息公开申请的情况，只统计本机关收到的申请。", "三、依申请公开"),
    Part("appeals", "四", "四、政府信息公开行政复议、行政诉讼情况",
         "以表格形式报告因政府信息公开工作被申请行政复议、提起行政诉讼的情况。", "四、复议诉讼"),
    Part("problems", "五", "五、存在的主要问题及改进情况",
         "写明本年度政府信息公开工作存在的主要问题和相应的改进措施，可说明上年度问题的整改情况。", "五、问题及改进"),
    Part("other", "六", "六、其他需要报告的事项",
         "写明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取也应写明），"
         "以及落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开、"
         "年度政务公开工作创新等情况。", "六、其他事项"),
)
PART_BY_KEY = {p.key: p for p in PARTS}


@dataclass(frozen=True)
class Topic:
    """One of the five aspects part 一 must cover; ``keywords`` are how a narrative names it."""

    key: str
    number: str  # （一）…（五）
    label: str
    keywords: tuple[str, ...]
    guidance: str

    @property
    def heading(self) -> str:
        return self.number + self.label


TOPICS: tuple[Topic, ...] = (
    Topic("proactive", "（一）", "主动公开", ("主动公开",),
          "本年度主动公开政府信息的数量、重点领域信息公开、政策解读、专题专栏等情况。"),
    Topic("on_request", "（二）", "依申请公开", ("依申请公开", "依申请", "公开申请"),
          "受理、办理政府信息公开申请的制度和情况，可与第三部分表格数据相互印证。"),
    Topic("management", "（三）", "政府信息管理", ("政府信息管理", "信息管理", "发布审查", "规范性文件"),
          "公开属性认定、发布审查、规范性文件清理、公开目录动态更新等情况。"),
    Topic("platform", "（四）", "政府信息公开平台建设", ("平台建设", "公开平台", "政府网站", "政务新媒体"),
          "政府网站、政务新媒体、政府公报、政务公开专区等平台建设情况。"),
    Topic("oversight", "（五）", "监督保障", ("监督保障", "监督", "保障", "考核", "培训"),
          "组织领导、制度建设、教育培训、考核评议、责任追究等情况。"),
)
TOPIC_BY_KEY = {t.key: t for t in TOPICS}

# What 条例第五十条 asks of every people's government (townships included), usually under 监督保障.
GOVERNMENT_RESULTS = ("工作考核", "社会评议", "责任追究")


@dataclass(frozen=True)
class TextField:
    """A piece of narrative the clerk writes; ``key`` addresses it in the model and in findings."""

    key: str
    part: str
    label: str
    guidance: str
    required: bool


def _text_fields() -> tuple[TextField, ...]:
    overview = PART_BY_KEY["overview"]
    fields = [TextField("overview", "overview", overview.heading + "（导语）",
                        "开篇概述：编制依据、统计期限（本年1月1日至12月31日）、工作总体情况。", False)]
    fields += [TextField("overview." + t.key, "overview", t.heading, t.guidance, True) for t in TOPICS]
    for key in ("proactive", "requests", "appeals"):
        part = PART_BY_KEY[key]
        fields.append(TextField(key, key, part.heading + "（表前说明）", "可选：表格前的简要说明。", False))
    for key in ("problems", "other"):
        part = PART_BY_KEY[key]
        fields.append(TextField(key, key, part.heading, part.guidance, True))
    return tuple(fields)


TEXT_FIELDS: tuple[TextField, ...] = _text_fields()
TEXT_FIELD_BY_KEY = {f.key: f for f in TEXT_FIELDS}


# ---------------------------------------------------------------------------------------------
# Tables


ValueKind = Literal["count", "money"]


@dataclass(frozen=True)
class Line:
    """A row or a column of a table's logical matrix."""

    key: str
    label: str  # the official label, exactly as printed
    short: str  # how messages name it
    derived_from: tuple[str, ...] = ()  # keys summed when this line is a derived total

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)


@dataclass(frozen=True)
class GridCell:
    """One cell of the official printed grid (0-based position, spans ≥ 1).

    A label cell has ``text``; a figure cell has ``figure`` = (row key, column key) of the matrix.
    """

    row: int
    col: int
    text: str = ""
    figure: tuple[str, str] | None = None
    rowspan: int = 1
    colspan: int = 1
    role: Literal["header", "label", "note", "figure"] = "label"


@dataclass(frozen=True)
class TableLayout:
    key: str
    part: str
    name: str  # 表二 …
    rows: tuple[Line, ...]
    columns: tuple[Line, ...]
    inputs: frozenset[tuple[str, str]]  # the (row, column) cells the clerk types
    grid: tuple[GridCell, ...]
    header_rows: int  # leading grid rows that repeat when the table crosses a page
    money: frozenset[tuple[str, str]] = frozenset()  # cells in 万元 (Decimal) rather than counts
    row_labels: dict[str, str] = field(default_factory=dict)  # long label per row for messages

    @cached_property
    def row_by_key(self) -> dict[str, Line]:
        return {r.key: r for r in self.rows}

    @cached_property
    def column_by_key(self) -> dict[str, Line]:
        return {c.key: c for c in self.columns}

    @cached_property
    def input_columns(self) -> dict[str, tuple[str, ...]]:
        """Each row's input columns, in column order (empty for a heading row)."""
        return {r.key: tuple(c.key for c in self.columns if (r.key, c.key) in self.inputs) for r in self.rows}

    @cached_property
    def input_cells(self) -> tuple[tuple[str, str], ...]:
        """Input cells in reading order (row by row, left to right)."""
        return tuple((r.key, c.key) for r in self.rows for c in self.columns if (r.key, c.key) in self.inputs)

    @cached_property
    def grid_size(self) -> tuple[int, int]:
        return (max(c.row + c.rowspan for c in self.grid), max(c.col + c.colspan for c in self.grid))

    @cached_property
    def figure_positions(self) -> dict[tuple[str, str], GridCell]:
        return {c.figure: c for c in self.grid if c.figure is not None}

    @cached_property
    def derivation(self) -> tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...]:
        """Each derived figure cell with the cells it sums, in an order where sources come first."""
        by_column = [((r, c), tuple((r, k) for k in self.column_by_key[c].derived_from))
                     for (r, c) in self.figure_positions
                     if self.column_by_key[c].derived and not self.row_by_key[r].derived]
        by_row = [((r, c), tuple((k, c) for k in self.row_by_key[r].derived_from))
                  for (r, c) in self.figure_positions if self.row_by_key[r].derived]
        return tuple(by_column + by_row)

    def kind(self, row: str, col: str) -> ValueKind:
        return "money" if (row, col) in self.money else "count"

    def is_derived(self, row: str, col: str) -> bool:
        return self.row_by_key[row].derived or self.column_by_key[col].derived

    def cell_name(self, row: str | None, col: str | None) -> str:
        """How a message names a cell, a row or a column: 表三「一、本年新收…」行「自然人」列."""
        parts = [self.name]
        if row is not None:
            parts.append("「" + self.row_labels.get(row, self.row_by_key[row].label) + "」行")
        if col is not None and len(self.columns) > 1:
            parts.append("「" + self.column_by_key[col].label + "」列")
        return "".join(parts)


# -- Table 二 ---------------------------------------------------------------------------------

_T2_BLOCKS = (
    # item line, header of the figure columns, rows (key, label), figure columns (key, short)
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
     (("rules", "规章"), ("normative", "行政规范性文件")), ("issued", "repealed", "in_force")),
    ("第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),), ("decisions",)),
    ("第二十条第（六）项", ("本年处理决定数量",), (("penalty", "行政处罚"), ("enforcement", "行政强制")),
     ("decisions",)),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),), ("amount",)),
)
T2_CONTENT_HEADER = "信息内容"
T2_FEE_HEADER_PLACES = "本年收费金额（单位：万元，保留4位小数）"  # the provincial variant, a setting
FEE_PLACES = 4


def _table2() -> TableLayout:
    grid: list[GridCell] = []
    rows: list[Line] = []
    columns: dict[str, Line] = {}
    inputs: set[tuple[str, str]] = set()
    r = 0
    for item, headers, block_rows, col_keys in _T2_BLOCKS:
        grid.append(GridCell(r, 0, item, colspan=4, role="header"))
        grid.append(GridCell(r + 1, 0, T2_CONTENT_HEADER, role="header"))
        wide = len(col_keys) == 1
        for i, (ck, header) in enumerate(zip(col_keys, headers)):
            columns.setdefault(ck, Line(ck, header, header))
            grid.append(GridCell(r + 1, 1 + i, header, colspan=3 if wide else 1, role="header"))
        r += 2
        for rk, label in block_rows:
            rows.append(Line(rk, label, label))
            grid.append(GridCell(r, 0, label))
            for i, ck in enumerate(col_keys):
                inputs.add((rk, ck))
                grid.append(GridCell(r, 1 + i, figure=(rk, ck), colspan=3 if wide else 1, role="figure"))
            r += 1
    return TableLayout(
        key="table2", part="proactive", name="表二", rows=tuple(rows), columns=tuple(columns.values()),
        inputs=frozenset(inputs), grid=tuple(grid), header_rows=0,
        money=frozenset({("fees", "amount")}),
    )


# -- Table 三 ---------------------------------------------------------------------------------

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_LEGAL_PERSONS = "法人或其他组织"
T3_RESULTS = "三、本年度办理结果"

_T3_COLUMNS = (
    ("natural", "自然人"), ("business", "商业企业"), ("research", "科研机构"),
    ("nonprofit", "社会公益组织"), ("legal_services", "法律服务机构"), ("other_org", "其他"),
)
_T3_GROUPS = (
    # key, label, short, items (key, label)
    ("granted", "（一）予以公开", "予以公开", ()),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", ()),
    ("withheld", "（三）不予公开", "不予公开", (
        ("state_secret", "1.属于国家秘密"),
        ("prohibited", "2.其他法律行政法规禁止公开"),
        ("security", "3.危及“三安全一稳定”"),
        ("third_party", "4.保护第三方合法权益"),
        ("internal", "5.属于三类内部事务信息"),
        ("process", "6.属于四类过程性信息"),
        ("enforcement_file", "7.属于行政执法案卷"),
        ("query", "8.属于行政查询事项"),
    )),
    ("unable", "（四）无法提供", "无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"),
        ("needs_creation", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"),
    )),
    ("not_processed", "（五）不予处理", "不予处理", (
        ("complaint", "1.信访举报投诉类申请"),
        ("repeat", "2.重复申请"),
        ("publication", "3.要求提供公开出版物"),
        ("excessive", "4.无正当理由大量反复申请"),
        ("confirm", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    ("other", "（六）其他处理", "其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"),
    )),
)
T3_OUTCOME_TOTAL = ("total", "（七）总计", "办理结果总计")
T3_TOP_ROWS = {
    "new": ("一、本年新收政府信息公开申请数量", "新收"),
    "carried_in": ("二、上年结转政府信息公开申请数量", "上年结转"),
    "carried_out": ("四、结转下年度继续办理", "结转下年度"),
}
TOTAL = "总计"


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    label: str
    row_keys: tuple[str, ...]  # the leaf rows of the group (itself when it has no items)


def _table3() -> tuple[TableLayout, tuple[OutcomeGroup, ...]]:
    ncols = len(_T3_COLUMNS)
    columns = [Line(k, label, label) for k, label in _T3_COLUMNS]
    columns.append(Line("total", TOTAL, TOTAL, derived_from=tuple(k for k, _ in _T3_COLUMNS)))
    total_col = 3 + ncols

    grid = [
        GridCell(0, 0, T3_NOTE, rowspan=3, colspan=3, role="note"),
        GridCell(0, 3, T3_APPLICANTS, colspan=ncols + 1, role="header"),
        GridCell(1, 3, _T3_COLUMNS[0][1], rowspan=2, role="header"),
        GridCell(1, 4, T3_LEGAL_PERSONS, colspan=ncols - 1, role="header"),
        GridCell(1, total_col, TOTAL, rowspan=2, role="header"),
    ]
    grid += [GridCell(2, 4 + i, label, role="header") for i, (_, label) in enumerate(_T3_COLUMNS[1:])]

    rows: list[Line] = []
    row_labels: dict[str, str] = {}
    groups: list[OutcomeGroup] = []
    r = 3

    def figures(row_key: str) -> None:
        for i, col in enumerate(columns):
            grid.append(GridCell(r, 3 + i, figure=(row_key, col.key), role="figure"))

    for key in ("new", "carried_in"):
        label, short = T3_TOP_ROWS[key]
        rows.append(Line(key, label, short))
        grid.append(GridCell(r, 0, label, colspan=3))
        figures(key)
        r += 1

    results_top = r
    leaf_keys: list[str] = []
    for gkey, glabel, gshort, items in _T3_GROUPS:
        if not items:
            rows.append(Line(gkey, glabel, gshort))
            grid.append(GridCell(r, 1, glabel, colspan=2))
            figures(gkey)
            groups.append(OutcomeGroup(gkey, glabel, (gkey,)))
            leaf_keys.append(gkey)
            r += 1
            continue
        grid.append(GridCell(r, 1, glabel, rowspan=len(items)))
        keys = []
        for ikey, ilabel in items:
            key = gkey + "." + ikey
            rows.append(Line(key, ilabel, gshort + "·" + ilabel.split(".", 1)[1]))
            row_labels[key] = glabel + ilabel
            grid.append(GridCell(r, 2, ilabel))
            figures(key)
            keys.append(key)
            r += 1
        groups.append(OutcomeGroup(gkey, glabel, tuple(keys)))
        leaf_keys += keys
    tkey, tlabel, tshort = T3_OUTCOME_TOTAL
    rows.append(Line(tkey, tlabel, tshort, derived_from=tuple(leaf_keys)))
    grid.append(GridCell(r, 1, tlabel, colspan=2))
    figures(tkey)
    r += 1
    grid.append(GridCell(results_top, 0, T3_RESULTS, rowspan=r - results_top))

    label, short = T3_TOP_ROWS["carried_out"]
    rows.append(Line("carried_out", label, short))
    grid.append(GridCell(r, 0, label, colspan=3))
    figures("carried_out")

    inputs = frozenset((row.key, col.key) for row in rows if not row.derived
                       for col in columns if not col.derived)
    layout = TableLayout(
        key="table3", part="requests", name="表三", rows=tuple(rows), columns=tuple(columns),
        inputs=inputs, grid=tuple(sorted(grid, key=lambda c: (c.row, c.col))), header_rows=3,
        row_labels=row_labels,
    )
    return layout, tuple(groups)


# -- Table 四 ---------------------------------------------------------------------------------

T4_RECONSIDERATION = "行政复议"
T4_LITIGATION = "行政诉讼"
_T4_GROUPS = (
    ("reconsideration", T4_RECONSIDERATION, "行政复议"),
    ("litigation_direct", "未经复议直接起诉", "直接起诉"),
    ("litigation_after", "复议后起诉", "复议后起诉"),
)
_T4_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))


def _table4() -> TableLayout:
    columns = [Line(k, label, label) for k, label in _T4_OUTCOMES]
    columns.append(Line("total", TOTAL, TOTAL, derived_from=tuple(k for k, _ in _T4_OUTCOMES)))
    rows = tuple(Line(k, label, short) for k, label, short in _T4_GROUPS)
    width = len(columns)
    grid = [
        GridCell(0, 0, T4_RECONSIDERATION, colspan=width, role="header"),
        GridCell(0, width, T4_LITIGATION, colspan=2 * width, role="header"),
    ]
    for g, row in enumerate(rows):
        left = g * width
        if g == 0:
            grid += [GridCell(1, left + i, c.label, rowspan=2, role="header") for i, c in enumerate(columns)]
        else:
            grid.append(GridCell(1, left, row.label, colspan=width, role="header"))
            grid += [GridCell(2, left + i, c.label, role="header") for i, c in enumerate(columns)]
        grid += [GridCell(3, left + i, figure=(row.key, c.key), role="figure") for i, c in enumerate(columns)]
    inputs = frozenset((r.key, c.key) for r in rows for c in columns if not c.derived)
    return TableLayout(
        key="table4", part="appeals", name="表四", rows=rows, columns=tuple(columns), inputs=inputs,
        grid=tuple(sorted(grid, key=lambda c: (c.row, c.col))), header_rows=3,
    )


TABLE2 = _table2()
TABLE3, T3_OUTCOME_GROUPS = _table3()
TABLE4 = _table4()
TABLES: tuple[TableLayout, ...] = (TABLE2, TABLE3, TABLE4)
TABLE_BY_KEY = {t.key: t for t in TABLES}
TABLE_BY_PART = {t.part: t for t in TABLES}

T3_APPLICANT_COLUMNS = tuple(k for k, _ in _T3_COLUMNS)
T3_OUTCOME_ROWS = TABLE3.row_by_key["total"].derived_from
