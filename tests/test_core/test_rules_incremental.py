"""The self-check kept between edits (``Checker``) gives exactly what a full check gives, and re-runs only
the rules that read what changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import layout as L
from core.model import Comment, ImportRecord, Level, Note, OrganKind, Report
from core.rules import RULES, Checker, check
from core.rules import narrative
from core.rules.engine import Context, evaluate
from core.findings import Severity
from tests.factories import FAR_FROM_DEADLINE, filled_report

FIELDS = [f.key for f in L.TEXT_FIELDS]
INPUTS = [(t.key, r, c) for t in L.TABLES for r, c in t.input_cells]
# Pieces of text that make the text rules fire, or stop firing, when typed somewhere.
SNIPPETS = ["一是", "二是", "四是", "（一）", "（三）", "1.", "3.", "二、", "\n", "\n\n", "。", "；", " ", "\u3000" * 3,
            "2024 年，", "2025年，", "自 2024 年 1 月 1 日至 2024 年 12 月 31 日", "收到政府信息公开申请 5 件",
            "办结 18 件", "行政复议 2 件", "废止规范性文件 4 件", "废止规章 1 件", "未收到政府信息公开申请",
            "没有发生行政复议和行政诉讼", "XX", "【待填写】", "（单位名称）", "信息处理费", "问题", "不足", "措施",
            "下一步", "考核", "评议", "问责", "主动公开", "网站", "字", "我局认真落实条例要求，扎实推进政务公开工作"]


def last_year() -> Report:
    prev = filled_report()
    prev.meta.year = 2024
    prev.texts = {k: v.replace("2025", "2024") for k, v in prev.texts.items()}
    return prev


DAYS = [FAR_FROM_DEADLINE, dt.date(2026, 1, 10), dt.date(2026, 3, 1)]
edits = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(FIELDS), st.floats(0, 1), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("delete"), st.sampled_from(FIELDS), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("field"), st.sampled_from(FIELDS), st.sampled_from(["", "  ", "last year", "twice"])),
    st.tuples(st.just("cell"), st.sampled_from(INPUTS), st.one_of(st.none(), st.integers(0, 40))),
    st.tuples(st.just("fee"), st.sampled_from([None, "0", "0.0", "1.2345", "1.23456", "3"])),
    st.tuples(st.just("blank table"), st.sampled_from([t.key for t in L.TABLES])),
    st.tuples(st.just("meta"), st.sampled_from(["year", "kind", "level", "title", "organ", "deadline"]),
              st.integers(0, 3)),
    st.tuples(st.just("previous"), st.sampled_from(["detach", "attach", "new", "edit text", "edit cell"])),
    st.tuples(st.just("import"), st.sampled_from(["note", "stated", "clear", "edit note in place"])),
    st.tuples(st.just("comment"), st.sampled_from(["add", "resolve", "edit in place"])),
    st.tuples(st.just("explain"), st.integers(0, 30), st.sampled_from(["确有原因", None])),
    st.tuples(st.just("today"), st.sampled_from(DAYS)),
)


class Session:
    """A report being edited the way the window edits it (in place), with last year's report attached."""

    def __init__(self, today: dt.date = FAR_FROM_DEADLINE):
        self.report = filled_report()
        self.previous: Report | None = last_year()
        self.today = today

    def apply(self, edit) -> None:
        kind, *args = edit
        r = self.report
        if kind == "type":
            key, where, snippet = args
            text = r.texts[key]
            at = int(where * len(text))
            r.texts[key] = text[:at] + snippet + text[at:]
        elif kind == "delete":
            key, where, n = args
            text = r.texts[key]
            at = int(where * len(text))
            r.texts[key] = text[:at] + text[at + n:]
        elif kind == "field":
            key, how = args
            r.texts[key] = {"last year": (self.previous or last_year()).texts[key],
                            "twice": r.texts[key] + "\n" + r.texts[key]}.get(how, how)
        elif kind == "cell":
            (table, row, col), value = args
            r.table(table).root[row][col] = Decimal(value) if value is not None and \
                r.table(table).layout.kind(row, col) == "money" else value
        elif kind == "fee":
            r.table2.root["fees"]["amount"] = None if args[0] is None else Decimal(args[0])
        elif kind == "blank table":
            t = r.table(args[0])
            for row, col in t.layout.input_cells:
                t.root[row][col] = None
        elif kind == "meta":
            self._meta(*args)
        elif kind == "previous":
            self._previous(args[0])
        elif kind == "import":
            self._import(args[0])
        elif kind == "comment":
            self._comment(args[0])
        elif kind == "explain":
            found = check(r, self.previous, self.today)
            if found:
                f = found[args[0] % len(found)]
                if args[1] is None:
                    r.explanations.pop(f.key, None)
                else:
                    r.explanations[f.key] = args[1]
        elif kind == "today":
            self.today = args[0]

    def _meta(self, name, i):
        m = self.report.meta
        if name == "year":
            m.year = (2024, 2025, 2026, 2023)[i]
        elif name == "kind":
            m.kind = list(OrganKind)[i]
        elif name == "level":
            m.level = list(Level)[i]
        elif name == "title":
            m.title = (None, "某某县交通运输局2024年政府信息公开工作年度报告", "年度报告", "2025年报告")[i]
        elif name == "organ":
            m.organ = ("某某县交通运输局", "某某街道办事处", "某某县人民政府", "")[i]
        else:
            m.deadline = (None, dt.date(2026, 1, 31), dt.date(2026, 6, 30), dt.date(2025, 12, 1))[i]

    def _previous(self, how):
        if how == "detach":
            self.previous = None
        elif how == "attach":
            self.previous = self.previous or last_year()
        elif how == "new":
            self.previous = last_year()
            self.previous.table3.root["carried_out"]["natural"] = 3
        elif self.previous is not None and how == "edit text":
            self.previous.texts["problems"] = self.report.texts["problems"]  # in place: copied this year
        elif self.previous is not None:
            self.previous.table2.root["normative"]["in_force"] = 7

    def _import(self, how):
        r = self.report
        if how == "clear":
            r.imported = None
            return
        if r.imported is None:
            r.imported = ImportRecord(source="导入.docx", source_format="docx")
        if how == "note":  # on a blank cell if there is one: CELL-BLANK leaves it to this note
            table, row, col = next(((t.layout.key, rc[0], rc[1]) for t in r.tables() for rc in t.blank_cells()),
                                   ("table3", "new", "natural"))
            r.imported.notes = r.imported.notes + [Note(rule="CELL-VALUE", severity=Severity.ERROR,
                                                        message="「/」无法读取", location={"table": table,
                                                        "row": row, "column": col})]
        elif how == "stated":
            r.imported.stated = {"table3": {"new": {"total": 99}, "carried_in": {"total": 1},
                                            "total": {"total": 5}, "carried_out": {"total": 1}}}
        elif r.imported.notes:
            r.imported.notes[0].message = "另一句话"  # changed in place, not replaced

    def _comment(self, how):
        r = self.report
        if how == "add":
            r.comments = r.comments + [Comment(text="请核实", location={"table": "table2", "row": "fees",
                                                                        "column": "amount"})]
        elif how == "resolve" and r.comments:
            r.comments = [c.model_copy(update={"resolved": True}) for c in r.comments]
        elif r.comments:
            r.comments[0].text = "改了意见"


