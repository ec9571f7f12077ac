"""The self-check: every rule of the format's section 3, declared in one catalogue.

``check(report, previous=None)`` evaluates them all; ``Checker().check(…)`` gives the same result while a
report is being edited, re-running only the rules that read what changed. A new rule is one entry below
(with the inputs it reads) plus its tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from .. import layout as L
from ..findings import Finding, Location, Severity
from ..model import Report
from . import narrative as N
from . import tables as T
from .engine import (ALL_CELLS, ALL_TEXTS, COMMENTS, IMPORTED, TODAY, Checker as _Checker, Context, Hit, Rule, cells,
                     evaluate, meta, nothing, span, texts)

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
DEADLINE_HINT_AFTER = 365  # days after the deadline during which a late report is still reminded


def deadline(ctx: Context) -> Iterator[Hit]:
    meta = ctx.report.meta
    due = meta.effective_deadline
    days = (due - ctx.today).days
    when = f"{due.year}年{due.month}月{due.day}日"
    if days >= 0:
        yield Hit(f"距公开期限（{when}）还有 {days} 天", (span("overview", 0, 0),))
    elif -days <= DEADLINE_HINT_AFTER:
        yield Hit(f"已超过公开期限（{when}）{-days} 天", (span("overview", 0, 0),))


def _noted(rule_id: str):
    """Findings an importer recorded in the report (what it could not read or had to assume)."""
    def evaluate(ctx: Context) -> Iterator[Hit]:
        if ctx.report.imported:
            for n in ctx.report.imported.notes:
                if n.rule == rule_id:
                    f = n.as_finding()
                    yield Hit(f.message, f.locations, n.severity)
    return evaluate


def comments(ctx: Context) -> Iterator[Hit]:
    """A supervisor's open 批注: shown to the clerk until resolved."""
    for c in ctx.report.comments:
        if not c.resolved:
            loc = Location(**{k: v for k, v in c.location.items() if k in Location.__dataclass_fields__})
            yield Hit(c.message, (loc,))


T2, T3, T4 = (cells(k) for k in ("table2", "table3", "table4"))
_STOCK = cells("table2", [(r, c) for r in ("rules", "normative") for c in ("issued", "repealed", "in_force")])
_IMPORT = frozenset({IMPORTED})

