"""Property tests: balanced tables raise no arithmetic finding; one perturbed cell names its column."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core import layout as L
from core.model import Table3
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE, balanced_table3, filled_report

ARITHMETIC = {"T3-BALANCE", "T3-ROWSUM", "T3-OUTCOMES", "T4-SUM"}
INPUTS = sorted(L.TABLE3.inputs)


@settings(max_examples=200)
@given(balanced_table3())
def test_balanced_table_has_no_arithmetic_finding(values):
    report = filled_report()
    report.table3 = Table3.model_validate(values)
    assert not [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule in ARITHMETIC]


@settings(max_examples=300)
@given(balanced_table3(), st.sampled_from(INPUTS), st.integers(1, 50), st.booleans())
def test_perturbing_one_input_cell_names_exactly_its_column(values, cell, delta, up):
    row, col = cell
    report = filled_report()
    report.table3 = Table3.model_validate(values)
    old = report.table3.get(row, col)
    if not up and old < delta:
        up = True
    report.table3.set(row, col, old + delta if up else old - delta)
    balance = [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule == "T3-BALANCE"]
    assert [(f.location.table, f.location.row, f.location.column) for f in balance] == [("table3", None, col)]
    assert f"相差 {delta}" in balance[0].message