def full_check(s: Session):
    """A check from nothing: no cached hit, no cached text analysis."""
    narrative.clear_caches()
    return check(s.report, s.previous, s.today)


def same(a, b) -> bool:
    return a == b and [f.explanation for f in a] == [f.explanation for f in b]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DAYS), st.lists(edits, min_size=1, max_size=25))
def test_incremental_check_equals_full_check_after_any_edits(today, sequence):
    s = Session(today)
    checker = Checker()
    assert same(checker.check(s.report, s.previous, s.today), full_check(s))
    for edit in sequence:
        s.apply(edit)
        incremental = checker.check(s.report, s.previous, s.today)
        assert same(incremental, full_check(s)), edit


def test_typing_reruns_only_the_rules_that_read_the_field():
    report, previous = filled_report(), last_year()
    checker = Checker()
    checker.check(report, previous, FAR_FROM_DEADLINE)
    assert len(checker.last_rerun) == len(RULES)
    report.texts["problems"] += "字"
    checker.check(report, previous, FAR_FROM_DEADLINE)
    assert set(checker.last_rerun) == {"X-COPY", "TXT-MISSING", "TXT-PROBLEMS", "TXT-NUMBERING", "TXT-YEAR",
                                       "TXT-FIGURES", "TXT-PLACEHOLDER"}
    report.table3.root["new"]["natural"] = 20
    checker.check(report, previous, FAR_FROM_DEADLINE)
    assert set(checker.last_rerun) == {"T3-BALANCE", "T3-ROWSUM", "T3-OUTCOMES", "CELL-BLANK", "T3-OTHER-SHARE",
                                       "X-CARRY", "TXT-MISSING", "TXT-FIGURES"}
    checker.check(report, previous, FAR_FROM_DEADLINE)
    assert checker.last_rerun == ()


