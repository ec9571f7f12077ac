"""What every importer shares: recognising headings and labels, and building a report with notes.

An importer (text, .docx, .xlsx) walks its source and tells a :class:`ReportBuilder` what it found;
the builder validates figures, remembers the totals the source printed, and records a note (a
finding of category 导入) for everything it could not read or had to assume. Nothing is guessed
silently and nothing unreadable becomes 0.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from pydantic import ValidationError

from .. import layout as L
from ..errors import ReportFileError
from ..findings import Severity
from ..model import (MAX_COUNT, MAX_SOURCE_CHARS, MAX_SOURCE_LINE_CHARS, MAX_SOURCE_LINES, ImportRecord, Level,
                     Metadata, Note, OrganKind, Report, SourceLine, SourcePlace, TABLE_CLASSES, shown)
from ..normalize import FORMULA_MARK, fold, key, label_core, parse_number

# -- headings -----------------------------------------------------------------------------------

_PART_NUMBERS = {p.number: p for p in L.PARTS}
_PART_NUMBERS.update({str(i): p for i, p in enumerate(L.PARTS, 1)})
# 一、 一． 第一部分 1. 1、 — numbering styles seen in reports typed by hand; （一） is a topic's numbering
_HEADING = re.compile(r"^[#\s]*(?:第\s*([一二三四五六])\s*部分\s*[:：、]?|([一二三四五六1-6])\s*[、.．,，])\s*(\S.*)$")


@dataclass(frozen=True)
class HeadingMatch:
    part: L.Part
    text: str  # the heading as written
    exact: bool
    score: float = 0.0  # how surely this is the heading: wording and number agreeing score highest


def _similarity(written: str, official: str, official_set: frozenset | None = None) -> float:
    if written == official:
        return 1.0
    if len(written) > len(official) + 12:
        return 0.0
    chars, official_set = set(written), official_set or frozenset(official)
    return len(chars & official_set) / max(len(official_set | chars) * 0.5 + len(official_set) * 0.5, 1)


_PART_KEYS = tuple((part, k, frozenset(k)) for part in L.PARTS for k in [key(part.heading[2:])])  # once, not per line of a long text


def heading_candidates(line: str) -> list[HeadingMatch]:
    """Every part a numbered line could be the heading of, with a score.

    The number is the usual sign; the wording decides when the number is wrong (a report that added a
    section of its own and renumbered the rest). Which candidates really are headings is decided over
    the whole document by :func:`choose_headings`, so a heading-like line out of order stays text.
    """
    folded = fold(line).strip()
    m = _HEADING.match(folded)
    if not m:
        return []
    number = _PART_NUMBERS[m.group(1) or m.group(2)]
    written = key(m.group(3))
    exact_number = line.strip().lstrip("#").strip().startswith(number.number + "、")
    out = []
    for part, official, official_set in _PART_KEYS:
        sim = _similarity(written, official, official_set)
        if part is number and (sim == 1.0 or sim >= 0.6):
            out.append(HeadingMatch(part, m.group(0).strip(), exact_number and sim == 1.0, 2.0 + sim))
        elif part is not number and sim >= 0.8:
            out.append(HeadingMatch(part, m.group(0).strip(), False, sim))
    return out


def choose_headings(candidates: Sequence[Sequence[HeadingMatch]]) -> list[HeadingMatch | None]:
    """For each line's candidates, the heading it is, taking the official order over the whole document.

    The chosen headings are the best-scoring sequence whose parts strictly increase (linear time: one
    pass keeping the best chain ending in each of the six parts).
    """
    n_parts = len(L.PARTS)
    best: list[tuple[float, int, int] | None] = [None] * n_parts  # part → (score, line, index in chain store)
    chain: list[tuple[int, HeadingMatch, int]] = []  # (line, match, previous entry or -1)
    for i, cands in enumerate(candidates):
        updates = []
        for c in cands:
            p = L.PARTS.index(c.part)
            prev = max((best[q] for q in range(p) if best[q] is not None), default=None, key=lambda b: b[0])
            score = c.score + (prev[0] if prev else 0.0)
            if best[p] is None or score > best[p][0]:
                updates.append((p, score, c, prev[2] if prev else -1))
        for p, score, c, prev in updates:
            chain.append((i, c, prev))
            best[p] = (score, i, len(chain) - 1)
    chosen: list[HeadingMatch | None] = [None] * len(candidates)
    top = max((b for b in best if b is not None), default=None, key=lambda b: b[0])
    entry = top[2] if top else -1
    while entry >= 0:
        i, c, entry = chain[entry]
        chosen[i] = c
    return chosen


def match_part_heading(line: str, after: int = -1) -> HeadingMatch | None:
    """The part heading a single line is, numbered later than part index ``after`` (no look-ahead)."""
    cands = [c for c in heading_candidates(line) if L.PARTS.index(c.part) > after and c.score >= 2.0]
    return max(cands, key=lambda c: c.score, default=None)


_TOPIC_HEADING = re.compile(r"^[#\s]*[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$")
_NUMBERED_TOPIC = re.compile(r"^[#\s]*(\d{1,2})\s*[.．、]\s*(\S.{0,19})$")  # "1. 主动公开" alone on its line
_TOPIC_KEYS = (  # the words of a sub-heading that name the topic, checked in this order
    ("on_request", ("依申请",)),
    ("proactive", ("主动公开",)),
    ("management", ("信息管理", "管理")),
    ("platform", ("平台",)),
    ("oversight", ("监督", "保障", "考核")),
)


def match_topic_heading(line: str) -> tuple[str | None, str, str] | None:
    """A （一）… sub-heading of part 一: (topic key or None, heading text, body on the same line)."""
    m = _TOPIC_HEADING.match(fold(line).strip())
    if not m:
        short = _NUMBERED_TOPIC.match(fold(line).strip())
        if short is None:
            return None
        topic = next((k for k, words in _TOPIC_KEYS if any(w in short.group(2) for w in words)), None)
        return (topic, short.group(2).strip(), "") if topic else None
    rest = m.group(2)
    heading, body = _split_heading(rest)
    topic = next((k for k, words in _TOPIC_KEYS if any(w in heading for w in words)), None)
    return topic, heading, body


def _split_heading(rest: str, limit: int = 24) -> tuple[str, str]:
    """Split "主动公开方面：2022 年，…" into its heading and the text that follows on the line."""
    m = re.match(rf"^(\S{{1,{limit}}}?)[：:。]\s*(.*)$", rest)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    m = re.match(rf"^(\S{{1,{limit}}})\s+(.*)$", rest)
    if m:
        return m.group(1), m.group(2).strip()
    if len(rest) <= limit:
        return rest.strip(), ""
    return rest[:limit], rest


# -- title and metadata -------------------------------------------------------------------------

_TITLE = re.compile(r"^[#\s]*(?P<organ>.*?)\s*(?P<year>\d{4})\s*年度?\s*(?:政府信息公开|政务公开)\S*?(?:报告|年报)\s*$")


MAX_TITLE = 200  # a title is one line of a cover page; longer lines are never tried (the pattern is not linear)


def parse_title(line: str) -> tuple[str, int] | None:
    if len(line) > MAX_TITLE:
        return None
    m = _TITLE.match(fold(line).strip())
    if not m:
        return None
    return m.group("organ").strip(), int(m.group("year"))


def infer_kind_level(organ: str) -> tuple[OrganKind, Level]:
    """The organ's kind and level as its name suggests (an importer records this as an assumption)."""
    name = re.sub(r"\s+", "", organ)
    if re.search(r"(街道办事处|街道|办事处|[乡镇](人民)?政府|[乡镇])$", name):
        return OrganKind.TOWNSHIP, Level.TOWNSHIP
    kind = OrganKind.GOVERNMENT if re.search(r"人民政府$", name) else OrganKind.DEPARTMENT
    if re.search(r"[县旗]|[^地社]区", name):
        level = Level.COUNTY
    elif re.search(r"市|州|盟", name):
        level = Level.CITY
    elif re.search(r"省|自治区", name):
        level = Level.PROVINCE
    else:
        level = Level.COUNTY
    return kind, level


