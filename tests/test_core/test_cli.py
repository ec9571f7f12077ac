"""The command line a supervisor scripts: exit status, JSON output, new drafts, bad files."""

from __future__ import annotations

import json
import subprocess
import sys

from core import draft
from core.cli import main
from tests.factories import filled_report, sample


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_report_exits_0(capsys):
    code, out, _ = run(capsys, "check", str(sample("001")), "--today", "2035-01-01")
    assert code == 0 and "错误 0" in out and "没有错误" in out


def test_check_report_with_errors_exits_1_and_lists_them(capsys):
    code, out, _ = run(capsys, "check", str(sample("000")), "--today", "2035-01-01")
    assert code == 1
    assert out.count("[错误] TXT-MISSING") == 2 and "表三" in out and "表四" in out


def test_json_output_shape(capsys, tmp_path):
    report = filled_report()
    report.table3.set("granted", "natural", 8)
    path = draft.save(report, tmp_path / "r.nbdraft")
    code, out, _ = run(capsys, "check", str(path), "--format", "json", "--today", "2035-01-01")
    assert code == 1
    findings = json.loads(out)
    # The narrative's "办结 18 件" now contradicts the table too.
    assert [f["rule"] for f in findings] == ["T3-BALANCE", "TXT-FIGURES"]
    finding = findings[0]
    assert finding["severity"] == "error" and findings[1]["severity"] == "warning"
    assert finding["location"] == {"part": "requests", "table": "table3", "row": None, "column": "natural"}
    assert "相差 2" in finding["message"]


def test_previous_year_enables_cross_year_rules(capsys, tmp_path):
    prev = filled_report()
    prev.meta.year = 2024
    prev.table3.set("carried_out", "natural", 4)
    prev_path = draft.save(prev, tmp_path / "2024.nbdraft")
    path = draft.save(filled_report(), tmp_path / "2025.nbdraft")
    code, out, _ = run(capsys, "check", str(path), "--previous", str(prev_path), "--format", "json",
                       "--today", "2035-01-01")
    assert code == 0
    assert "X-CARRY" in [f["rule"] for f in json.loads(out)]


def test_new_writes_an_empty_draft(capsys, tmp_path):
    out_path = tmp_path / "new.nbdraft"
    code, out, _ = run(capsys, "new", "--organ", "某某乡人民政府", "--year", "2025", "--kind", "乡镇人民政府、街道办事处",
                       "--level", "乡", "-o", str(out_path))
    assert code == 0 and "已新建" in out
    report = draft.load(out_path)
    assert report.meta.organ == "某某乡人民政府" and report.table3.is_blank()
    code, _, err = run(capsys, "new", "--organ", "某某乡人民政府", "-o", str(out_path))
    assert code == 2 and "已存在" in err


def test_unreadable_file_exits_2_with_a_chinese_message(capsys, tmp_path):
    bad = tmp_path / "bad.nbdraft"
    bad.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "check", str(bad))
    assert code == 2 and out == "" and "不完整" in err
    code, _, err = run(capsys, "check", str(tmp_path / "x.doc"))
    assert code == 2 and "不支持" in err


def test_batch_check_continues_past_a_bad_file(capsys, tmp_path):
    bad = tmp_path / "bad.nbdraft"
    bad.write_text("not json", encoding="utf-8")
    code, out, err = run(capsys, "check", str(sample("001")), str(bad), "--today", "2035-01-01")
    assert code == 2 and "济源市人民政府办公室" in out and "bad.nbdraft" in err


def test_rules_lists_the_catalogue(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "T3-BALANCE" in out and "META-DEADLINE" in out


def test_module_entry_point_and_core_stays_free_of_qt():
    code = ("import sys, core, core.cli, core.rules, core.draft, core.files, core.imports.text; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    proc = subprocess.run([sys.executable, "-m", "core", "rules"], capture_output=True, text=True)
    assert proc.returncode == 0 and "TXT-YEAR" in proc.stdout


def test_export_refuses_a_final_text_while_errors_remain(capsys, tmp_path):
    code, out, err = run(capsys, "export", str(sample("000")), "--docx", str(tmp_path / "a.docx"))
    assert code == 1 and "尚有 2 处错误" in err and "--draft" in err
    assert not (tmp_path / "a.docx").exists()
    code, out, _ = run(capsys, "export", str(sample("000")), "--docx", str(tmp_path / "a.docx"), "--draft")
    assert code == 0 and (tmp_path / "a.docx").exists()


def test_export_word_and_excel(capsys, tmp_path):
    path = draft.save(filled_report(), tmp_path / "r.nbdraft")
    code, out, _ = run(capsys, "export", str(path), "--docx", str(tmp_path / "r.docx"), "--xlsx",
                       str(tmp_path / "r.xlsx"))
    assert code == 0 and (tmp_path / "r.docx").exists() and (tmp_path / "r.xlsx").exists()


def test_export_pdf_from_the_command_line(tmp_path):
    path = draft.save(filled_report(), tmp_path / "r.nbdraft")
    env = dict(__import__("os").environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "core", "export", str(path), "--pdf", str(tmp_path / "r.pdf")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_convert_text_to_word_and_back_to_a_draft(capsys, tmp_path):
    code, out, _ = run(capsys, "convert", str(sample("001")), str(tmp_path / "济源.docx"))
    assert code == 0 and "济源.docx" in out
    code, out, _ = run(capsys, "convert", str(tmp_path / "济源.docx"), str(tmp_path / "济源.nbdraft"))
    assert code == 0
    again = draft.load(tmp_path / "济源.nbdraft")
    assert again.meta.organ == "济源市人民政府办公室" and again.table2.get("normative", "in_force") == 211


def test_check_reads_word_and_excel(capsys, tmp_path):
    path = draft.save(filled_report(), tmp_path / "r.nbdraft")
    run(capsys, "convert", str(path), str(tmp_path / "r.xlsx"))
    report = filled_report()
    report.table3.set("granted", "natural", 8)
    path = draft.save(report, tmp_path / "wrong.nbdraft")
    run(capsys, "convert", str(path), str(tmp_path / "wrong.docx"))
    code, out, _ = run(capsys, "check", str(tmp_path / "r.xlsx"), str(tmp_path / "wrong.docx"), "--today", "2035-01-01")
    assert code == 1 and "r.xlsx" in out and "wrong.docx" in out
    code, out, _ = run(capsys, "check", str(tmp_path / "wrong.docx"), "--format", "json", "--today", "2035-01-01")
    assert [f["rule"] for f in json.loads(out)] == ["T3-BALANCE", "TXT-FIGURES"]  # as from the draft itself


def test_convert_refuses_an_unknown_target_in_chinese(capsys, tmp_path):
    code, _, err = run(capsys, "convert", str(sample("001")), str(tmp_path / "r.odt"))
    assert code == 2 and "不支持「.odt」格式" in err