def test_every_rule_declares_what_it_reads():
    assert all(rule.reads for rule in RULES)


def test_a_keystroke_re_examines_one_paragraph():
    report = filled_report()
    report.texts["problems"] = "\n".join(f"第{i}段：一是加强培训，二是完善制度，收到政府信息公开申请 {i} 件。"
                                         for i in range(300))
    checker = Checker()
    checker.check(report, None, FAR_FROM_DEADLINE)
    before = narrative._figure_groups.cache_info()
    report.texts["problems"] = report.texts["problems"].replace("第7段", "第7段字", 1)
    checker.check(report, None, FAR_FROM_DEADLINE)
    after = narrative._figure_groups.cache_info()
    assert after.misses - before.misses == 1  # the paragraph typed in; the other 299 come from the cache


# -- each declaration checked directly: an input a rule does not declare never changes its hits ---------

RICH = ("2024 年，我局收到政府信息公开申请 5 件，办结 3 件；行政复议 2 件。一是加强考核，三是评议。\n"
        "（二）问题：XX 待填写。没有发生行政诉讼。废止规范性文件 9 件。信息处理费")


def _scenarios():
    plain = filled_report()
    street = filled_report()
    street.meta.kind, street.meta.organ = OrganKind.TOWNSHIP, "某某街道办事处"
    street.texts = {k: RICH if k.startswith("overview.") else v for k, v in street.texts.items()}
    imported = filled_report()
    imported.table3.root["new"]["natural"] = None
    imported.imported = ImportRecord(stated={"table3": {"new": {"total": 9}, "carried_in": {"total": 1},
                                                        "total": {"total": 5}, "carried_out": {"total": 1}}})
    bare = Report.new("某某县人民政府", 2025, OrganKind.GOVERNMENT)
    bare.texts["problems"] = RICH
    city = filled_report()
    city.meta.level = Level.CITY
    city.table2.root["rules"]["issued"] = 2
    for report in (plain, street, imported, bare, city):
        for today in (dt.date(2026, 1, 10), FAR_FROM_DEADLINE):
            yield report, last_year(), today


def _perturbations():
    """(input key, edit of (report, previous, today) in place, returning the new today)."""
    def meta_edit(name, value):
        return lambda r, p, t: (setattr(r.meta, name, value), t)[1]
    for name, values in (("organ", ["某某街道办事处", "", "某某县人民政府"]), ("kind", list(OrganKind)),
                         ("level", list(Level)), ("year", [2024, 2026]),
                         ("title", ["某某县2024年政府信息公开工作年度报告", None]),
                         ("deadline", [dt.date(2026, 1, 20), dt.date(2025, 12, 1), None])):
        for v in values:
            yield f"meta:{name}", meta_edit(name, v)
    for f in FIELDS:
        for v in ("", RICH, "未收到政府信息公开申请。本年度收费。下一步加强"):
            yield f"text:{f}", (lambda key, v: lambda r, p, t: (r.texts.__setitem__(key, v), t)[1])(f, v)
            yield f"previous.text:{f}", (lambda key, v: lambda r, p, t: (p.texts.__setitem__(key, v), t)[1])(f, v)
    for table, row, col in INPUTS:
        money = L.TABLE_BY_KEY[table].kind(row, col) == "money"
        for v in (None, 0, 37) if not money else (None, Decimal("0.123456")):
            def edit(r, p, t, table=table, row=row, col=col, v=v):
                r.table(table).root[row][col] = v
                return t

            def edit_previous(r, p, t, table=table, row=row, col=col, v=v):
                p.table(table).root[row][col] = v
                return t
            yield f"cell:{table}:{row}:{col}", edit
            yield f"previous.cell:{table}:{row}:{col}", edit_previous
    yield "previous.meta:year", lambda r, p, t: (setattr(p.meta, "year", 2023), t)[1]

    def note(r, p, t):
        r.imported = r.imported or ImportRecord()
        for rule in ("CELL-VALUE", "IMPORT-LABEL", "IMPORT-UNREAD", "IMPORT-ASSUMED"):
            r.imported.notes.append(Note(rule=rule, severity=Severity.WARNING, message="导入提示",
                                         location={"table": "table3", "row": "new", "column": "natural"}))
        return t
    yield "imported", note
    yield "imported", lambda r, p, t: (setattr(r, "imported", None), t)[1]
    yield "comments", lambda r, p, t: (r.comments.append(Comment(text="请核实")), t)[1]
    for day in (dt.date(2026, 3, 30), dt.date(2025, 6, 1), FAR_FROM_DEADLINE):
        yield "today", lambda r, p, t, day=day: day


