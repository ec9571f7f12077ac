"""Rules on the narrative parts: presence, required content, years, numbering, figures, copying.

Every text analysis here is a pure function of the text (and the report year), cached, so a keystroke
in one part re-reads only that part. The patterns are written to find real cases in published reports
without firing on the ordinary wording of a clean report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from .. import layout as L
from ..findings import Severity
from .engine import Context, Hit, cell, span

_SENTENCE = r"[^。；;！？\n]"


def _fields(ctx: Context, part: str | None = None) -> Iterator[tuple[str, str]]:
    for f in L.TEXT_FIELDS:
        if part is None or f.part == part:
            text = ctx.report.texts.get(f.key, "")
            if text.strip():
                yield f.key, text


def _label(field_key: str) -> str:
    return L.TEXT_FIELD_BY_KEY[field_key].label


def _quote(text: str, start: int, end: int, limit: int = 30) -> str:
    s = text[start:end].strip()
    return s if len(s) <= limit else s[:limit] + "…"


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


def overview(ctx: Context) -> Iterator[Hit]:
    texts = dict(_fields(ctx, "overview"))
    if not texts:
        return  # TXT-MISSING already says the part is empty
    whole = "\n".join(texts.values())
    for topic in L.TOPICS:
        key = "overview." + topic.key
        if key not in texts and not any(k in whole for k in topic.keywords):
            yield Hit(f"第一部分没有写到「{topic.label}」方面的情况（格式要求总体情况围绕主动公开、依申请公开、"
                      f"政府信息管理、政府信息公开平台建设、监督保障五个方面）", (span(key, 0, 0),))
    meta = ctx.report.meta
    if not meta.is_peoples_government:
        return
    absent = [w for w, alts in _RESULT_WORDS.items() if w not in whole and not any(a in whole for a in alts)]
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
    if text.strip() and not any(w in text for w in _FEE_WORDS):
        yield Hit(f"第六部分没有说明信息处理费的收取情况（现为「{_quote(text, 0, len(text))}」）；"
                  f"未收取也应写明，如「本年度未收取信息处理费」", (span("other", 0, len(text)),))


# -- TXT-PROBLEMS -----------------------------------------------------------------------------

_PROBLEM_WORDS = ("问题", "不足", "短板", "差距", "薄弱", "有待", "不够", "欠缺", "不到位", "不平衡", "滞后")
_MEASURE_WORDS = ("改进", "措施", "下一步", "今后", "整改", "加强", "提升", "推进", "完善", "强化", "将")


def problems(ctx: Context) -> Iterator[Hit]:
    text = ctx.report.text("problems")
    if not text.strip():
        return
    has_problem = any(w in text for w in _PROBLEM_WORDS)
    has_measure = any(w in text for w in _MEASURE_WORDS)
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
    # (name for messages, pattern; group 1 is the number)
    ("“一是、二是”", re.compile(rf"(?:^|(?<=[。；;，,：:\s]))({_CN})是")),
    ("“一、二、”", re.compile(rf"(?m)^[ \t\u3000#]*({_CN})、")),
    ("“（一）（二）”", re.compile(rf"(?m)^[ \t\u3000#]*[（(]({_CN})[)）]")),
    ("“1. 2.”", re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})[.．、](?!\d)")),
)


@lru_cache(maxsize=512)
def _numbering_issues(text: str) -> tuple[tuple[int, int, str], ...]:
    issues = []
    for name, pattern in _ENUMERATIONS:
        prev = 0
        for m in pattern.finditer(text):
            n = _cn_number(m.group(1))
            if n is None:
                continue
            if n == 1:
                prev = 1
                continue
            if prev and n == prev:
                issues.append((m.start(1), m.end(), f"{name}编号重复：出现两次「{m.group(0).strip()}」"))
            elif prev and n > prev + 1:
                issues.append((m.start(1), m.end(), f"{name}编号不连续：「{m.group(0).strip()}」之前缺少第 "
                               f"{prev + 1} 项"))
            elif not prev and n > 1:
                issues.append((m.start(1), m.end(), f"{name}编号没有从第一项开始：「{m.group(0).strip()}」"))
            prev = n
    return tuple(sorted(issues))


def numbering(ctx: Context) -> Iterator[Hit]:
    for key, text in _fields(ctx):
        for start, end, message in _numbering_issues(text):
            yield Hit(f"「{_label(key)}」中{message}", (span(key, start, end),))


# -- TXT-YEAR ---------------------------------------------------------------------------------

_STAT_PERIOD = re.compile(r"自?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|～)\s*(\d{4})\s*年\s*12\s*月"
                          r"\s*31\s*日")
# A sentence opening with "2022 年，" (or 年以来/年度，) states the year being reported on.
_OPENING_YEAR = re.compile(r"(?:^|(?<=[。！？；\n]))[ \t\u3000#]*(?:[（(][一二三四五六七八九十]+[)）]"
                           r"[^。\n：:]{0,16}[：:])?\s*(\d{4})\s*年(?:以来|度)?\s*[，,]")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")


@lru_cache(maxsize=512)
def _year_issues(text: str, year: int) -> tuple[tuple[int, int, str], ...]:
    issues = []
    for m in _STAT_PERIOD.finditer(text):
        for g in (1, 2):
            if int(m.group(g)) != year:
                issues.append((m.start(), m.end(), f"统计期限「{_quote(text, m.start(), m.end(), 40)}」"
                               f"与报告年度 {year} 年不符"))
                break
    for m in _OPENING_YEAR.finditer(text):
        y = int(m.group(1))
        if y < year:
            issues.append((m.start(1), m.end(1) + 1,
                           f"句首写「{y} 年」，但这是 {year} 年度的报告（是否沿用了上年的文字？）"))
    return tuple(issues)


def year(ctx: Context) -> Iterator[Hit]:
    meta = ctx.report.meta
    if meta.title:
        for m in _TITLE_YEAR.finditer(meta.title):
            if int(m.group(1)) != meta.year:
                yield Hit(f"标题「{meta.title}」中的年份 {m.group(1)} 与报告年度 {meta.year} 年不符",
                          (span("overview", 0, 0),))
    for key, text in _fields(ctx):
        for start, end, message in _year_issues(text, meta.year):
            yield Hit(f"「{_label(key)}」{message}", (span(key, start, end),))


# -- TXT-PLACEHOLDER --------------------------------------------------------------------------

_PLACEHOLDERS = re.compile(
    r"×{2,}|(?<![A-Za-z])X{2,}(?![A-Za-z])|(?<![A-Za-z/.])x{2,}(?=[年月日件条个次镇乡局市县区])|20[Xx×]{2}"
    r"|[〔\[［][\s]*[〕\]］]|【[^】]{0,30}】|此处填写|此处输入|待补充|待填写|请填写"
    r"|[（(](?:单位名称|机关名称|填写[^）)]{0,10}|具体[^）)]{0,6})[)）]|○{2,}"
)


@lru_cache(maxsize=512)
def _placeholders(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _PLACEHOLDERS.finditer(text))


def placeholder(ctx: Context) -> Iterator[Hit]:
    for key, text in _fields(ctx):
        for start, end in _placeholders(text):
            yield Hit(f"「{_label(key)}」中有模板未替换的内容「{text[start:end]}」", (span(key, start, end),))


# -- TXT-FIGURES ------------------------------------------------------------------------------


def _t(table: str, *cells: tuple[str, str]) -> Callable[[Context], int | None]:
    def total(ctx: Context) -> int | None:
        if table in ctx.blank_tables:
            return None
        return sum(ctx.value(table, r, c) for r, c in cells)
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

    def applies(self, text: str, start: int, end: int) -> bool:
        if not (self.needs or self.excludes):
            return True
        sentence_start = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
        stops = [i for c in "。；;\n" if (i := text.find(c, end)) >= 0]
        sentence = text[sentence_start:min(stops, default=len(text))]
        return (not self.needs or self.needs in sentence) and not (self.excludes and self.excludes in sentence)


_NORMATIVE = L.TABLE2.row_by_key["normative"].label
_APPLICATION = r"(?:政府信息公开申请|依申请公开(?:申请|事项)?|信息公开申请|公开申请|申请)"
_COUNT = r"(?:共|共计|合计|总计)?\s*(\d{1,3}(?:[,，]\d{3})+|\d+)\s*(?:件|个|起|宗|项)"
_CLAIMS = (
    Claim("收到的申请", re.compile(rf"(?:收到|受理|新收|接收)(?:了)?(?:各类)?{_APPLICATION}{_COUNT}"),
          (_new, _new_and_carried), "table3"),
    Claim("办结的申请", re.compile(rf"(?:已?办结|办理完毕|已?答复)(?:了)?{_APPLICATION}?{_COUNT}"),
          (_finished,), "table3"),
    Claim("结转下年度的申请", re.compile(rf"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?{_APPLICATION}?{_COUNT}"),
          (_carried_out,), "table3"),
    Claim("上年结转的申请", re.compile(rf"上一?年度?(?:结转|转结)(?:的)?{_APPLICATION}?{_COUNT}"),
          (_carried_in,), "table3"),
    Claim("行政复议", re.compile(rf"行政复议(?:案件|申请)?{_COUNT}"), (_reconsideration,), "table4"),
    Claim("行政诉讼", re.compile(rf"行政诉讼(?:案件)?{_COUNT}"), (_litigation,), "table4"),
    Claim("制发的" + _NORMATIVE,
          re.compile(rf"(?:制发|印发|出台|制定|发布)(?:了)?(?:行政)?规范性文件{_COUNT}"),
          (_t("table2", ("normative", "issued")),), "table2"),
    Claim("废止的" + _NORMATIVE, re.compile(rf"废止(?:了)?(?:行政)?(?:规范性文件)?{_COUNT}"),
          (_t("table2", ("normative", "repealed")),), "table2", needs="规范性文件", excludes="规章"),
    Claim("现行有效的" + _NORMATIVE, re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件{_COUNT}"),
          (_t("table2", ("normative", "in_force")),), "table2"),
    Claim("行政许可决定", re.compile(rf"行政许可(?:决定)?{_COUNT}"), (_t("table2", ("licensing", "decisions")),),
          "table2"),
    Claim("行政处罚决定", re.compile(rf"行政处罚(?:决定)?{_COUNT}"), (_t("table2", ("penalty", "decisions")),),
          "table2"),
    Claim("行政强制决定", re.compile(rf"行政强制(?:决定|措施)?{_COUNT}"), (_t("table2", ("enforcement", "decisions")),),
          "table2"),
)
# Statements that there were none.
_NONE_APPLICATIONS = re.compile(rf"(?:未|没有)(?:收到|受理|发生){_SENTENCE}{{0,8}}?{_APPLICATION}"
                                rf"|无(?:政府信息公开|依申请公开)申请")
_NONE_APPEALS = re.compile(r"(?:未|没有)(?:发生|收到|产生|出现|涉及|被申请|被提起|有)[^，,。；;！？\n]{0,16}?"
                           r"(?:行政复议|行政诉讼)(?:[、和及与或]行政诉讼)?"
                           r"|无[^，,。；;！？\n]{0,6}?(?:行政复议|行政诉讼)(?:[、和及与或]行政诉讼)?")


@lru_cache(maxsize=512)
def _claims(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """(claim index, number, start, end) for every figure the text states."""
    found = []
    for i, claim in enumerate(_CLAIMS):
        for m in claim.pattern.finditer(text):
            digits = re.sub(r"[,，]", "", m.group(1))
            if len(digits) <= 12:  # a longer run of digits states no count (and int() refuses 4,300+)
                found.append((i, int(digits), m.start(), m.end()))
    return tuple(found)


def figures(ctx: Context) -> Iterator[Hit]:
    for key, text in _fields(ctx):
        for index, number, start, end in _claims(text):
            claim = _CLAIMS[index]
            if not claim.applies(text, start, end):
                continue
            values = [f(ctx) for f in claim.accepted]
            if None in values or number in values:
                continue
            table = L.TABLE_BY_KEY[claim.table].name
            yield Hit(f"「{_label(key)}」写「{_quote(text, start, end)}」，但{table}中{claim.what}为 {values[0]} 件",
                      (span(key, start, end),))
        yield from _none_claims(ctx, key, text)


def _none_claims(ctx: Context, key: str, text: str) -> Iterator[Hit]:
    received = _new_and_carried(ctx)
    if received:
        for m in _NONE_APPLICATIONS.finditer(text):
            yield Hit(f"「{_label(key)}」写「{_quote(text, m.start(), m.end())}」，但表三新收和上年结转的申请共 "
                      f"{received} 件", (span(key, m.start(), m.end()),))
    for m in _NONE_APPEALS.finditer(text):
        phrase = m.group(0)
        for word, total in (("行政复议", _reconsideration(ctx)), ("行政诉讼", _litigation(ctx))):
            if word in phrase and total:
                yield Hit(f"「{_label(key)}」写「{_quote(text, m.start(), m.end())}」，但表四中{word}共 {total} 件",
                          (span(key, m.start(), m.end()),))


# -- X-COPY -----------------------------------------------------------------------------------

COPY_THRESHOLD = 0.8
COPY_MIN_CHARS = 100
_SHINGLE = 4
_IGNORED = re.compile(r"[\s\d０-９，。、；：,.;:（）()“”\"'《》]")


@lru_cache(maxsize=256)
def _shingles(text: str) -> frozenset[str]:
    t = _IGNORED.sub("", text)  # years and figures change every year; the prose is what is copied
    return frozenset(t[i:i + _SHINGLE] for i in range(len(t) - _SHINGLE + 1))


def copied(ctx: Context) -> Iterator[Hit]:
    if ctx.previous is None:
        return
    for part in L.PARTS:
        now = ctx.report.part_text(part.key)
        before = ctx.previous.part_text(part.key)
        if len(now) < COPY_MIN_CHARS or len(before) < COPY_MIN_CHARS:
            continue
        a, b = _shingles(now), _shingles(before)
        if not a:
            continue
        share = len(a & b) / len(a)
        if share >= COPY_THRESHOLD:
            first = next(k for k, _ in _fields(ctx, part.key))
            yield Hit(f"{part.short}「{part.heading}」与 {ctx.previous.meta.year} 年报告的相应部分有 "
                      f"{round(share * 100)}% 的内容相同（内容雷同是问责情形），请按本年度实际情况撰写",
                      (span(first, 0, len(ctx.report.text(first))),))
