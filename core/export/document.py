"""The printed report as a renderer-neutral structure: the Word writer and the Qt printer draw this.

One layout definition, two renderers: what appears, in which order, with which style role, every table
cell with its span, the column widths, where a label breaks into lines and which rows must stay on one
page are decided here once, so Word and the program's own PDF agree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Literal, Union

from .. import layout as L
from ..findings import Finding, Severity
from ..model import Report, printable
from ..rules import check

Style = Literal["title", "heading1", "heading2", "body", "note"]

# GB/T 9704—2012: A4, text block 156 × 225 mm, 22 lines of 28 characters of 三号 (16 pt).
TEXT_WIDTH_MM = 156.0
TEXT_HEIGHT_MM = 225.0
LINE_CHARS = 28
LINES_PER_PAGE = 22
BODY_PT = 16.0
# 三号 condensed by 0.3 pt: 28 characters take 439.6 of the block's 442.2 pt. With less room to spare
# (0.25 pt) LibreOffice leaves a 29th, line-end 「、」 or 「，」 undrawn.
CONDENSE_PT = -0.3
TITLE_PT = 22.0
CELL_PAD_MM = 1.0  # left and right cell margin, both renderers
ROW_MIN_MM = 6.5  # data rows are at least this tall: published tables are not set solid
MIN_FIGURE_PT = 6.0
TABLE_PT = {"table2": 10.5, "table3": 10.5, "table4": 9.0}  # 五号, 五号, 小五
# A merged label whose rows take at most about a third of a page is kept whole on one page; a taller one
# (表三's 「三、本年度办理结果」 over 22 rows) may break, and its label is printed again after the break.
KEEP_WHOLE_ROWS = 10
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style


@dataclass(frozen=True)
class Closing:
    """The signature block: the organ, and under it the date, each starting ``*_indent`` characters in
    (三号 characters of the 28-character line), per GB/T 9704 §7.3.5.1."""

    organ: str
    date: str
    organ_indent: float
    date_indent: float


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: Literal["header", "label", "note", "figure", "derived"] = "label"
    lines: tuple[str, ...] = ()  # the text broken by meaning for the cell's width
    size: float = 10.5  # points; a figure too wide for its column is set smaller, never wrapped
    align: Literal["left", "center"] = "center"


@dataclass(frozen=True)
class Table:
    layout: L.TableLayout
    cells: tuple[Cell, ...]
    rows: int
    cols: int
    header_rows: int
    widths_mm: tuple[float, ...] = ()
    size: float = 10.5
    keep_with_next: tuple[bool, ...] = ()  # per grid row: never break the page between it and the next row

    @property
    def first_column_spans(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.rowspan > 1)


Block = Union[Paragraph, Table, Closing]


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    organ: str
    draft_note: str | None = None  # printed on every page of a draft export
    keywords: tuple[str, ...] = field(default=())
    title_lines: tuple[str, ...] = ()
    review_note: str | None = None  # printed on every page of a review copy


@dataclass(frozen=True)
class Options:
    """Choices a province or a clerk may make about the printed form."""

    fee_header_places: bool = False  # 「本年收费金额（单位：万元，保留4位小数）」 instead of the official header
    draft: bool = False
    review: bool = False  # the 审核副本: comments and the change history appended, marked on every page


REVIEW_NOTE = "审核副本（含审核意见和修改记录，仅供内部审核，不得公开）"


def blocking_findings(report: Report, previous: Report | None = None) -> list[Finding]:
    """The 错误 that stop a final export (a draft export is still possible)."""
    return [f for f in check(report, previous) if f.severity is Severity.ERROR]


def published(report: Report) -> Report:
    """The report as it may be published: no supervisors' comments, change history or import record."""
    return report.model_copy(update={"comments": [], "history": [], "imported": None})


def clean(text: str) -> str:
    """Text any Word, Excel or PDF file can hold: control characters and lone surrogates dropped."""
    return printable(text) if isinstance(text, str) else str(text)


# -- figures ----------------------------------------------------------------------------------------

MAX_FIGURE_CHARS = 24  # nothing a report can hold is wider; beyond this a figure is shown in E notation