def _hits(rule, report, previous, today):
    return evaluate([rule], Context(report, previous, today))


def test_no_rule_reads_an_input_it_does_not_declare():
    undeclared = set()
    for base, base_previous, base_today in _scenarios():
        before = {rule.id: _hits(rule, base, base_previous, base_today) for rule in RULES}
        for key, edit in _perturbations():
            report, previous = base.model_copy(deep=True), base_previous.model_copy(deep=True)
            today = edit(report, previous, base_today)
            for rule in RULES:
                if key not in rule.reads and _hits(rule, report, previous, today) != before[rule.id]:
                    undeclared.add((rule.id, key))
    assert not undeclared


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="，。；、 1２（）年字政务公开工作", max_size=40))
def test_a_line_compared_with_last_year_clause_by_clause_is_the_line_compared_whole(line):
    # X-COPY caches a line's four-character pieces by clause; the pieces crossing a clause end must not be lost
    assert narrative._line_shingles(line) == narrative._shingles(line)


_CLAIM_PIECES = ["收到", "受理", "新收", "接收", "办结", "已", "办理完毕", "答复", "结转", "转结", "至", "下", "一", "年",
                 "度", "上", "继续办理", "的", "了", "各类", "政府信息公开", "依申请公开", "信息", "公开", "申请", "事项",
                 "行政复议", "行政诉讼", "案件", "行政", "复议", "诉讼", "制发", "印发", "规范性文件", "废止", "规章",
                 "现行有效", "行政许可", "行政处罚", "行政强制", "决定", "措施", "未", "没有", "无", "发生", "被提起",
                 "和", "共", "共计", "5", "12", "1,234", "３", " ", "件", "个", "项", "起", "，", "。"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_CLAIM_PIECES), max_size=14).map("".join))
def test_a_line_without_a_claims_words_holds_none_of_its_figures(line):
    # TXT-FIGURES searches a line for a claim only when one of the claim's words (and a digit) is in it
    for claim in narrative._CLAIMS:
        for m in claim.pattern.finditer(line):
            assert any(w in m.group(0) for w in claim.words) and narrative._DIGIT.search(m.group(0)), claim.what
    for pattern, words in narrative._NONE_WORDS.items():
        for m in pattern.finditer(line):
            assert any(w in m.group(0) for w in words)


def test_rules_said_to_only_advise_never_give_an_error_or_a_warning():
    # a compile counts a unit's 错误 and 警告 without running them
    from core.rules import ADVICE_ONLY, check_serious

    advising = [rule for rule in RULES if rule.id in ADVICE_ONLY]
    assert len(advising) == len(ADVICE_ONLY)
    for base, previous, today in _scenarios():
        for key, edit in list(_perturbations())[::3]:
            report = base.model_copy(deep=True)
            today = edit(report, previous.model_copy(deep=True), today)
            found = _hits_of(advising, report, today)
            assert all(f.severity is Severity.INFO for f in found), key
            serious = [f for f in check(report, None, today) if f.severity is not Severity.INFO]
            assert [f for f in check_serious(report, today) if f.severity is not Severity.INFO] == serious


def _hits_of(rules, report, today):
    return evaluate(rules, Context(report, None, today))
