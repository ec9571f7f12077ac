"""Rules on the narrative parts: presence, required content, years, numbering, figures, copying.

Every text analysis here is a pure function of one paragraph (a line of a field), cached by paragraph,
and a field's result is put together from its paragraphs' — so a keystroke re-examines one paragraph,
and a field that did not change costs a cache look-up. No pattern crosses a line break, and none may
take more than linear time on any input (possessive quantifiers where two runs of spaces meet, no
pattern that can start anywhere inside a run of spaces). The patterns are written to find real cases in
published reports without firing on the ordinary wording of a clean report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from typing import Callable, Iterator

from .. import layout as L
from ..findings import Severity
from .engine import Context, Hit, cell, span

_SENTENCE = r"[^。；;！？\n]"
PARAGRAPH_CACHE = 16384  # paragraphs remembered per analysis: a 200,000-character report and last year's
# Versions of a field remembered per analysis: every field of this year's and last year's report, a few times
# over. Every keystroke makes a new version, and a version holds its field's marks: keeping hundreds of them
# costs memory and collector time, and an old version is cheap to rebuild from its paragraphs.
FIELD_CACHE = 64


def _has_text(text: str) -> bool:
    return bool(text) and not text.isspace()  # no copy of the text, unlike text.strip()


def _fields(ctx: Context, part: str | None = None) -> Iterator[tuple[str, str]]:
    for f in L.TEXT_FIELDS:
        if part is None or f.part == part:
            text = ctx.report.texts.get(f.key, "")
            if _has_text(text):
                yield f.key, text


def _label(field_key: str) -> str:
    return L.TEXT_FIELD_BY_KEY[field_key].label


_NOT_SPACE = re.compile(r"\S")


def _quote(text: str, start: int, end: int, limit: int = 30) -> str:
    """text[start:end] stripped, cut to ``limit`` characters; it never copies more than the quote."""
    first = _NOT_SPACE.search(text, start, end)
    if first is None:
        return ""
    a = first.start()
    if _NOT_SPACE.search(text, a + limit, end) is None:  # only spaces after the limit: the quote is whole
        return text[a:min(a + limit, end)].rstrip()
    return text[a:a + limit] + "…"


@lru_cache(maxsize=FIELD_CACHE)
def _split(text: str) -> tuple[list[str], list[int]]:
    """The lines of a field and the offset of each: the unit every analysis below caches (two lists, not a
    pair per line: a keystroke makes a new version of the field)."""
    lines = text.split("\n")
    return lines, list(accumulate([len(line) + 1 for line in lines], initial=0))


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line of a field."""
    lines, offsets = _split(text)
    return zip(offsets, lines)


def _marked(text: str, analyse: Callable[[str], tuple]) -> Iterator[tuple[int, tuple]]:
    """(offset, marks) for every paragraph where ``analyse`` (cached per paragraph) found something."""
    lines, offsets = _split(text)
    for offset, line in zip(offsets, lines):
        if line and (marks := analyse(line)):
            yield offset, marks


def _spans(text: str, analyse: Callable[[str], tuple]) -> tuple:
    """``analyse`` over every paragraph, its (start, end, …) made field offsets."""
    return tuple((m[0] + offset, m[1] + offset) + m[2:] for offset, marks in _marked(text, analyse) for m in marks)


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _words_in_line(line: str, words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if w in line)


@lru_cache(maxsize=FIELD_CACHE)
def _words_in(text: str, words: tuple[str, ...]) -> frozenset[str]:
    """Which of ``words`` occur in ``text`` (none contains a line break, so the lines tell)."""
    found: set[str] = set()
    for _, line in _paragraphs(text):
        found |= _words_in_line(line, words)
    return frozenset(found)


# -- TXT-MISSING ------------------------------------------------------------------------------


def _unreadable_tables(ctx: Context) -> set[str]:
    """Tables an importer found in the source but could not read (it said where, as an 导入 warning)."""
    notes = ctx.report.imported.notes if ctx.report.imported else []
    return {n.location.get("table") for n in notes if n.rule == "IMPORT-UNREAD" and n.location.get("table")}


