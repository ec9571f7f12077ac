"""Reports for tests and benchmarks: one complete, consistent report, and hypothesis strategies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import strategies as st

from core import layout as L
from core.model import Level, Metadata, OrganKind, Report

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = DATA / "samples"
FAR_FROM_DEADLINE = dt.date(2035, 6, 1)  # META-DEADLINE stays silent this long after the deadline


def sample(prefix: str) -> Path:
    return next(SAMPLES.glob(prefix + "_*.txt"))


TEXTS = {
    "overview": "本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自 2025 年 1 月 1 日起至 "
                "2025 年 12 月 31 日止。2025 年，我局坚持以公开为常态、不公开为例外，扎实推进政务公开工作。",
    "overview.proactive": "全年通过政府网站主动公开政府信息 356 条，其中政策解读 24 篇，及时发布交通建设、道路运输等重点领域信息。",
    "overview.on_request": "全年共收到政府信息公开申请 18 件，上年结转 1 件，办结 18 件，结转下年度继续办理 1 件。",
    "overview.management": "制发行政规范性文件 3 件，废止 1 件，现行有效行政规范性文件 25 件，严格落实发布审查制度。",
    "overview.platform": "优化政府网站信息公开专栏，规范政务新媒体管理，确保信息发布及时准确。",
    "overview.oversight": "将政务公开纳入年度工作考核，组织业务培训 2 次，未发生责任追究情况。",
    "problems": "存在的主要问题：一是政策解读形式较为单一；二是依申请公开答复规范化水平有待提高。"
                "改进措施：一是丰富图解、视频等解读形式；二是加强业务培训，规范答复文书。",
    "other": "本年度未收取信息处理费。认真落实上级年度政务公开工作要点，及时公开人大代表建议和政协提案办理结果。",
}

# A balanced table 三: 自然人 16 new + 1 carried = 16 outcomes + 1 carried out; 法律服务机构 2 + 0 = 2 + 0.
TABLE3 = {
    "new": {"natural": 16, "legal_services": 2},
    "carried_in": {"natural": 1},
    "granted": {"natural": 10, "legal_services": 2},
    "partial": {"natural": 2},
    "withheld.third_party": {"natural": 1},
    "unable.not_held": {"natural": 1},
    "not_processed.complaint": {"natural": 1},
    "not_processed.repeat": {"natural": 1},
    "carried_out": {"natural": 1},
}


def filled_report() -> Report:
    """A complete 2025 report of a county department that passes every rule."""
    report = Report(meta=Metadata(organ="某某县交通运输局", kind=OrganKind.DEPARTMENT, level=Level.COUNTY, year=2025),
                    texts=TEXTS)
    t2 = report.table2
    for row, values in {"rules": (0, 0, 0), "normative": (3, 1, 25)}.items():
        for col, v in zip(("issued", "repealed", "in_force"), values):
            t2.set(row, col, v)
    t2.set("licensing", "decisions", 120)
    t2.set("penalty", "decisions", 35)
    t2.set("enforcement", "decisions", 2)
    t2.set("fees", "amount", "0")
    report.table3.fill_blanks()
    for row, cols in TABLE3.items():
        for col, v in cols.items():
            report.table3.set(row, col, v)
    report.table4.fill_blanks()
    report.table4.set("reconsideration", "upheld", 1)
    report.table4.set("litigation_direct", "upheld", 1)
    return report


def county_scale(report: Report, digits: int = 7, seed: int = 0) -> Report:
    """``report`` with the figures of a county or city: every table 三 count of 1 … ``digits`` digits (the
    widest in the 总计 column), 表二 and 表四 as wide; balanced, so it still passes the rules."""
    import random

    rng = random.Random(seed)
    r = report.model_copy(deep=True, update={"imported": None})  # the totals printed in the source go
    top = 10 ** digits // 8
    for col in ("natural", "business", "research", "nonprofit", "legal_services", "other_org"):
        outcomes = {row: rng.randrange(top // 40, top // 8) for row in ("granted", "partial", "unable.not_held",
                                                                        "withheld.third_party", "other.other")}
        carried_out = rng.randrange(0, top // 20)
        carried_in = rng.randrange(0, top // 20)
        for row in list(r.table3.root):
            if row not in ("new", "carried_in", "carried_out", "total") and r.table3.layout.is_derived(row, col) is False:
                r.table3.set(row, col, outcomes.get(row, 0))
        r.table3.set("carried_in", col, carried_in)
        r.table3.set("carried_out", col, carried_out)
        r.table3.set("new", col, sum(outcomes.values()) + carried_out - carried_in)
    for row in ("rules", "normative"):
        issued, repealed = rng.randrange(10 ** (digits - 3), 10 ** (digits - 2)), rng.randrange(0, 10 ** (digits - 3))
        r.table2.set(row, "issued", issued)
        r.table2.set(row, "repealed", repealed)
        r.table2.set(row, "in_force", issued * 3)
    for row in ("licensing", "penalty", "enforcement"):
        r.table2.set(row, "decisions", rng.randrange(10 ** (digits - 1), 10 ** digits))
    for row in ("reconsideration", "litigation_direct", "litigation_after"):
        for col in ("upheld", "corrected", "other", "pending"):
            r.table4.set(row, col, rng.randrange(0, 10 ** max(1, digits - 3)))
    return r


# -- hypothesis strategies --------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=100_000)
maybe_counts = st.one_of(st.none(), counts)
amounts = st.decimals(min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False, places=6)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@st.composite
def table_values(draw, layout: L.TableLayout, blanks: bool = True):
    values = {}
    for r, c in layout.input_cells:
        if layout.kind(r, c) == "money":
            v = draw(st.one_of(st.none(), amounts) if blanks else amounts)
        else:
            v = draw(maybe_counts if blanks else counts)
        values.setdefault(r, {})[c] = v
    return values


@st.composite
def balanced_table3(draw, max_figure: int = 500):
    """Table 三 inputs where every applicant column satisfies 一 + 二 = 三（七） + 四."""
    values: dict[str, dict[str, int]] = {}
    for col in L.T3_APPLICANT_COLUMNS:
        outcomes = {r: draw(st.integers(0, max_figure)) for r in L.T3_OUTCOME_ROWS}
        carried_out = draw(st.integers(0, max_figure))
        workload = sum(outcomes.values()) + carried_out
        carried_in = draw(st.integers(0, workload))
        for r, v in outcomes.items():
            values.setdefault(r, {})[col] = v
        values.setdefault("carried_out", {})[col] = carried_out
        values.setdefault("carried_in", {})[col] = carried_in
        values.setdefault("new", {})[col] = workload - carried_in
    return values


@st.composite
def reports(draw):
    meta = Metadata(
        organ=draw(texts.filter(lambda s: len(s) <= 200)),
        kind=draw(st.sampled_from(list(OrganKind))),
        level=draw(st.sampled_from(list(Level))),
        year=draw(st.integers(2008, 2100)),
        compiler=draw(texts),
        contact=draw(texts),
        title=draw(st.one_of(st.none(), texts)),
        deadline=draw(st.one_of(st.none(), st.dates(dt.date(2009, 1, 1), dt.date(2100, 12, 31)))),
        sign_date=draw(st.one_of(st.none(), st.dates(dt.date(2009, 1, 1), dt.date(2100, 12, 31)))),
    )
    report = Report(
        meta=meta,
        texts={f.key: draw(texts) for f in L.TEXT_FIELDS},
        table2=draw(table_values(L.TABLE2)),
        table3=draw(table_values(L.TABLE3)),
        table4=draw(table_values(L.TABLE4)),
        explanations=draw(st.dictionaries(st.text(min_size=1, max_size=40), texts, max_size=3)),
    )
    return report




def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """Run `nianbao ARGS…` in-process: exit status, stdout, stderr."""
    from core.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err
