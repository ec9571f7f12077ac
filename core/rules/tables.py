"""Rules on the figures of tables 二, 三 and 四, and across years."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from .. import layout as L
from ..model import Level, OrganKind
from .engine import Context, Hit, cell


def _fmt(v) -> str:
    return "空白" if v is None else str(v)


# -- identities declared as data --------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Σ lhs rows = Σ rhs rows in each listed column: the note printed in table 三's corner."""

    table: L.TableLayout
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    columns: tuple[str, ...]

    def hits(self, ctx: Context) -> Iterator[Hit]:
        t = self.table
        if t.key in ctx.blank_tables:
            return
        for col in self.columns:
            left = [(r, ctx.value(t.key, r, col)) for r in self.lhs]
            right = [(r, ctx.value(t.key, r, col)) for r in self.rhs]
            a, b = sum(v for _, v in left), sum(v for _, v in right)
            if a != b:
                yield Hit(self._message(col, left, a, right, b), self._locations(col))

    def _message(self, col, left, a, right, b) -> str:
        def side(terms):
            return " + ".join(f"{self.table.row_by_key[r].short} {v}" for r, v in terms)
        return (f"{self.table.column_by_key[col].label}列：{side(left)} = {a}，{side(right)} = {b}，"
                f"相差 {abs(a - b)}（勾稽关系：第一项加第二项之和应等于第三项加第四项之和）")

    def _locations(self, col):
        return (cell(self.table, None, col),) + tuple(cell(self.table, r, col) for r in self.lhs + self.rhs)


T3_BALANCE = Balance(L.TABLE3, ("new", "carried_in"), ("total", "carried_out"), L.T3_APPLICANT_COLUMNS)


def t3_balance(ctx: Context) -> Iterator[Hit]:
    yield from T3_BALANCE.hits(ctx)
    # With derived totals the 总计 column balances whenever its six columns do; a document made
    # elsewhere prints its own 总计, which is checked as printed.
    stated = ctx.stated.get("table3", {})
    terms = {r: stated.get(r, {}).get("total") for r in T3_BALANCE.lhs + T3_BALANCE.rhs}
    if None not in terms.values():
        left = [(r, terms[r]) for r in T3_BALANCE.lhs]
        right = [(r, terms[r]) for r in T3_BALANCE.rhs]
        a, b = sum(v for _, v in left), sum(v for _, v in right)
        if a != b:
            yield Hit("（原文所列）" + T3_BALANCE._message("total", left, a, right, b),
                      T3_BALANCE._locations("total"))


# -- totals printed by a document made elsewhere (import) --------------------------------------


def _stated_mismatches(ctx: Context, table: L.TableLayout, derived_rows: bool) -> Iterator[Hit]:
    stated = ctx.stated.get(table.key, {})
    figures = ctx.figures[table.key]
    for row_key, cols in stated.items():
        for col_key, printed in cols.items():
            if printed is None or (row_key, col_key) not in figures:
                continue
            r, c = table.row_by_key[row_key], table.column_by_key[col_key]
            if derived_rows:
                if not r.derived:
                    continue
                computed = sum(figures[(p, col_key)] or 0 for p in r.derived_from)
            else:
                if not c.derived or r.derived:
                    continue
                computed = sum(figures[(row_key, p)] or 0 for p in c.derived_from)
            if printed != computed:
                what = (f"「{c.label}」列各项办理结果之和" if derived_rows
                        else f"{table.cell_name(row_key, None)}各栏之和")
                yield Hit(f"{table.cell_name(row_key, col_key)}原文为 {printed}，但{what}为 {computed}，"
                          f"相差 {abs(printed - computed)}", (cell(table, row_key, col_key),))


def t3_rowsum(ctx: Context) -> Iterator[Hit]:
    yield from _stated_mismatches(ctx, L.TABLE3, derived_rows=False)


def t3_outcomes(ctx: Context) -> Iterator[Hit]:
    yield from _stated_mismatches(ctx, L.TABLE3, derived_rows=True)


def t4_sum(ctx: Context) -> Iterator[Hit]:
    yield from _stated_mismatches(ctx, L.TABLE4, derived_rows=False)


# -- cells ------------------------------------------------------------------------------------


def cell_blank(ctx: Context) -> Iterator[Hit]:
    unreadable = set()
    if ctx.report.imported:
        unreadable = {(n.location.get("table"), n.location.get("row"), n.location.get("column"))
                      for n in ctx.report.imported.notes if n.rule == "CELL-VALUE"}
    for table in ctx.report.tables():
        layout = table.layout
        if layout.key in ctx.blank_tables:
            continue  # a table left out entirely is TXT-MISSING, not 150 blank cells
        for r, c in table.blank_cells():
            if (layout.key, r, c) in unreadable:
                continue
            yield Hit(f"{layout.cell_name(r, c)}为空白；公开的表格每格都应填写数字，没有发生的请填 0",
                      (cell(layout, r, c),))