def missing(ctx: Context) -> Iterator[Hit]:
    unreadable = _unreadable_tables(ctx)
    for part in L.PARTS:
        table = L.TABLE_BY_PART.get(part.key)
        if table is not None:
            if table.key in ctx.blank_tables and table.key not in unreadable:
                yield Hit(f"缺少{part.short}「{part.heading}」的表格（{table.name}所有单元格均为空白）",
                          (cell(table, None, None),))
            continue
        if not any(True for _ in _fields(ctx, part.key)):
            first = next(f.key for f in L.TEXT_FIELDS if f.part == part.key and f.required)
            yield Hit(f"缺少{part.short}「{part.heading}」的内容", (span(first, 0, 0),))


# -- TXT-OVERVIEW -----------------------------------------------------------------------------

_RESULT_WORDS = {"工作考核": ("考核",), "社会评议": ("评议",), "责任追究": ("追究", "问责")}
_OVERVIEW_WORDS = tuple(dict.fromkeys([k for t in L.TOPICS for k in t.keywords]
                                      + [w for w, alts in _RESULT_WORDS.items() for w in (w, *alts)]))


def overview(ctx: Context) -> Iterator[Hit]:
    texts = dict(_fields(ctx, "overview"))
    if not texts:
        return  # TXT-MISSING already says the part is empty
    present = frozenset().union(*(_words_in(t, _OVERVIEW_WORDS) for t in texts.values()))
    for topic in L.TOPICS:
        key = "overview." + topic.key
        if key not in texts and not any(k in present for k in topic.keywords):
            yield Hit(f"第一部分没有写到「{topic.label}」方面的情况（格式要求总体情况围绕主动公开、依申请公开、"
                      f"政府信息管理、政府信息公开平台建设、监督保障五个方面）", (span(key, 0, 0),))
    meta = ctx.report.meta
    if not meta.is_peoples_government:
        return
    absent = [w for w, alts in _RESULT_WORDS.items() if w not in present and not any(a in present for a in alts)]
    if absent:
        street = "，街道办事处参照执行" if meta.is_street_office else ""
        yield Hit(f"第一部分没有写到{'、'.join(absent)}结果情况；《条例》第五十条要求各级人民政府报告工作考核、"
                  f"社会评议和责任追究结果情况（通常写在「监督保障」中{street}）",
                  (span("overview.oversight", 0, 0),),
                  Severity.INFO if meta.is_street_office else None)


# -- TXT-FEE ----------------------------------------------------------------------------------

_FEE_WORDS = ("信息处理费", "处理费", "收费")


def fee_statement(ctx: Context) -> Iterator[Hit]:
    text = ctx.report.text("other")
    if _has_text(text) and not _words_in(text, _FEE_WORDS):
        yield Hit(f"第六部分没有说明信息处理费的收取情况（现为「{_quote(text, 0, len(text))}」）；"
                  f"未收取也应写明，如「本年度未收取信息处理费」", (span("other", 0, len(text)),))


# -- TXT-PROBLEMS -----------------------------------------------------------------------------

_PROBLEM_WORDS = ("问题", "不足", "短板", "差距", "薄弱", "有待", "不够", "欠缺", "不到位", "不平衡", "滞后")
_MEASURE_WORDS = ("改进", "措施", "下一步", "今后", "整改", "加强", "提升", "推进", "完善", "强化", "将")


def problems(ctx: Context) -> Iterator[Hit]:
    text = ctx.report.text("problems")
    if not _has_text(text):
        return
    has_problem = bool(_words_in(text, _PROBLEM_WORDS))
    has_measure = bool(_words_in(text, _MEASURE_WORDS))
    if has_problem and not has_measure:
        yield Hit("第五部分写了存在的问题，但没有写改进措施", (span("problems", 0, len(text)),))
    elif has_measure and not has_problem:
        yield Hit("第五部分写了改进措施，但没有写存在的主要问题", (span("problems", 0, len(text)),))


# -- TXT-NUMBERING ----------------------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}


def _cn_number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1], 0) if len(s) == 2 else None
    if len(s) in (2, 3) and s[1] == "十":
        tens = _CN_DIGITS.get(s[0])
        unit = _CN_DIGITS.get(s[2], 0) if len(s) == 3 else 0
        return None if tens is None else tens * 10 + unit
    return None