def format_figure(value) -> str:
    """A figure as printed: integers in full, amounts without exponent; bounded for absurd magnitudes
    (a reader may accept what no report holds; the export still finishes and shows it honestly)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return ""
        if value.is_zero():
            return format(value, "f") if value.as_tuple().exponent >= -12 else "0"
        if not -12 <= value.adjusted() < MAX_FIGURE_CHARS:
            return format(value, ".6E")
        text = format(value, "f")
        if len(text) > MAX_FIGURE_CHARS + 8:
            with localcontext() as ctx:
                ctx.prec = MAX_FIGURE_CHARS + 8
                text = format(value.quantize(Decimal("0.000001")), "f")
        return text
    if isinstance(value, int):
        return str(value) if abs(value) < 10 ** MAX_FIGURE_CHARS else f"数值过大（超过 {MAX_FIGURE_CHARS} 位）"
    return clean(str(value))


# -- widths in characters ---------------------------------------------------------------------------

_HALF = re.compile(r"[\x20-\x7e]")  # digits and Latin letters are half an em (Times New Roman)


def em_width(text: str) -> float:
    """The width of ``text`` in ems of its font: CJK characters and full-width punctuation 1, ASCII ½."""
    half = len(_HALF.findall(text))
    return (len(text) - half) + half / 2


# Words a line never breaks inside. Labels of the official tables and organ names are made of these.
VOCABULARY = tuple(sorted({
    # table labels
    "本年度", "本年", "上年", "新收", "结转", "下年度", "继续", "办理", "结果", "政府信息", "公开", "申请", "数量",
    "予以", "部分", "不予", "区分处理的", "只计", "这一", "情形", "不计", "其他", "属于", "国家秘密", "法律",
    "行政法规", "禁止", "危及", "“三安全一稳定”", "保护", "第三方", "合法权益", "三类", "内部事务", "信息",
    "四类", "过程性", "行政执法", "案卷", "行政查询", "事项", "无法", "提供", "本机关", "不掌握", "相关",
    "没有", "现成", "需要", "另行", "制作", "补正后", "内容", "仍不", "明确", "信访", "举报", "投诉类",
    "重复", "要求", "公开出版物", "无正当理由", "大量", "反复", "行政机关", "确认", "重新", "出具", "已获取",
    "申请人", "逾期", "不补正", "不再", "处理", "其政府", "未按", "收费", "通知", "缴纳", "费用", "总计",
    "自然人", "法人", "或其他", "组织", "商业", "企业", "科研", "机构", "社会", "公益", "服务", "本列",
    "数据", "勾稽关系", "第一项", "第二项", "第三项", "第四项", "之和", "等于", "行政复议", "行政诉讼",
    "复议", "诉讼", "维持", "纠正", "尚未", "审结", "未经", "直接", "起诉", "复议后", "第二十条", "信息内容",
    "本年制发", "件数", "本年废止", "现行有效", "处理决定", "收费金额", "单位", "万元", "保留", "小数",
    # table 二's row labels (规章, 行政许可 …) come from the layout, below
    # organ names
    "人民政府", "办公室", "办公厅", "委员会", "管理局", "管理委员会", "人民代表大会", "常务委员会",
    "街道办事处", "办事处", "自治区", "自治州", "自治县", "发展和改革", "教育", "科学技术", "工业和信息化",
    "公安", "民政", "司法", "财政", "人力资源", "社会保障", "自然资源", "生态环境", "住房和城乡建设",
    "交通运输", "水利", "农业农村", "商务", "文化和旅游", "卫生健康", "退役军人事务", "应急管理",
    "审计", "市场监督", "统计", "医疗保障", "信访局", "政务服务", "数据局", "林业", "城市管理",
    "综合行政执法", "乡村振兴", "机构编制", "政府", "政务公开", "工作", "年度报告",
} | {r.label for t in L.TABLES for r in t.rows if r.label.isalpha()}, key=len, reverse=True))
# The words in the same order: an alternation takes the first that matches, as a loop over them would.
_VOCABULARY_AT = re.compile("|".join(map(re.escape, VOCABULARY))).match
_OPENING = set("（“‘《〔【(")
_CLOSING = set("）”’》〕】)，、。：；！？,.;:!?")


def units(text: str) -> list[str]:
    """``text`` cut where a line may break: never inside a vocabulary word, a number or ``1.``;
    closing punctuation stays with what precedes it, opening punctuation with what follows."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            j = i
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] in ".,%"):
                j += 1
            pieces.append(text[i:j])
            i = j
            continue
        if word := _VOCABULARY_AT(text, i):
            pieces.append(word.group())
            i = word.end()
        else:
            pieces.append(ch)
            i += 1
    out: list[str] = []
    glue_next = False
    for p in pieces:
        if out and (glue_next or p[0] in _CLOSING or (out[-1][-1:] == "." and out[-1][:-1].isdigit())):
            out[-1] += p
        else:
            out.append(p)
        glue_next = p[-1] in _OPENING
    return out