def fee_places(ctx: Context) -> Iterator[Hit]:
    amount = ctx.report.table2.get("fees", "amount")
    if isinstance(amount, Decimal) and -amount.as_tuple().exponent > L.FEE_PLACES:
        places = -amount.as_tuple().exponent
        yield Hit(f"{L.TABLE2.row_by_key['fees'].label}金额 {amount} 万元有 {places} 位小数，多数省份要求保留 {L.FEE_PLACES} 位小数"
                  f"（1 元 = 0.0001 万元）；已按原值保存，请核实",
                  (cell(L.TABLE2, "fees", "amount"),))


def rules_power(ctx: Context) -> Iterator[Hit]:
    meta = ctx.report.meta
    if meta.level not in (Level.COUNTY, Level.TOWNSHIP) and meta.kind is not OrganKind.TOWNSHIP:
        return
    cols = [c for (r, c) in L.TABLE2.input_cells if r == "rules"]
    figures = {c: ctx.report.table2.get("rules", c) for c in cols}
    if any(v for v in figures.values()):
        listed = "，".join(f"{L.TABLE2.column_by_key[c].label} {_fmt(v)}" for c, v in figures.items())
        yield Hit(f"表二「规章」行填有数字（{listed}），但{meta.level.value}级机关没有规章制定权，"
                  f"请核实是否应填在「{L.TABLE2.row_by_key['normative'].label}」行",
                  tuple(cell(L.TABLE2, "rules", c) for c in cols if figures[c]))


def _stock_terms(ctx_figs, row):
    return (ctx_figs.get((row, "issued")), ctx_figs.get((row, "repealed")), ctx_figs.get((row, "in_force")))


def stock_floor(ctx: Context) -> Iterator[Hit]:
    figs = ctx.figures["table2"]
    for row in ("rules", "normative"):
        issued, repealed, in_force = _stock_terms(figs, row)
        if None in (issued, repealed, in_force):
            continue
        if in_force < issued - repealed:
            label = L.TABLE2.row_by_key[row].label
            yield Hit(f"{label}：现行有效件数 {in_force} 小于本年制发 {issued} − 本年废止 {repealed} = "
                      f"{issued - repealed}，请核实", (cell(L.TABLE2, row, "in_force"),))


OTHER_SHARE = Decimal("0.3")
OTHER_SHARE_MIN = 3


def other_share(ctx: Context) -> Iterator[Hit]:
    other = ctx.value("table3", "other.other", "total")
    total = ctx.value("table3", "total", "total")
    if other >= OTHER_SHARE_MIN and total and Decimal(other) / total > OTHER_SHARE:
        pct = round(Decimal(other) * 100 / total)
        yield Hit(f"「（六）其他处理 3.其他」共 {other} 件，占全部办理结果 {total} 件的 {pct}%；"
                  f"评估时会关注是否归类准确，请尽量归入具体情形",
                  (cell(L.TABLE3, "other.other", "total"),))


# -- across years -----------------------------------------------------------------------------


def carry(ctx: Context) -> Iterator[Hit]:
    if ctx.previous is None or ctx.previous.table3.is_blank() or "table3" in ctx.blank_tables:
        return
    prev = ctx.previous_figures["table3"]
    cur = ctx.figures["table3"]
    year = ctx.previous.meta.year
    for col in L.T3_APPLICANT_COLUMNS:
        last, now = prev[("carried_out", col)], cur[("carried_in", col)]
        if last is not None and now is not None and last != now:
            label = L.TABLE3.column_by_key[col].label
            yield Hit(f"{label}列：本年「上年结转」为 {now}，但 {year} 年报告「结转下年度继续办理」为 {last}",
                      (cell(L.TABLE3, "carried_in", col),))


def valid_carry(ctx: Context) -> Iterator[Hit]:
    if ctx.previous is None:
        return
    prev = ctx.previous_figures["table2"]
    cur = ctx.figures["table2"]
    year = ctx.previous.meta.year
    for row in ("rules", "normative"):
        issued, repealed, in_force = _stock_terms(cur, row)
        last = prev.get((row, "in_force"))
        if None in (issued, repealed, in_force, last):
            continue
        expected = last + issued - repealed
        if in_force != expected:
            label = L.TABLE2.row_by_key[row].label
            yield Hit(f"{label}：现行有效 {in_force} 件，但按 {year} 年现行有效 {last} + 本年制发 {issued} − "
                      f"本年废止 {repealed} 应为 {expected} 件；如有失效、清理等情况请说明",
                      (cell(L.TABLE2, row, "in_force"),))