_CN = "[一二三四五六七八九十]{1,3}"
_ENUMERATIONS = (
    # (name for messages, pattern over one line — group 1 is the number —, and for a mark that may stand
    # inside a line, what may come before it besides a space: checked after the match, because a look-behind
    # that starts the pattern makes it try every position of the line)
    ("“一是、二是”", re.compile(rf"({_CN})是"), "。；;，,：:"),
    ("“一、二、”", re.compile(rf"^[ \t\u3000#]*+({_CN})、"), None),
    ("“（一）（二）”", re.compile(rf"^[ \t\u3000#]*+[（(]({_CN})[)）]"), None),
    ("“1. 2.”", re.compile(r"^[ \t\u3000]*+(\d{1,2})[.．、](?!\d)"), None),
)


def _enumeration_marks(line: str) -> tuple[tuple[int, int, int, int, str], ...]:
    """(start of the number, end, enumeration, number, the mark as written) in one line."""
    marks = []
    for kind, (_, pattern, after) in enumerate(_ENUMERATIONS):
        for m in pattern.finditer(line):
            if after is not None and (at := m.start()) and not (line[at - 1] in after or line[at - 1].isspace()):
                continue  # no mark can start inside this run of numerals, so none is skipped
            n = _cn_number(m.group(1))
            if n is not None:
                marks.append((m.start(1), m.end(), kind, n, m.group(0).strip()))
    return tuple(marks)


def _numbering_issue(kind: int, last: int, n: int, mark: str) -> str | None:
    """What is wrong with number ``n`` of an enumeration whose previous number was ``last`` (0: none yet)."""
    name = _ENUMERATIONS[kind][0]
    if n == 1:
        return None
    if last and n == last:
        return f"{name}编号重复：出现两次「{mark}」"
    if last and n > last + 1:
        return f"{name}编号不连续：「{mark}」之前缺少第 {last + 1} 项"
    if not last and n > 1:
        return f"{name}编号没有从第一项开始：「{mark}」"
    return None


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _enumeration_runs(line: str) -> tuple[tuple[int, tuple[int, int, int, str], tuple, int], ...]:
    """Each enumeration's marks in one line, as (enumeration, its first mark, the issues of the marks after
    it, the last number): only the first mark's issue depends on the paragraphs before."""
    runs = []
    by_kind: dict[int, list] = {}
    for start, end, kind, n, mark in _enumeration_marks(line):
        by_kind.setdefault(kind, []).append((start, end, n, mark))
    for kind, marks in by_kind.items():
        inner = []
        for (_, _, last, _), (start, end, n, mark) in zip(marks, marks[1:]):
            if message := _numbering_issue(kind, last, n, mark):
                inner.append((start, end, message))
        runs.append((kind, marks[0], tuple(inner), marks[-1][2]))
    return tuple(runs)


@lru_cache(maxsize=FIELD_CACHE)
def _numbering_issues(text: str) -> tuple[tuple[int, int, str], ...]:
    issues = []
    prev = [0] * len(_ENUMERATIONS)  # each enumeration's last number, along the whole field
    for offset, runs in _marked(text, _enumeration_runs):
        for kind, (start, end, n, mark), inner, last in runs:
            if message := _numbering_issue(kind, prev[kind], n, mark):
                issues.append((start + offset, end + offset, message))
            issues += [(a + offset, b + offset, m) for a, b, m in inner]
            prev[kind] = last
    return tuple(sorted(issues))


def numbering(ctx: Context, key: str, text: str) -> Iterator[Hit]:
    for start, end, message in _numbering_issues(text):
        yield Hit(f"「{_label(key)}」中{message}", (span(key, start, end),))


# -- TXT-YEAR ---------------------------------------------------------------------------------

# A look-ahead at a pattern's possible first characters lets the search skip along the line instead of trying
# the whole pattern at every position: two to eight times faster on a long paragraph.
_STAT_PERIOD = re.compile(r"(?=[自\d])(?:自\s*+)?(\d{4})\s*+年\s*+1\s*+月\s*+1\s*+日\s*+(?:起)?\s*+(?:至|到|—|-|～)\s*+(\d{4})"
                          r"\s*+年\s*+12\s*+月\s*+31\s*+日")