def wrap(text: str, capacity: float) -> tuple[str, ...]:
    """``text`` in lines of at most ``capacity`` ems, broken between units (a unit wider than a line is cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in units(paragraph):
            if line and em_width(line + unit) > capacity:
                lines.append(line)
                line = ""
            while em_width(unit) > capacity and len(unit) > 1:
                cut = max(1, _fit(unit, capacity - em_width(line)))
                while 1 < cut < len(unit) and unit[cut] in _CLOSING:
                    cut -= 1  # a line never starts with closing punctuation
                if line and cut == 1 and em_width(line + unit[:1]) > capacity:
                    lines.append(line)
                    line = ""
                    continue
                lines.append(line + unit[:cut])
                line, unit = "", unit[cut:]
            line += unit
        lines.append(line)
    return tuple(lines)


def _fit(text: str, capacity: float) -> int:
    n = 0
    while n < len(text) and em_width(text[:n + 1]) <= capacity:
        n += 1
    return n


# -- title and closing ------------------------------------------------------------------------------

TITLE_CAPACITY = TEXT_WIDTH_MM / (TITLE_PT * MM_PER_PT) - 0.5  # ems of 二号 in the text block, with a margin
_YEAR = re.compile(r"\d{4}\s*年")


def title_lines(title: str) -> tuple[str, ...]:
    """The title broken by meaning (GB/T 9704 §7.3.3): the organ on its own line(s), then the year and
    「政府信息公开工作年度报告」; never a word cut, lines as even as the words allow."""
    title = " ".join(clean(title).split())
    if em_width(title) <= TITLE_CAPACITY:
        return (title,)
    year = _YEAR.search(title)
    if year and year.start() > 0:
        head, tail = title[:year.start()].strip(), title[year.start():].strip()
        if em_width(tail) <= TITLE_CAPACITY:
            return _balanced(head) + (tail,)
    return _balanced(title)


def _balanced(text: str) -> tuple[str, ...]:
    """``text`` in as few lines as fit, the breaks chosen between units so the lines are as even as possible."""
    pieces = units(text)
    count = 1
    while True:
        best = _best_split(pieces, count)
        if best is not None:
            return best
        count += 1
        if count > len(pieces):
            return wrap(text, TITLE_CAPACITY)


def _best_split(pieces: list[str], count: int) -> tuple[str, ...] | None:
    if count == 1:
        line = "".join(pieces)
        return (line,) if em_width(line) <= TITLE_CAPACITY else None
    best, best_spread = None, None
    for cut in range(1, len(pieces)):
        first = "".join(pieces[:cut])
        if em_width(first) > TITLE_CAPACITY:
            break
        rest = _best_split(pieces[cut:], count - 1)
        if rest is None:
            continue
        lines = (first,) + rest
        widths = [em_width(x) for x in lines]
        spread = max(widths) - min(widths)
        if best_spread is None or spread < best_spread:
            best, best_spread = lines, spread
    return best


def closing_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # GB/T 9704: no leading zeros


def closing(organ: str, day: dt.date) -> Closing:
    """Organ right-spaced two characters; the date's first character two characters right of the organ's;
    when the date is the longer, the date is right-spaced two characters and the organ moves left."""
    organ = clean(organ)
    date = closing_date(day)
    organ_w, date_w = em_width(organ), em_width(date)
    if date_w <= organ_w - 2:
        organ_at = LINE_CHARS - 2 - organ_w
        date_at = organ_at + 2
    else:
        date_at = LINE_CHARS - 2 - date_w
        organ_at = date_at - 2
    return Closing(organ, date, max(0.0, organ_at), max(0.0, date_at))


# -- tables -----------------------------------------------------------------------------------------


def _em_mm(size: float) -> float:
    return size * MM_PER_PT


def _capacity(width_mm: float, size: float) -> float:
    """Ems of ``size`` that fit in a cell ``width_mm`` wide, with a small margin for the renderer's metrics."""
    return max(1.0, (width_mm - 2 * CELL_PAD_MM - 0.3) / _em_mm(size))