# -- table rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowMatch:
    row: str
    exact: bool  # False when the label was shortened or otherwise differs from the official one


class RowMatcher:
    """Finds the official row a label means, for one table."""

    def __init__(self, table: L.TableLayout):
        self.table = table
        self._cores = sorted(((label_core(r.label), r.key) for r in table.rows), key=lambda x: -len(x[0]))

    def match(self, label: str) -> RowMatch | None:
        text = label_core(label)
        if not text:
            return None
        for core, row in self._cores:  # longest first: "其他" must not win over a longer label
            if text.endswith(core):
                return RowMatch(row, True)
        for core, row in self._cores:  # a shortened label (the 2019 wording, a truncated cell)
            if len(text) >= 4 and core.endswith(text):
                return RowMatch(row, False)
        return None

    def match_start(self, label: str) -> RowMatch | None:
        """A label cut off by a line break: the start of exactly one official label."""
        text = label_core(label)
        tail = text[-10:]
        if len(tail) < 6:
            return None
        hits = [row for core, row in self._cores if tail in core and not core.endswith(tail)]
        return RowMatch(hits[0], True) if len(hits) == 1 else None


def row_width(table: L.TableLayout, row: str) -> list[str]:
    """The columns a source prints for a row, in order (inputs and derived totals)."""
    return [c.key for c in table.columns if (row, c.key) in table.figure_positions]