# A sentence opening with "2022 年，" (or 年以来/年度，) states the year being reported on.
# Tried where a line or a sentence starts (see _opening_years).
_OPENING_YEAR = re.compile(r"[ \t\u3000#]*+(?:[（(][一二三四五六七八九十]+[)）]"
                           r"[^。\n：:]{0,16}[：:])?\s*+(\d{4})\s*+年(?:以来|度)?\s*+[，,]")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _year_marks(line: str) -> tuple[tuple[int, int, int, int, int], ...]:
    """(start, end, 0 for a statistical period, first year, last year) and (start, end, 1, year, year)
    for a sentence opening with a year, in one line."""
    marks = [(m.start(), m.end(), 0, int(m.group(1)), int(m.group(2)))
             for m in (_STAT_PERIOD.finditer(line) if "31" in line else ())]
    marks += [(m.start(1), m.end(1) + 1, 1, int(m.group(1)), int(m.group(1))) for m in _opening_years(line)]
    return tuple(marks)


_SENTENCE_START = re.compile("[。！？；]")


def _opening_years(line: str) -> Iterator[re.Match]:
    """What ``finditer`` of _OPENING_YEAR behind ``(?:^|(?<=[。！？；]))`` finds, trying only where a sentence
    starts."""
    if "年" not in line:
        return
    end = 0
    for start in chain((0,), (m.end() for m in _SENTENCE_START.finditer(line))):
        if start >= end and (m := _OPENING_YEAR.match(line, start)):
            yield m
            end = m.end()


@lru_cache(maxsize=FIELD_CACHE)
def _year_issues(text: str, year: int) -> tuple[tuple[int, int, str], ...]:
    issues = []
    marks = _spans(text, _year_marks)
    for start, end, kind, first, last in marks:
        if kind == 0 and (first != year or last != year):
            issues.append((start, end, f"统计期限「{_quote(text, start, end, 40)}」与报告年度 {year} 年不符"))
    for start, end, kind, y, _ in marks:
        if kind == 1 and y < year:
            issues.append((start, end, f"句首写「{y} 年」，但这是 {year} 年度的报告（是否沿用了上年的文字？）"))
    return tuple(issues)


def title_year(ctx: Context) -> Iterator[Hit]:
    meta = ctx.report.meta
    if meta.title:
        for m in _TITLE_YEAR.finditer(meta.title):
            if int(m.group(1)) != meta.year:
                yield Hit(f"标题「{meta.title}」中的年份 {m.group(1)} 与报告年度 {meta.year} 年不符",
                          (span("overview", 0, 0),))


def year(ctx: Context, key: str, text: str) -> Iterator[Hit]:
    for start, end, message in _year_issues(text, ctx.report.meta.year):
        yield Hit(f"「{_label(key)}」{message}", (span(key, start, end),))


# -- TXT-PLACEHOLDER --------------------------------------------------------------------------

_PLACEHOLDERS = re.compile(
    r"(?=[×Xx2〔\[［【此待请（(○])(?:×{2,}|(?<![A-Za-z])X{2,}(?![A-Za-z])|(?<![A-Za-z/.])x{2,}(?=[年月日件条个次镇乡局市县区])|20[Xx×]{2}"
    r"|[〔\[［]\s*+[〕\]］]|【[^】]{0,30}】|此处填写|此处输入|待补充|待填写|请填写"
    r"|[（(](?:单位名称|机关名称|填写[^）)]{0,10}|具体[^）)]{0,6})[)）]|○{2,})"
)


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _placeholder_marks(line: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _PLACEHOLDERS.finditer(line))


@lru_cache(maxsize=FIELD_CACHE)
def _placeholders(text: str) -> tuple[tuple[int, int], ...]:
    return _spans(text, _placeholder_marks)


def placeholder(ctx: Context, key: str, text: str) -> Iterator[Hit]:
    for start, end in _placeholders(text):
        yield Hit(f"「{_label(key)}」中有模板未替换的内容「{text[start:end]}」", (span(key, start, end),))