def column_widths(layout: L.TableLayout, texts: dict[tuple[int, int], str], size: float) -> tuple[float, ...]:
    """Column widths in mm filling the text block. Table 三's figure columns are as wide as their widest
    figure needs (a county's six- or seven-digit totals fit), the label columns share the rest."""
    rows, cols = layout.grid_size
    if layout.key == "table2":
        return (48.0, 36.0, 36.0, 36.0)
    if layout.key != "table3":
        return (TEXT_WIDTH_MM / cols,) * cols
    figure_cols = range(3, cols)
    need = {c: 11.0 for c in figure_cols}  # two characters of a wrapped header (「商业/企业」) and room
    for g in layout.grid:
        if g.role == "header" and g.colspan == 1 and g.col in need:  # 「自然人」 is never cut
            widest = max(em_width(u) for u in units(g.text))
            need[g.col] = max(need[g.col], widest * _em_mm(size) + 2 * CELL_PAD_MM + 0.5)
    for (r, c), text in texts.items():
        if c in need:
            need[c] = max(need[c], em_width(text) * _em_mm(size) + 2 * CELL_PAD_MM + 1.0)
    figures = sum(need.values())
    labels = TEXT_WIDTH_MM - figures
    if labels < 51:  # absurd figures: the labels keep their room, the figures are set smaller instead
        scale = (TEXT_WIDTH_MM - 51) / figures
        need = {c: w * scale for c, w in need.items()}
        labels = 51
    # 「三、本年度/办理结果」 on two lines when there is room; never narrower than 「本年度」 (three characters)
    first = min(21.5, max(3 * _em_mm(size) + 2 * CELL_PAD_MM + 0.4, labels - 58))
    second = min(18.0, max(17.0, labels - first - 36))  # 「（三）/不予公开」
    return (first, second, labels - first - second) + tuple(need[c] for c in figure_cols)


def _keep_rows(layout: L.TableLayout, rows: int, keep_whole: bool) -> tuple[bool, ...]:
    keep = [keep_whole] * rows
    header_rows = {c.row for c in layout.grid if c.role == "header"} | set(range(layout.header_rows))
    for r in header_rows:
        if r + 1 < rows:
            keep[r] = True  # a header never ends a page…
            if r + 1 not in header_rows and r + 2 < rows:
                keep[r + 1] = True  # …and keeps at least two data rows with it
    for c in layout.grid:
        if c.rowspan > 1 and c.role != "header" and c.rowspan <= KEEP_WHOLE_ROWS:
            for r in range(c.row, c.row + c.rowspan - 1):
                keep[r] = True
    if rows >= 2:
        keep[rows - 2] = True  # the last row never stands alone under a repeated header
    keep[rows - 1] = False
    return tuple(keep)