LOW_CONFIDENCE = 0.8  # an OCR'd figure below this is read, and reported for checking against the page

# -- the builder --------------------------------------------------------------------------------


def _page_of(line) -> int | None:
    place = getattr(line, "place", None)
    return place[0] if place and place[0] > 0 else None


@dataclass
class ReportBuilder:
    source: str
    source_format: str
    meta: dict = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    cells: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    stated: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    seen_rows: set[tuple[str, str]] = field(default_factory=set)
    marks: dict[str, int] = field(default_factory=dict)  # 「—」「/」 cells per table
    headings: dict[str, object] = field(default_factory=dict)  # part → the source line of its heading
    row_tokens: dict[tuple[str, str], list | None] = field(default_factory=dict)
    title_line: object = None  # the source line the title was read from
    # provenance for the 导入核对 view: the source's lines as read, and where each cell was read
    source_lines: list[SourceLine] = field(default_factory=list)
    cell_places: dict[tuple[str, str, str], SourcePlace] = field(default_factory=dict)

    # -- where things are in the source ------------------------------------------------------

    def keep_source(self, lines: list) -> list:
        """Remember the source's lines (``Line`` objects, each knowing its index) for the review view; a source
        too long to keep whole keeps none, and its places then give only pages and boxes."""
        if len(lines) > MAX_SOURCE_LINES or sum(min(len(ln.text), MAX_SOURCE_LINE_CHARS) for ln in lines) > MAX_SOURCE_CHARS:
            return lines  # measured before any line is made: a hostile source costs no more than reading it
        self.source_lines = [SourceLine(text=ln.text[:MAX_SOURCE_LINE_CHARS], page=_page_of(ln)) for ln in lines]
        return lines

    def place(self, at) -> SourcePlace | None:
        """Where ``at`` (a source line, or a cell's text that knows where it was read) is in the source."""
        if at is None or isinstance(at, SourcePlace):
            return at
        page = getattr(at, "page", None)
        if page is None and getattr(at, "place", None) and at.place[0] > 0:
            page = at.place[0]  # a Line of a paged source
        line = getattr(at, "line", None)
        if line is None:
            index = getattr(at, "index", -1)
            line = index if isinstance(index, int) and index >= 0 else None
        if line is not None and line >= len(self.source_lines):
            line = None  # the lines were not kept
        box = getattr(at, "box", None) if page is not None else None
        if line is None and page is None:
            return None
        try:
            return SourcePlace(line=line, page=page, box=box)
        except ValidationError:
            # A damaged page's coordinates lie beyond any page: the figure is still found by its page.
            return SourcePlace(line=line, page=page)

    # -- notes -----------------------------------------------------------------------------

    def note(self, rule: str, severity: Severity, message: str, at=None, **location) -> None:
        self.notes.append(Note(rule=rule, severity=severity, message=message,
                               location={k: v for k, v in location.items() if v is not None}, category="导入",
                               source=self.place(at)))

    def unread(self, message: str, at=None, **location) -> None:
        self.note("IMPORT-UNREAD", Severity.WARNING, message, at, **location)

    def label_differs(self, message: str, at=None, **location) -> None:
        self.note("IMPORT-LABEL", Severity.WARNING, message, at, **location)

    def assumed(self, message: str, at=None, **location) -> None:
        self.note("IMPORT-ASSUMED", Severity.INFO, message, at, **location)

    # -- text ------------------------------------------------------------------------------

    def add_text(self, field_key: str, paragraph: str) -> None:
        paragraph = fold(paragraph).strip()
        if paragraph:
            self.texts.setdefault(field_key, []).append(paragraph)

    # -- figures ---------------------------------------------------------------------------

    def set_row(self, table: L.TableLayout, row: str, tokens: Sequence[str | None], where: str,
                derived_blank: bool = False, at=None) -> bool:
        """Store the figures printed for one row (inputs and totals, in printed order).

        ``where`` says where the row is in the source (原文第 12 行), ``at`` is its source line. A row with the
        wrong number of figures is not stored at all: which cell was lost cannot be known.
        """
        columns = row_width(table, row)
        name = table.cell_name(row, None)
        if (table.key, row) in self.seen_rows:
            first = self.row_tokens.get((table.key, row))
            if first is not None and [str(t) for t in first] != [str(t) for t in tokens]:
                # Which one is right cannot be known (a row broken by a page may show part of its figures twice).
                for col in columns:
                    self.cells.get(table.key, {}).get(row, {}).pop(col, None)
                    self.stated.get(table.key, {}).get(row, {}).pop(col, None)
                self.row_tokens[(table.key, row)] = None
                self.unread(f"{where}：{name}出现了两次，数字不同，无法确定哪一处正确，本行未导入，请对照原文填写",
                            at=at, table=table.key, row=row, part=table.part)
            return False
        if len(tokens) != len(columns):
            self.unread(f"{where}：{name}有 {len(tokens)} 个数字，应为 {len(columns)} 个；无法确定缺少或多出哪一格，"
                        f"本行未导入，请对照原文填写", at=at, table=table.key, row=row, part=table.part)
            return False
        self.seen_rows.add((table.key, row))
        self.row_tokens[(table.key, row)] = list(tokens)
        for col, token in zip(columns, tokens):
            if derived_blank and token is None and table.is_derived(row, col):
                continue  # a total the source does not print: computed, not a printed blank
            self.set_cell(table, row, col, token, where, at)
        return True

    def set_cell(self, table: L.TableLayout, row: str, col: str, token: object, where: str, at=None) -> None:
        known = getattr(token, "line", None) is not None or getattr(token, "page", None) is not None
        place = self.place(token if known else at)
        if place is not None:
            self.cell_places[(table.key, row, col)] = place
        loc = dict(part=table.part, table=table.key, row=row, column=col, at=place)
        try:
            value = token if isinstance(token, (int, Decimal)) or token is None else parse_number(str(token))
        except ValueError:
            self.note("CELL-VALUE", Severity.ERROR, f"{where}：{table.cell_name(row, col)}「{shown(token)}」不是数字，"
                      f"已按空白处理", **loc)
            return
        confidence = getattr(token, "confidence", 1.0)
        if confidence < LOW_CONFIDENCE and value is not None:
            self.assumed(f"{where}：{table.cell_name(row, col)}识别为「{token}」，但识别可信度只有 {confidence:.0%}，"
                         f"请对照原文核对", **loc)
        if token == FORMULA_MARK:
            if not table.is_derived(row, col):
                self.unread(f"{where}：{table.cell_name(row, col)}是公式，但文件中没有它的计算结果；请在 Excel 或 WPS 中"
                            f"打开并保存后再导入，或直接填写数字", **loc)
            return  # a total the program computes itself
        if value is None and isinstance(token, str) and token.strip():
            self.marks[table.key] = self.marks.get(table.key, 0) + 1
        if value is not None and (value < 0 or value > MAX_COUNT):
            # The model's bounds (0 … 10^9), checked before int() meets a figure like 1E+999999999.
            self.note("CELL-VALUE", Severity.ERROR, f"{where}：{table.cell_name(row, col)}为「{shown(token)}」，"
                      f"{'不能为负数' if value < 0 else f'超过上限 {MAX_COUNT:,}'}，已按空白处理", **loc)
            return
        if isinstance(value, Decimal) and table.kind(row, col) == "count":
            if value != value.to_integral_value() or value < 0:
                self.note("CELL-VALUE", Severity.ERROR, f"{where}：{table.cell_name(row, col)}为「{shown(token)}」，"
                          f"应为非负整数，已按空白处理", **loc)
                return
            value = int(value)
        elif isinstance(value, Decimal) and value < 0:
            self.note("CELL-VALUE", Severity.ERROR, f"{where}：{table.cell_name(row, col)}为「{shown(token)}」，"
                      f"不能为负数，已按空白处理", **loc)
            return
        if table.is_derived(row, col):
            self.stated.setdefault(table.key, {}).setdefault(row, {})[col] = value
        else:
            self.cells.setdefault(table.key, {}).setdefault(row, {})[col] = value

    # -- result ----------------------------------------------------------------------------

    def build(self) -> Report:
        meta = dict(self.meta)
        if not meta.get("year"):
            meta["year"] = dt.date.today().year - 1
            self.assumed(f"未能从原文读出报告年度，暂按 {meta['year']} 年处理，请在「基本信息」中核对", part="overview")
        for table_key, count in self.marks.items():
            # The format (section 3, CELL-VALUE) reads these marks as blank, not as 0; say so once per table.
            table = L.TABLE_BY_KEY[table_key]
            self.assumed(f"{table.name}有 {count} 个单元格写作「—」「/」等符号，已按空白读取；如表示 0，"
                         f"可用「空白单元格填 0」一次补齐", part=table.part, table=table_key)
        texts = {k: "\n".join(v) for k, v in self.texts.items()}
        places: dict[str, dict[str, dict[str, SourcePlace]]] = {}
        for (t, r, c), place in self.cell_places.items():
            places.setdefault(t, {}).setdefault(r, {})[c] = place
        try:  # the model's bounds (a part of 200,000 characters…) refuse what no report holds, in Chinese
            tables = {k: cls.model_validate(self.cells.get(k, {})) for k, cls in TABLE_CLASSES.items()}
            record = ImportRecord(source=self.source, source_format=self.source_format,
                                  imported_at=dt.datetime.now().replace(microsecond=0),
                                  stated=self.stated, notes=self.notes,
                                  source_lines=self.source_lines, cell_sources=places)
            return Report(meta=Metadata(**meta), texts=texts, imported=record, **tables)
        except ValidationError as e:
            from ..draft import describe_validation_error

            raise ReportFileError(f"「{self.source}」无法导入：{describe_validation_error(e)}") from None