# -- TXT-FIGURES ------------------------------------------------------------------------------


def _t(table: str, *cells: tuple[str, str]) -> Callable[[Context], int | None]:
    def compute(ctx: Context) -> int | None:
        if table in ctx.blank_tables:
            return None
        return sum(ctx.value(table, r, c) for r, c in cells)

    def total(ctx: Context) -> int | None:
        return ctx.once(compute)  # asked for by every claim of every field: summed once per check
    return total


_new = _t("table3", ("new", "total"))
_new_and_carried = _t("table3", ("new", "total"), ("carried_in", "total"))
_finished = _t("table3", ("total", "total"))
_carried_in = _t("table3", ("carried_in", "total"))
_carried_out = _t("table3", ("carried_out", "total"))
_reconsideration = _t("table4", ("reconsideration", "total"))
_litigation = _t("table4", ("litigation_direct", "total"), ("litigation_after", "total"))


@dataclass(frozen=True)
class Claim:
    """A way the narrative states a figure, and the table figures that would make it true."""

    what: str
    pattern: re.Pattern
    accepted: tuple[Callable[[Context], int | None], ...]
    table: str
    needs: str = ""  # a word the sentence must contain for the claim to be about this figure
    excludes: str = ""  # a word that makes the sentence about something else
    # Every match holds one of these words (and a digit): a line without them is not searched.
    words: tuple[str, ...] = ()

    def applies(self, sentences: "_Sentences", position: int) -> bool:
        """Whether the sentence holding ``position`` has the word needed and not the word excluded."""
        return ((not self.needs or sentences.has(self.needs, position))
                and not (self.excludes and sentences.has(self.excludes, position)))


_NORMATIVE = L.TABLE2.row_by_key["normative"].label
_APPLICATION = r"(?:政府信息公开申请|依申请公开(?:申请|事项)?|信息公开申请|公开申请|申请)"
_COUNT = r"(?:共|共计|合计|总计)?\s*+(\d{1,3}(?:[,，]\d{3})+|\d+)\s*+(?:件|个|起|宗|项)"
COUNT_DIGITS = 12  # a longer number in the text is not a count of cases: it is not compared
_CLAIMS = (
    Claim("收到的申请", re.compile(rf"(?:收到|受理|新收|接收)(?:了)?(?:各类)?{_APPLICATION}{_COUNT}"),
          (_new, _new_and_carried), "table3", words=("收到", "受理", "新收", "接收")),
    Claim("办结的申请", re.compile(rf"(?:已办结|办结|办理完毕|已答复|答复)(?:了)?{_APPLICATION}?{_COUNT}"),
          (_finished,), "table3", words=("办结", "办理完毕", "答复")),
    Claim("结转下年度的申请", re.compile(rf"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?{_APPLICATION}?{_COUNT}"),
          (_carried_out,), "table3", words=("结转",)),
    Claim("上年结转的申请", re.compile(rf"上一?年度?(?:结转|转结)(?:的)?{_APPLICATION}?{_COUNT}"),
          (_carried_in,), "table3", words=("结转", "转结")),
    Claim("行政复议", re.compile(rf"行政复议(?:案件|申请)?{_COUNT}"), (_reconsideration,), "table4", words=("行政复议",)),
    Claim("行政诉讼", re.compile(rf"行政诉讼(?:案件)?{_COUNT}"), (_litigation,), "table4", words=("行政诉讼",)),
    Claim("制发的" + _NORMATIVE,
          re.compile(rf"(?:制发|印发|出台|制定|发布)(?:了)?(?:行政)?规范性文件{_COUNT}"),
          (_t("table2", ("normative", "issued")),), "table2", words=("规范性文件",)),
    Claim("废止的" + _NORMATIVE, re.compile(rf"废止(?:了)?(?:行政)?(?:规范性文件)?{_COUNT}"),
          (_t("table2", ("normative", "repealed")),), "table2", needs="规范性文件", excludes="规章",
          words=("废止",)),
    Claim("现行有效的" + _NORMATIVE, re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件{_COUNT}"),
          (_t("table2", ("normative", "in_force")),), "table2", words=("现行有效",)),
    Claim("行政许可决定", re.compile(rf"行政许可(?:决定)?{_COUNT}"), (_t("table2", ("licensing", "decisions")),),
          "table2", words=("行政许可",)),
    Claim("行政处罚决定", re.compile(rf"行政处罚(?:决定)?{_COUNT}"), (_t("table2", ("penalty", "decisions")),),
          "table2", words=("行政处罚",)),
    Claim("行政强制决定", re.compile(rf"行政强制(?:决定|措施)?{_COUNT}"), (_t("table2", ("enforcement", "decisions")),),
          "table2", words=("行政强制",)),
)
# Statements that there were none.
_NONE_APPLICATIONS = re.compile(rf"(?:未|没有)(?:收到|受理|发生){_SENTENCE}{{0,8}}?{_APPLICATION}"
                                rf"|无(?:政府信息公开|依申请公开)申请")