RULES: tuple[Rule, ...] = (
    Rule("T3-BALANCE", E, "表三每列：第一项加第二项之和等于第三项加第四项之和", "表三表头注释（勾稽关系）", "表格",
         T.t3_balance, reads=T3 | _IMPORT),
    Rule("T3-ROWSUM", E, "表三「总计」列等于六类申请人之和（导入的文档）", "表三表头", "导入", T.t3_rowsum,
         import_only=True, reads=T3 | _IMPORT),
    Rule("T3-OUTCOMES", E, "表三「（七）总计」等于各项办理结果之和（导入的文档）", "表三「三、本年度办理结果」", "导入",
         T.t3_outcomes, import_only=True, reads=T3 | _IMPORT),
    Rule("T4-SUM", E, "表四各「总计」等于结果维持、结果纠正、其他结果、尚未审结之和（导入的文档）", "表四表头", "导入",
         T.t4_sum, import_only=True, reads=T4 | _IMPORT),
    Rule("CELL-BLANK", W, "表格中的空白单元格（没有发生的应填 0）", "格式说明：表格每格填写数字", "表格",
         T.cell_blank, reads=ALL_CELLS | _IMPORT),
    Rule("T2-FEE-PLACES", W, f"{L.TABLE2.row_by_key['fees'].label}金额超过 4 位小数", "表二第二十条第（八）项（单位：万元）", "表格",
         T.fee_places, reads=cells("table2", [("fees", "amount")])),
    Rule("T2-RULES-POWER", W, "没有规章制定权的机关填报了规章", "《立法法》规章制定权", "表格", T.rules_power,
         reads=cells("table2", [rc for rc in L.TABLE2.input_cells if rc[0] == "rules"]) | meta("level", "kind")),
    Rule("T2-VALID", I, "现行有效件数小于本年制发减本年废止", "表二第二十条第（一）项", "表格", T.stock_floor,
         reads=_STOCK),
    Rule("T3-OTHER-SHARE", I, "「其他处理·其他」占办理结果比例过大", "表三「（六）其他处理」", "表格", T.other_share,
         reads=T3),
    Rule("X-CARRY", W, "本年「上年结转」等于上年「结转下年度继续办理」", "表三第二项与上年第四项", "跨年", T.carry,
         needs_previous=True, reads=T3 | cells("table3", previous=True) | meta("year", previous=True)),
    Rule("X-VALID", W, "现行有效 = 上年现行有效 + 本年制发 − 本年废止", "表二第二十条第（一）项", "跨年",
         T.valid_carry, needs_previous=True,
         reads=_STOCK | cells("table2", previous=True) | meta("year", previous=True)),
    Rule("X-COPY", W, "文字部分与上年报告雷同", "国办公开办函〔2021〕30号「明确责任」（内容雷同）", "跨年", N.copied,
         needs_previous=True, reads=ALL_TEXTS | texts(previous=True) | meta("year", previous=True)),
    Rule("TXT-MISSING", E, "缺少某一部分的内容或表格", "《条例》第五十条；年度报告格式六个部分", "文字", N.missing,
         reads=ALL_CELLS | ALL_TEXTS | _IMPORT),
    Rule("TXT-OVERVIEW", W, "总体情况未覆盖五个方面，或人民政府未报告考核、评议、追究结果", "年度报告格式第一部分；《条例》第五十条",
         "文字", N.overview, reads=texts("overview") | meta("kind", "organ")),
    Rule("TXT-FEE", W, "第六部分未说明信息处理费收取情况", "《政府信息公开信息处理费管理办法》；年度报告格式第六部分", "文字",
         N.fee_statement, reads=frozenset({"text:other"})),
    Rule("TXT-PROBLEMS", I, "第五部分只写问题未写措施，或只写措施未写问题", "《条例》第五十条第四项", "文字", N.problems,
         reads=frozenset({"text:problems"})),
    Rule("TXT-NUMBERING", I, "文字中的序号重复或不连续", "公文层次序数", "文字", nothing, per_field=N.numbering,
         reads=ALL_TEXTS),
    Rule("TXT-YEAR", W, "标题、统计期限或正文年份与报告年度不符", "统计期限为报告年度1月1日至12月31日", "文字", N.title_year,
         per_field=N.year, reads=ALL_TEXTS | meta("title", "year")),
    Rule("TXT-FIGURES", W, "正文中的数字与表格不符", "表格与正文一致", "文字", nothing, per_field=N.figures,
         reads=ALL_TEXTS | ALL_CELLS),
    Rule("TXT-PLACEHOLDER", E, "正文中残留模板占位内容", "报告应完整、准确", "文字", nothing,
         per_field=N.placeholder, reads=ALL_TEXTS),
    Rule("CELL-VALUE", E, "负数、小数或非数字的数字（「/」「—」按空白读取）", "表格数字为非负整数", "导入",
         _noted("CELL-VALUE"), import_only=True, reads=_IMPORT),
    Rule("IMPORT-LABEL", W, "标题或表格标签与官方格式不一致，或为 2019 年旧格式", "国办公开办函〔2021〕30号", "导入",
         _noted("IMPORT-LABEL"), import_only=True, reads=_IMPORT),
    Rule("IMPORT-UNREAD", W, "导入时无法读取的内容", "导入", "导入", _noted("IMPORT-UNREAD"), import_only=True,
         reads=_IMPORT),
    Rule("IMPORT-ASSUMED", I, "导入时推定的信息，请核对", "导入", "导入", _noted("IMPORT-ASSUMED"), import_only=True,
         reads=_IMPORT),
    Rule("REVIEW-COMMENT", W, "上级审核意见（批注），处理后标记为已处理", "审核", "批注", comments,
         reads=frozenset({COMMENTS})),
    Rule("META-DEADLINE", I, "距公开期限的天数", "《条例》第四十九条", "期限", deadline,
         reads=meta("kind", "year", "deadline") | {TODAY}),
)
RULE_BY_ID = {r.id: r for r in RULES}
# Rules whose every hit is 提示 (none sets another severity): a count of 错误 and 警告 need not run them.
ADVICE_ONLY = frozenset({"T2-VALID", "T3-OTHER-SHARE", "TXT-PROBLEMS", "TXT-NUMBERING", "META-DEADLINE"})
_SERIOUS = tuple(r for r in RULES if r.id not in ADVICE_ONLY)


def check(report: Report, previous: Report | None = None, today: dt.date | None = None) -> list[Finding]:
    """Every finding for ``report``, errors first; ``previous`` is last year's report if attached."""
    ctx = Context(report, previous, today or dt.date.today())
    return evaluate(RULES, ctx)


def check_serious(report: Report, today: dt.date | None = None) -> list[Finding]:
    """The 错误 and 警告 of ``check(report)`` (its 提示 may be missing): what a compile counts of a unit."""
    return evaluate(_SERIOUS, Context(report, None, today or dt.date.today()))


class Checker(_Checker):
    """The self-check of a report being edited: ``Checker().check(report, previous)`` equals ``check(…)``."""

    def __init__(self) -> None:
        super().__init__(RULES)


__all__ = ["RULES", "RULE_BY_ID", "ADVICE_ONLY", "check", "check_serious", "Checker", "Context", "Rule", "Hit"]
