"""nianbao check over folders of reports in every format, with a summary workbook."""

from __future__ import annotations

import openpyxl

from core import batch
from tests.factories import run_cli
from tests.realdata import REAL, mixed_folder


def test_check_a_folder_of_any_mix_with_a_summary(tmp_path, capsys):
    folder = mixed_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    code, stdout, stderr = run_cli(capsys, "check", str(folder), "--summary", str(out))
    assert code == 2  # one file could not be read
    assert "已检查 4/4" in stderr and "坏文件.docx" in stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == batch.SUMMARY_HEADERS and len(rows) == 5
    by_file = {r[0]: r for r in rows[1:]}
    zrz = by_file["pingtan_zrz_2023_86684.html"]
    assert zrz[1:4] == ("网页", "平潭综合实验区自然资源与生态环境局", 2023)
    assert zrz[5] == 166 and zrz[6] == 3 and zrz[9].startswith("[错误]")
    assert by_file["pingtan_jjf_2022_86658.pdf"][1] == "PDF 文件" and by_file["pingtan_jjf_2022_86658.pdf"][6] == 0
    bad = by_file["坏文件.docx"]
    assert not bad[9] and bad[10].startswith("本程序无法读取此文件：") and "坏文件.docx" in bad[10]


def test_what_the_program_could_not_read_is_its_own_column_not_a_fault_of_the_report(tmp_path):
    from tests.textforms import as_text

    text = as_text(REAL / "pingtan_jjf_2022_86658.html", "tabs")
    lines = text.splitlines()
    # a row of 表三 that lost one figure in copying: the program cannot know which cell is missing
    n = next(i for i, ln in enumerate(lines) if ln.startswith("一、本年新收") or "本年新收政府信息公开申请数量" in ln)
    lines[n] = lines[n].rsplit("\t", 1)[0]
    (tmp_path / "缺一格.txt").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "完整.txt").write_text(text, encoding="utf-8")
    whole, cut = batch.check_files([tmp_path / "完整.txt", tmp_path / "缺一格.txt"])
    assert whole.unread == "" and cut.unread.startswith("本程序未能读出 1 处")
    assert "本年新收" in cut.unread and "条检查结果未计入" in cut.unread
    # the counts and the main findings are about the report itself: the row the program left blank is neither
    # 「空白」 nor unbalanced in the list
    for severity in (batch.Severity.ERROR, batch.Severity.WARNING):
        assert cut.count(severity) == whole.count(severity)
    assert any(f.rule == "CELL-BLANK" for f in cut.findings)  # the window's 自检 still shows them on the cells
    assert "本程序" not in batch.first_findings(cut, 100) and "未能读取" not in batch.first_findings(cut, 100)


def test_a_stopped_check_returns_the_files_checked_so_far(tmp_path):
    folder = mixed_folder(tmp_path)
    seen = []
    results = batch.check_files([folder], progress=lambda done, total, path: seen.append(done),
                                stop=lambda: len(seen) >= 2)
    assert [r.path.name for r in results] == [p.name for p in batch.report_files([folder])[:2]]


def test_summary_text_is_never_a_formula(tmp_path):
    path = tmp_path / "=HYPERLINK(1).txt"
    path.write_text("=cmd|' /C calc'!A0 2024年政府信息公开工作年度报告\n", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    batch.write_summary(batch.check_files([path]), out)
    ws = openpyxl.load_workbook(out).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