_NONE_APPEALS = re.compile(r"(?:未|没有)(?:发生|收到|产生|出现|涉及|被申请|被提起|有)[^，,。；;！？\n]{0,16}?"
                           r"(?:行政复议|行政诉讼)(?:[、和及与或]行政诉讼)?"
                           r"|无[^，,。；;！？\n]{0,6}?(?:行政复议|行政诉讼)(?:[、和及与或]行政诉讼)?")
_NONE_WORDS = {_NONE_APPLICATIONS: ("申请",), _NONE_APPEALS: ("行政复议", "行政诉讼")}  # as Claim.words
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile("[。；;]")
NONE_APPLICATIONS, NONE_RECONSIDERATION, NONE_LITIGATION = -1, -2, -3  # kinds of "there were none"


class _Sentences:
    """Which sentences of one line hold a word, answered without copying or rescanning a sentence."""

    def __init__(self, line: str):
        self.line = line
        self.stops = [m.start() for m in _SENTENCE_END.finditer(line)]
        self.found: dict[str, list[int]] = {}

    def has(self, word: str, position: int) -> bool:
        """Whether the sentence holding ``position`` contains ``word``."""
        i = bisect.bisect_right(self.stops, position)
        start = self.stops[i - 1] + 1 if i else 0
        end = self.stops[i] if i < len(self.stops) else len(self.line)
        if word not in self.found:
            self.found[word] = [m.start() for m in re.finditer(re.escape(word), self.line)]
        at = self.found[word]
        j = bisect.bisect_left(at, start)
        return j < len(at) and at[j] + len(word) <= end


_WORDS = sorted({w for c in _CLAIMS for w in c.words} | {w for ws in _NONE_WORDS.values() for w in ws},
                key=lambda w: (-len(w), w))
_WORD_FINDER = re.compile("|".join(map(re.escape, _WORDS)))
_WITH_PREFIXES = {w: frozenset(v for v in _WORDS if w.startswith(v)) for w in _WORDS}


def _words_present(line: str) -> set[str]:
    """Which of the claims' words occur in ``line``, found at C speed (testing them one by one costs a
    Python call each). Each search starts just after the last word found, so overlapping words are found too;
    at one position the longest word is found, and any other word there is a prefix of it."""
    present: set[str] = set()
    m = _WORD_FINDER.search(line)
    while m:
        present |= _WITH_PREFIXES[m.group()]
        m = _WORD_FINDER.search(line, m.start() + 1)
    return present


def _none_matches(pattern: re.Pattern, present: set[str], line: str) -> Iterator[re.Match]:
    return iter(()) if present.isdisjoint(_NONE_WORDS[pattern]) else pattern.finditer(line)


