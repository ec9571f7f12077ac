"""Edits as core operations: planned, validated first, applied and reverted without Qt."""

from __future__ import annotations

import pytest

from core import operations as ops
from core import files
from core.rules import check
from tests.factories import filled_report, sample


def test_editing_an_import_releases_the_printed_totals_of_its_rows_and_columns():
    report = files.read_report(sample("001"))
    edit = ops.set_cells(report, [("table3", "not_processed.complaint", "natural", 0),
                                  ("table3", "carried_out", "natural", 1)])
    changes = edit.apply(report)
    assert changes.cells == {"table3": {("not_processed.complaint", "natural"), ("carried_out", "natural")}}
    assert not [f for f in check(report, None) if "原文为" in f.message]
    stated = report.imported.stated["table3"]
    assert "natural" not in stated["total"] and "not_processed.complaint" not in stated
    assert stated["not_processed.excessive"] == {"total": 1}
    edit.revert(report)
    assert report.imported.stated["table3"]["total"]["natural"] == 16


def test_a_bad_figure_changes_nothing():
    report = filled_report()
    before = report.model_dump()
    with pytest.raises(ValueError, match="表三"):
        ops.set_cells(report, [("table3", "granted", "natural", 3), ("table3", "granted", "business", "2.5")])
    assert report.model_dump() == before
