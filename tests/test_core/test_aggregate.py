"""汇总: sums a supervisor can check by hand, who contributed what, and every unit that needs a look."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core import draft, files
from core import layout as L
from core.aggregate import (SAME_FILE, SAME_ORGAN, Unit, collect_files, compile_files, compile_units, read_units,
                            write_breakdown_xlsx)
from core.model import OrganKind
from tests.factories import FAR_FROM_DEADLINE, SAMPLES, filled_report, reports, run_cli, sample



def unit_draft(folder: Path, organ: str, **figures) -> Path:
    """A complete unit report (filled_report) saved under the organ's name, with some cells changed."""
    report = filled_report()
    report.meta.organ = organ
    for cell, value in figures.items():
        table, row, col = cell.split("__")
        report.table(table).set(row.replace("_dot_", "."), col, value)
    return draft.save(report, folder / f"{organ}.nbdraft", backup=False)


# -- the three published samples, summed by hand ----------------------------------------------


def test_three_samples_sum_to_hand_computed_figures():
    result = compile_files([SAMPLES], organ="某某市人民政府", today=FAR_FROM_DEADLINE)
    assert len(result.included) == 3
    t2, t3, t4 = (result.summary.table(k) for k in ("table2", "table3", "table4"))
    # 表二 行政规范性文件: 000 24/0/295, 001 26/34/211, 003 0/0/0.
    assert [t2.get("normative", c) for c in ("issued", "repealed", "in_force")] == [50, 34, 506]
    assert [t2.get("rules", c) for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert t2.get("licensing", "decisions") == 0
    fee = t2.get("fees", "amount")
    assert fee == 0 and str(fee) == "0.0000"  # 万元 with 4 places, though every sample wrote 「0」
    # 表三: only 001 and 003 have figures (003 all 0); 000 has no table 三 at all.
    assert t3.get("new", "natural") == 16 and t3.get("new", "legal_services") == 2
    assert t3.get("new", "total") == 18  # derived: the 总计 column
    assert t3.get("granted", "natural") == 14 and t3.get("granted", "total") == 16
    assert t3.get("not_processed.excessive", "natural") == 1
    assert t3.get("total", "natural") == 16 and t3.get("total", "total") == 18  # derived: （七）总计
    assert t3.get("carried_out", "total") == 0
    # 表四: 001's one 未经复议直接起诉 upheld.
    assert t4.get("litigation_direct", "upheld") == 1 and t4.get("litigation_direct", "total") == 1
    assert t4.get("reconsideration", "total") == 0
    assert result.summary.meta.organ == "某某市人民政府" and result.summary.meta.kind is OrganKind.GOVERNMENT


def test_blank_cells_are_summed_as_zero_and_reported_per_unit():
    result = compile_files([SAMPLES], organ="某某市人民政府", today=FAR_FROM_DEADLINE)
    assert not result.summary.table3.blank_cells() and not result.summary.table4.blank_cells()
    blanks = {u.path.name[:3]: cells for u, cells in result.blanks}
    assert list(blanks) == ["000"]
    assert len([c for c in blanks["000"] if c[0] == "table3"]) == len(L.TABLE3.inputs)
    assert ("table4", "reconsideration", "upheld") in blanks["000"]


def test_units_with_errors_are_flagged_and_summed_unless_excluded():
    units = read_units(collect_files([SAMPLES]), FAR_FROM_DEADLINE)
    result = compile_units(units, "某某市人民政府")
    assert [u.path.name[:3] for u in result.with_errors] == ["000"]  # no tables 三 and 四
    assert result.summary.table2.get("normative", "issued") == 50
    strict = compile_units(units, "某某市人民政府", exclude_errors=True)
    assert [(u.path.name[:3], why) for u, why in strict.excluded] == [("000", "有 2 处错误")]
    assert strict.summary.table2.get("normative", "issued") == 26


def test_year_defaults_to_the_usual_year_and_other_years_are_flagged():
    result = compile_files([SAMPLES], today=FAR_FROM_DEADLINE)
    assert result.summary.meta.year == 2022
    assert [u.path.name[:3] for u in result.other_year] == ["003"]


def test_fee_is_summed_in_wan_yuan_to_four_places(tmp_path):
    unit_draft(tmp_path, "某某县财政局", table2__fees__amount="1.23456")
    unit_draft(tmp_path, "某某县教育局", table2__fees__amount="0.0001")
    result = compile_files([tmp_path], organ="某某县人民政府")
    assert str(result.summary.table2.get("fees", "amount")) == "1.2347"
    assert [c.value for c in result.breakdown("table2", "fees", "amount")] == [Decimal("1.23456"), Decimal("0.0001")]


# -- duplicates, unreadable files --------------------------------------------------------------


def test_same_file_twice_counts_once_and_is_reported(tmp_path):
    first = unit_draft(tmp_path, "某某县交通运输局")
    shutil.copy(first, tmp_path / "交通局（再次报送）.nbdraft")
    result = compile_files([tmp_path], organ="某某县人民政府")
    assert [d.reason for d in result.duplicates] == [SAME_FILE]
    assert len(result.included) == 1 and result.summary.table2.get("licensing", "decisions") == 120
    assert "只计入一次" in result.duplicates[0].describe()
    assert not result.needs_attention


def test_same_organ_in_two_files_is_flagged(tmp_path):
    unit_draft(tmp_path, "某某县交通运输局")
    second = filled_report()
    second.meta.organ = "某某县 交通运输局"  # a space does not make it another organ
    second.table2.set("licensing", "decisions", 121)
    draft.save(second, tmp_path / "修改稿.nbdraft")
    result = compile_files([tmp_path], organ="某某县人民政府")
    assert [(d.reason, len(d.units)) for d in result.duplicates] == [(SAME_ORGAN, 2)]
    assert result.needs_attention
    assert "请删去多余的一份" in result.duplicates[0].describe()


def test_unreadable_files_are_reported_in_chinese_and_the_rest_is_summed(tmp_path):
    unit_draft(tmp_path, "某某县交通运输局")
    (tmp_path / "损坏.nbdraft").write_text('{"format": "nianbao-draft", "schema": 1, "rep', encoding="utf-8")
    (tmp_path / "乱码.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "~$某某县交通运输局.docx").write_bytes(b"lock")  # Word's lock file: not a report, skipped
    result = compile_files([tmp_path, tmp_path / "说明.pptx"], organ="某某县人民政府")
    errors = {u.path.name: u.error for u in result.unreadable}
    assert set(errors) == {"损坏.nbdraft", "乱码.docx", "说明.pptx"}
    assert "已损坏" in errors["损坏.nbdraft"] and "乱码.docx" in errors["乱码.docx"]
    assert "不支持" in errors["说明.pptx"]
    assert len(result.included) == 1 and result.needs_attention


# -- the breakdown --------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reports(), min_size=1, max_size=4))
def test_breakdown_of_every_cell_adds_up_to_the_summary(units):
    units = [Unit.of(Path(f"{i}.nbdraft"), r, digest=str(i)) for i, r in enumerate(units)]
    result = compile_units(units, "某某县人民政府", year=2025)
    for layout in L.TABLES:
        summary = result.summary.table(layout.key).resolved()
        for row, col in layout.figure_positions:
            parts = [c.value or 0 for c in result.breakdown(layout.key, row, col)]
            total = sum(parts)
            if layout.kind(row, col) == "money":
                total = Decimal(total).quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP")
            assert summary[(row, col)] == total, layout.cell_name(row, col)


def test_breakdown_lists_the_largest_contribution_first(tmp_path):
    unit_draft(tmp_path, "某某县交通运输局", table2__licensing__decisions=5)
    unit_draft(tmp_path, "某某县市场监督管理局", table2__licensing__decisions=900)
    unit_draft(tmp_path, "某某县教育局", table2__licensing__decisions=40)
    result = compile_files([tmp_path], organ="某某县人民政府")
    ranked = [(c.unit.name, c.value) for c in result.breakdown("table2", "licensing", "decisions")]
    assert ranked == [("某某县市场监督管理局", 900), ("某某县教育局", 40), ("某某县交通运输局", 5)]
    assert result.summary.table2.get("licensing", "decisions") == 945


def test_breakdown_workbook_has_a_row_per_unit_the_summary_and_marks_blanks(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    unit_draft(units, "某某县交通运输局", table3__new__natural=20, table3__granted__natural=14)
    blank = filled_report()
    blank.meta.organ = "某某县教育局"
    blank.table3.root["new"]["natural"] = None
    draft.save(blank, units / "教育局.nbdraft")
    out = write_breakdown_xlsx(compile_files([units], organ="某某县人民政府"), tmp_path / "明细.xlsx")
    ws = load_workbook(out)["表三"]
    header = [c.value for c in ws[3]]
    col = header.index("「一、本年新收政府信息公开申请数量」行「自然人」列") + 1
    rows = {ws.cell(r, 1).value: ws.cell(r, col) for r in range(2, ws.max_row + 1)}
    assert rows["汇总"].value == 20 and rows["某某县交通运输局"].value == 20
    assert rows["某某县教育局"].value is None and rows["某某县教育局"].fill.fgColor.rgb.endswith("FFF2B3")
    assert ws.auto_filter.ref.startswith("A3")  # sortable in Excel


# -- the command ------------------------------------------------------------------------------


def test_compile_command_writes_the_summary_and_prints_what_needs_a_look(capsys, tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "units")
    shutil.copy(sample("001"), tmp_path / "units" / "济源（重复）.txt")
    out = tmp_path / "units" / "汇总.nbdraft"  # inside the folder: must not be read back next time
    code, text, _ = run_cli(capsys, "compile", tmp_path / "units", "-o", out, "--organ", "某某市人民政府",
                            "--breakdown", tmp_path / "明细.xlsx", "--today", "2035-01-01")
    assert code == 0  # a file sent twice is counted once
    summary = files.read_report(out)
    assert summary.table2.get("normative", "issued") == 50 and summary.meta.organ == "某某市人民政府"
    assert "读取 4 个文件：计入 3 个单位" in text
    assert "内容相同的文件" in text and "有错误的单位 1 个" in text and "周口市人民政府办公室" in text
    assert "表三 144 格空白" in text and (tmp_path / "明细.xlsx").exists()
    code, text, _ = run_cli(capsys, "compile", tmp_path / "units", "-o", out, "--today", "2035-01-01")
    assert "读取 4 个文件" in text  # the summary written last time is not a unit


def test_compile_command_exits_1_when_a_file_cannot_be_read(capsys, tmp_path):
    unit_draft(tmp_path, "某某县交通运输局")
    (tmp_path / "坏.nbdraft").write_text("", encoding="utf-8")
    code, text, _ = run_cli(capsys, "compile", tmp_path, "-o", tmp_path / "out" / "汇总.nbdraft")
    assert code == 2  # the output folder does not exist: nothing written
    code, text, _ = run_cli(capsys, "compile", tmp_path, "-o", tmp_path / "汇总.xlsx", "--exclude-errors")
    assert code == 1 and "无法读取的文件 1 个" in text and "空文件" in text
    assert files.read_report(tmp_path / "汇总.xlsx").table2.get("licensing", "decisions") == 120


def test_compile_command_with_no_readable_report_writes_nothing(capsys, tmp_path):
    (tmp_path / "坏.docx").write_bytes(b"nothing")
    code, _, err = run_cli(capsys, "compile", tmp_path, "-o", tmp_path / "汇总.nbdraft")
    assert code == 2 and "没有可以汇总的报告" in err and not (tmp_path / "汇总.nbdraft").exists()


# -- the streaming compile equals the compile that kept whole reports -------------------------------


def _reference_sum(reports) -> dict:
    """The compile as it was when every unit kept its report: each input cell summed over the reports,
    blanks as 0, the fee rounded half up to 4 places at the end."""
    out = {}
    for layout in L.TABLES:
        totals = {cell: Decimal(0) if layout.kind(*cell) == "money" else 0 for cell in layout.input_cells}
        for report in reports:
            root = report.table(layout.key).root
            for r, c in layout.input_cells:
                if root[r][c] is not None:
                    totals[(r, c)] += root[r][c]
        table: dict = {}
        for (r, c), v in totals.items():
            table.setdefault(r, {})[c] = v.quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP") \
                if isinstance(v, Decimal) else v
        out[layout.key] = table
    return out


def _generated_reports(n: int) -> list:
    import random

    rng = random.Random(16)
    base = filled_report()
    reports = []
    for i in range(n):
        report = base.model_copy(deep=True)
        report.meta.organ = f"某某县第{i % (n - 7) + 1}单位"  # a few organs sent twice
        report.meta.year = 2025 if i % 50 else 2024
        for layout in L.TABLES:
            table = report.table(layout.key)
            for r, c in layout.input_cells:
                if rng.random() < 0.04:
                    table.root[r][c] = None
                elif layout.kind(r, c) == "money":
                    table.set(r, c, f"{Decimal(rng.randint(0, 10 ** 7)).scaleb(-rng.randint(4, 6))}")  # to 1,000 万元
                else:
                    table.set(r, c, rng.choice((0, 0, 1, rng.randint(0, 99), rng.randint(0, 10 ** 5))))
        reports.append(report)
    return reports


def _without_saved_at(data: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if b'"saved_at"' not in line)


def test_compile_of_2000_units_equals_the_compile_that_kept_whole_reports(tmp_path):
    reports = _generated_reports(2000)
    units = [Unit.of(Path(f"{i:04d}.nbdraft"), r, digest=str(i)) for i, r in enumerate(reports)]
    result = compile_units(units, "某某县人民政府", year=2025)
    # an organ sent twice is flagged for the supervisor and summed, as before
    assert result.included == units and len(result.duplicates) == 7
    kept = dict(enumerate(zip(units, reports)))
    included = reports

    from core.model import Level, Metadata, Report

    reference = Report(meta=Metadata(organ="某某县人民政府", year=2025, kind=OrganKind.GOVERNMENT, level=Level.COUNTY),
                       **_reference_sum(included))
    ours, theirs = draft.save(result.summary, tmp_path / "ours.nbdraft", backup=False), \
        draft.save(reference, tmp_path / "reference.nbdraft", backup=False)
    assert _without_saved_at(ours.read_bytes()) == _without_saved_at(theirs.read_bytes())

    write_breakdown_xlsx(result, tmp_path / "明细.xlsx")
    wb = load_workbook(tmp_path / "明细.xlsx", read_only=True)
    for layout in L.TABLES:
        cells = [g.figure for g in sorted(layout.figure_positions.values(), key=lambda g: (g.row, g.col))]
        rows = wb[layout.name].iter_rows(min_row=2, values_only=True)
        summary = reference.table(layout.key).resolved()
        assert list(next(rows))[2:] == [_cell(summary[rc]) for rc in cells]
        next(rows)  # the headers
        for (unit, report), row in zip(kept.values(), rows, strict=True):
            figures = report.table(layout.key).resolved()
            assert list(row) == [unit.name, unit.path.name] + [_cell(figures[rc]) for rc in cells], unit.name


def _cell(value):
    """A figure as a workbook read back gives it: a fee as the number it is, a blank as nothing."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def test_a_compile_leaves_the_units_folder_as_it_is(tmp_path):
    import os
    import time

    path = unit_draft(tmp_path, "某某县交通运输局")
    stray = tmp_path / f".{path.name}.0123abcd.tmp"  # what a killed save of that draft would have left
    stray.write_text("{", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stray, (old, old))
    [unit] = read_units([path], FAR_FROM_DEADLINE, workers=1)
    assert unit.readable and stray.exists()  # opening the draft itself tidies it; summing it does not
    draft.load(path)
    assert not stray.exists()


def test_an_organ_whose_second_report_is_left_out_is_not_called_reported_twice(tmp_path):
    """「均已计入」 must be true: with one of the two files left out, the organ is summed once."""
    first = unit_draft(tmp_path, "某某县交通运输局")
    second = filled_report()
    second.meta.organ = "某某县交通运输局"
    second.table2.set("licensing", "decisions", 121)
    draft.save(second, tmp_path / "修改稿.nbdraft")
    units = read_units(collect_files([tmp_path]))
    [kept] = [u for u in units if u.path == first]
    result = compile_units(units, "某某县人民政府", exclude=[u for u in units if u is not kept])
    assert result.included == [kept] and result.duplicates == [] and not result.needs_attention
    assert [(d.reason, len(d.units)) for d in compile_units(units, "某某县人民政府").duplicates] == [(SAME_ORGAN, 2)]


def test_a_folder_lists_its_report_files_as_a_sorted_recursive_glob_does(tmp_path):
    """Subfolders in path order (「a」 before 「a b」), upper-case suffixes, Office lock and hidden files left
    out, and a file named twice listed once."""
    for name in ("b.nbdraft", "d.DOCX", "a/x.nbdraft", "a b/y.xlsx", "a/deep/z.txt", "~$lock.docx",
                 ".hidden.nbdraft", "notes.bin", "a/c.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    plain = [f for f in sorted(tmp_path.rglob("*"))
             if f.is_file() and f.suffix.lower() in files.READERS and not f.name.startswith(("~$", "."))]
    found = collect_files([tmp_path, tmp_path / "a" / "x.nbdraft"])
    assert found == plain
    assert [f.relative_to(tmp_path).as_posix() for f in found] == [
        "a/c.pdf", "a/deep/z.txt", "a/x.nbdraft", "a b/y.xlsx", "b.nbdraft", "d.DOCX"]
    assert collect_files([tmp_path / "b.nbdraft", tmp_path]) == [tmp_path / "b.nbdraft"] + found[:-2] + found[-1:]


@pytest.mark.skipif(os.name == "nt", reason="links need a privilege on Windows, and Wine resolves them its own way")
def test_a_linked_file_is_listed_once_and_a_linked_folder_is_not_entered(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.nbdraft").write_bytes(b"x")
    (tmp_path / "b.nbdraft").write_bytes(b"x")
    (tmp_path / "link.nbdraft").symlink_to(tmp_path / "b.nbdraft")
    (tmp_path / "linked folder").symlink_to(tmp_path / "a", target_is_directory=True)
    assert collect_files([tmp_path]) == [tmp_path / "a" / "x.nbdraft", tmp_path / "b.nbdraft"]
    link_first = collect_files([tmp_path / "link.nbdraft", tmp_path])
    assert link_first == [tmp_path / "link.nbdraft", tmp_path / "a" / "x.nbdraft"]