def _figure_marks(line: str) -> tuple[tuple[int, int, int, int], ...]:
    """(start, end, claim index, number) for every figure one line states about the tables, and
    (start, end, NONE_…, 0) for every statement that there were none."""
    found = []
    sentences = None
    present = _words_present(line)
    if not present:
        return ()
    counts = _DIGIT.search(line) is not None
    for i, claim in enumerate(_CLAIMS):
        if not counts or present.isdisjoint(claim.words):
            continue
        for m in claim.pattern.finditer(line):
            digits = re.sub(r"[,，]", "", m.group(1))
            if len(digits) > COUNT_DIGITS:
                continue
            if claim.needs or claim.excludes:
                sentences = sentences or _Sentences(line)
                if not claim.applies(sentences, m.start()):
                    continue
            found.append((m.start(), m.end(), i, int(digits)))
    appeals = set()
    for m in _none_matches(_NONE_APPEALS, present, line):
        appeals.add(m.start())
        for kind, word in ((NONE_RECONSIDERATION, "行政复议"), (NONE_LITIGATION, "行政诉讼")):
            if word in m.group(0):
                found.append((m.start(), m.end(), kind, 0))
    for m in _none_matches(_NONE_APPLICATIONS, present, line):
        # 「未发生因依申请公开引发的行政复议」 says there was no appeal, nothing about how many applications
        if m.start() not in appeals:
            found.append((m.start(), m.end(), NONE_APPLICATIONS, 0))
    return tuple(found)


# The order the rule reports a field's marks in: claims by claim, then the statements that there were no
# applications, then those that there was no appeal; within each, along the field.
_NONE_APPLICATIONS_GROUP, _NONE_APPEALS_GROUP = len(_CLAIMS), len(_CLAIMS) + 1


def _group(mark: tuple[int, int, int, int]) -> int:
    index = mark[2]
    return index if index >= 0 else _NONE_APPLICATIONS_GROUP if index == NONE_APPLICATIONS else _NONE_APPEALS_GROUP


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _figure_groups(line: str) -> tuple[tuple[int, tuple[int, int, int, int]], ...]:
    """(group, mark) for the marks of one line, in the order the rule reports them."""
    marks = _figure_marks(line)
    return tuple((_group(m), m) for m in sorted(marks, key=lambda m: (_group(m), m[0], -m[2])))


