"""Sentences that state the table figures, for the narrative, so the text cannot contradict the tables.

The wording matches what the TXT-FIGURES rule reads back, so an inserted sentence never raises it.
"""

from __future__ import annotations

from . import layout as L
from .model import Report

_GROUPS = tuple((g.key, g.label[3:].split("（")[0], g.row_keys) for g in L.T3_OUTCOME_GROUPS)


def _n(value) -> int:
    return value or 0


def applications(report: Report) -> str | None:
    """Part 一 (依申请公开): received, carried over, handled by outcome, carried forward."""
    t = report.table3
    if t.is_blank():
        return None
    new, carried_in = _n(t.get("new", "total")), _n(t.get("carried_in", "total"))
    finished, carried_out = _n(t.get("total", "total")), _n(t.get("carried_out", "total"))
    natural = _n(t.get("new", "natural"))
    if new == 0 and carried_in == 0:
        return "本年度未收到政府信息公开申请，上年无结转申请。"
    who = ""
    if new and natural not in (0, new):
        who = f"（其中{L.TABLE3.column_by_key['natural'].label} {natural} 件、{L.T3_LEGAL_PERSONS} {new - natural} 件）"
    outcomes = []
    for _key, label, rows in _GROUPS:
        count = sum(_n(t.get(r, "total")) for r in rows)
        if count:
            outcomes.append(f"{label} {count} 件")
    detail = f"，其中{'、'.join(outcomes)}" if outcomes else ""
    return (f"本年度共收到政府信息公开申请 {new} 件{who}，上年结转 {carried_in} 件；办结 {finished} 件{detail}；"
            f"结转下年度继续办理 {carried_out} 件。")


def appeals(report: Report) -> str | None:
    """Part 四: reconsideration and litigation counts and outcomes."""
    t = report.table4
    if t.is_blank():
        return None
    recon = _n(t.get("reconsideration", "total"))
    direct, after = _n(t.get("litigation_direct", "total")), _n(t.get("litigation_after", "total"))
    if recon == 0 and direct + after == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    parts = []
    if recon:
        parts.append(f"被申请行政复议 {recon} 件（{_outcomes(report, 'reconsideration')}）")
    else:
        parts.append("未被申请行政复议")
    if direct + after:
        rows = L.TABLE4.row_by_key
        parts.append(f"被提起行政诉讼 {direct + after} 件（{rows['litigation_direct'].label} {direct} 件、"
                     f"{rows['litigation_after'].label} {after} 件）")
    else:
        parts.append("未被提起行政诉讼")
    return "本年度因政府信息公开工作" + "，".join(parts) + "。"


def _outcomes(report: Report, group: str) -> str:
    cols = [c for c in L.TABLE4.columns if not c.derived]
    return "、".join(f"{c.label} {_n(report.table4.get(group, c.key))} 件" for c in cols)


def documents(report: Report) -> str | None:
    """Part 一 (政府信息管理): normative documents issued, repealed and in force."""
    values = [report.table2.get("normative", c) for c in ("issued", "repealed", "in_force")]
    if None in values:
        return None
    issued, repealed, in_force = values
    label = L.TABLE2.row_by_key["normative"].label
    return f"本年度制发{label} {issued} 件，废止 {repealed} 件，现行有效{label} {in_force} 件。"


SENTENCES = {
    "overview.on_request": ("插入申请办理情况", applications),
    "overview.management": ("插入规范性文件情况", documents),
    "appeals": ("插入复议诉讼情况", appeals),
}