def build_table(report: Report, layout: L.TableLayout, options: Options = Options()) -> Table:
    figures = report.table(layout.key).resolved()
    size = TABLE_PT[layout.key]
    texts: dict[tuple[int, int], str] = {}
    for g in layout.grid:
        if g.figure is not None:
            texts[(g.row, g.col)] = format_figure(figures[g.figure])
    widths = column_widths(layout, texts, size)
    cells = []
    for g in layout.grid:
        width = sum(widths[g.col:g.col + g.colspan])
        if g.figure is not None:
            role = "derived" if layout.is_derived(*g.figure) else "figure"
            text = texts[(g.row, g.col)]
            fits = _capacity(width, size)
            cell_size = size if em_width(text) <= fits else max(MIN_FIGURE_PT, size * fits / max(em_width(text), 1))
            cells.append(Cell(g.row, g.col, text, g.rowspan, g.colspan, role, (text,), round(cell_size, 2)))
            continue
        text = g.text
        if options.fee_header_places and layout.key == "table2" and g.text == layout.column_by_key["amount"].label:
            text = L.T2_FEE_HEADER_PLACES
        left = g.role == "label" and layout.key == "table3" and (g.col == 2 or g.colspan > 1)
        cells.append(Cell(g.row, g.col, text, g.rowspan, g.colspan, g.role, wrap(text, _capacity(width, size)), size,
                          "left" if left else "center"))
    rows, cols = layout.grid_size
    keep = _keep_rows(layout, rows, keep_whole=layout.key in ("table2", "table4"))
    return Table(layout, tuple(cells), rows, cols, layout.header_rows, widths, size, keep)


# -- the document -----------------------------------------------------------------------------------


def paragraphs(text: str, style: Style = "body") -> list[Paragraph]:
    return [Paragraph(line.strip(), style) for line in clean(text).splitlines() if line.strip()]


def _review_blocks(report: Report) -> list[Block]:
    """The review copy's appendix: every comment with its author and state, every recorded change."""
    blocks: list[Block] = [Paragraph("附：审核意见和修改记录", "heading1")]
    from ..findings import describe_location, Location

    def where(location: dict) -> str:
        try:
            loc = Location(**{k: v for k, v in location.items() if k in Location.__dataclass_fields__})
            return describe_location(loc)
        except (KeyError, TypeError):
            return ""

    blocks.append(Paragraph("（一）审核意见", "heading2"))
    if not report.comments:
        blocks.append(Paragraph("无。", "body"))
    for i, c in enumerate(report.comments, start=1):
        state = "已处理" + (f"，答复：{c.reply}" if c.reply else "") if c.resolved else "未处理"
        place = where(c.location)
        blocks.append(Paragraph(clean(f"{i}. {c.author or '上级'}，{c.time:%Y}年{c.time:%m}月{c.time:%d}日 {c.time:%H:%M}"
                                      f"{('，' + place) if place else ''}：{c.text}（{state}）"), "note"))
    blocks.append(Paragraph("（二）修改记录", "heading2"))
    if not report.history:
        blocks.append(Paragraph("无。", "body"))
    for i, h in enumerate(report.history, start=1):
        blocks.append(Paragraph(clean(f"{i}. {h.time:%Y}年{h.time:%m}月{h.time:%d}日 {h.time:%H:%M}，{h.author or '审核人'}修改{h.where}："
                                      f"「{h.old}」改为「{h.new}」"), "note"))
    return blocks


def build(report: Report, options: Options = Options(), errors: int | None = None) -> Document:
    """The report as it is printed (a review copy also lists the comments and the change history)."""
    blocks: list[Block] = []
    texts = report.texts
    for part in L.PARTS:
        blocks.append(Paragraph(part.heading, "heading1"))
        if part.key == "overview":
            blocks += paragraphs(texts.get("overview", ""))
            for topic in L.TOPICS:
                body = texts.get("overview." + topic.key, "")
                if body.strip():
                    blocks.append(Paragraph(topic.heading, "heading2"))
                    blocks += paragraphs(body)
            continue
        blocks += paragraphs(texts.get(part.key, ""))
        table = L.TABLE_BY_PART.get(part.key)
        if table is not None:
            blocks.append(build_table(report, table, options))
    meta = report.meta
    if meta.sign_date is not None:
        blocks.append(closing(meta.organ, meta.sign_date))
    if options.review:
        blocks += _review_blocks(report)
    note = None
    if options.draft:
        count = len(blocking_findings(report)) if errors is None else errors
        note = "征求意见稿" + (f"（尚有 {count} 处错误未改正）" if count else "")
    title = clean(meta.display_title)
    return Document(title=title, blocks=tuple(blocks), organ=clean(meta.organ), draft_note=note,
                    title_lines=title_lines(title), review_note=REVIEW_NOTE if options.review else None)


def with_options(options: Options | None, **changes) -> Options:
    return replace(options or Options(), **changes)