@lru_cache(maxsize=FIELD_CACHE)
def _claims(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """The marks of every line of a field, in the order the rule reports them (see ``_group``)."""
    groups: list[list] = [[] for _ in range(_NONE_APPEALS_GROUP + 1)]
    for offset, marks in _marked(text, _figure_groups):
        for group, (start, end, index, number) in marks:
            groups[group].append((start + offset, end + offset, index, number))
    return tuple(m for g in groups for m in g)


def figures(ctx: Context, key: str, text: str) -> Iterator[Hit]:
    accepted: dict[int, list] = {}  # the table figures each claim would need, computed once per field
    for start, end, index, number in _claims(text):
        if index < 0:
            yield from _none_claim(ctx, key, text, start, end, index)
            continue
        claim = _CLAIMS[index]
        if (values := accepted.get(index)) is None:
            values = accepted[index] = [f(ctx) for f in claim.accepted]
        if None in values or number in values:
            continue
        table = L.TABLE_BY_KEY[claim.table].name
        yield Hit(f"「{_label(key)}」写「{_quote(text, start, end)}」，但{table}中{claim.what}为 {values[0]} 件",
                  (span(key, start, end),))


def _none_claim(ctx: Context, key: str, text: str, start: int, end: int, kind: int) -> Iterator[Hit]:
    if kind == NONE_APPLICATIONS:
        received = _new_and_carried(ctx)
        if received:
            yield Hit(f"「{_label(key)}」写「{_quote(text, start, end)}」，但表三新收和上年结转的申请共 "
                      f"{received} 件", (span(key, start, end),))
        return
    word, total = (("行政复议", _reconsideration(ctx)) if kind == NONE_RECONSIDERATION
                   else ("行政诉讼", _litigation(ctx)))
    if total:
        yield Hit(f"「{_label(key)}」写「{_quote(text, start, end)}」，但表四中{word}共 {total} 件",
                  (span(key, start, end),))


# -- X-COPY -----------------------------------------------------------------------------------

COPY_THRESHOLD = 0.8
COPY_MIN_CHARS = 100
_SHINGLE = 4
_IGNORED = re.compile(r"[\s\d０-９，。、；：,.;:（）()“”\"'《》]")


def _pieces(t: str) -> frozenset[str]:
    return frozenset([t[i:i + _SHINGLE] for i in range(len(t) - _SHINGLE + 1)])


def _shingles(line: str) -> frozenset[str]:
    """The four-character pieces of one line's prose; years and figures change every year and are left out."""
    return _pieces(_IGNORED.sub("", line))


@lru_cache(maxsize=FIELD_CACHE)
def _prose(part_texts: tuple[str, ...]) -> frozenset[str]:
    """Last year's shingles of one part: one set the current lines are compared with."""
    return frozenset().union(*(_shingles(line) for t in part_texts for _, line in _paragraphs(t)))


_CLAUSE_END = re.compile("[，。；]")  # all ignored: a line's prose is its clauses' prose joined


# A long clause's pieces are cached in blocks of this many starting characters: typing forward re-examines
# the block typed in and the few after it, not the whole clause.
_BLOCK = 64


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _block_pieces(block: str) -> frozenset[str]:
    return _pieces(block)


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _clause_shingles(clause: str) -> tuple[str, frozenset[str]]:
    """One clause's prose and its four-character pieces."""
    t = _IGNORED.sub("", clause)
    reach = _BLOCK + _SHINGLE - 1  # a block's text: its starting characters and the three after them
    if len(t) <= reach:
        return t, _pieces(t)
    return t, frozenset().union(*(_block_pieces(t[i:i + reach]) for i in range(0, len(t) - _SHINGLE + 1, _BLOCK)))


def _line_shingles(line: str) -> set[str]:
    """``_shingles(line)``, put together from its clauses' (cached): a keystroke re-examines one clause, and
    the pieces that cross from one clause into the next are taken from the three characters either side."""
    out: set[str] = set()
    tail = ""  # the last characters of the prose so far
    for clause in _CLAUSE_END.split(line):
        t, pieces = _clause_shingles(clause)
        if not t:
            continue
        out |= pieces
        if tail:
            joint = tail + t[:_SHINGLE - 1]
            out.update(joint[i:i + _SHINGLE] for i in range(len(joint) - _SHINGLE + 1))
        tail = (tail + t)[-(_SHINGLE - 1):]
    return out


@lru_cache(maxsize=PARAGRAPH_CACHE)
def _line_copied(line: str, before: frozenset[str]) -> tuple[int, int]:
    # Only the counts are kept: a line's set of pieces is a thousand objects, and each keystroke makes a new line.
    a = _line_shingles(line)
    return len(a & before), len(a)


@lru_cache(maxsize=FIELD_CACHE)
def _field_copied(text: str, before: frozenset[str]) -> tuple[int, int]:
    same = total = 0
    for _, line in _paragraphs(text):
        s, n = _line_copied(line, before)
        same, total = same + s, total + n
    return same, total


def _part_texts(report, part: str) -> tuple[str, ...]:
    return tuple(t for f in L.TEXT_FIELDS if f.part == part and (t := report.texts.get(f.key)))


def copied(ctx: Context) -> Iterator[Hit]:
    """The share of each part's prose (its lines' four-character pieces) found in last year's same part."""
    if ctx.previous is None:
        return
    for part in L.PARTS:
        now, before = _part_texts(ctx.report, part.key), _part_texts(ctx.previous, part.key)
        # The length of part_text(): the fields joined by blank lines.
        if _joined_length(now) < COPY_MIN_CHARS or _joined_length(before) < COPY_MIN_CHARS:
            continue
        prose = _prose(before)
        same = total = 0
        for text in now:
            s, n = _field_copied(text, prose)
            same, total = same + s, total + n
        if not total:
            continue
        share = same / total
        if share >= COPY_THRESHOLD:
            first = next(k for k, _ in _fields(ctx, part.key))
            yield Hit(f"{part.short}「{part.heading}」与 {ctx.previous.meta.year} 年报告的相应部分有 "
                      f"{round(share * 100)}% 的内容相同（内容雷同是问责情形），请按本年度实际情况撰写",
                      (span(first, 0, len(ctx.report.text(first))),))


def _joined_length(texts: tuple[str, ...]) -> int:
    return sum(map(len, texts)) + 2 * max(len(texts) - 1, 0)


def clear_caches() -> None:
    """Forget every cached analysis (benchmarks of the cold case, tests of a check from nothing)."""
    for value in list(globals().values()):
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()
