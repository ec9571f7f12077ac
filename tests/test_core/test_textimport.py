"""Text import: the three published samples give exactly the published figures (typed here by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import layout as L
from core.model import Level, OrganKind
from core.rules import check
from core.imports.text import TextImportError, import_text, read_text_file
from tests.factories import FAR_FROM_DEADLINE, sample

COLS = L.T3_APPLICANT_COLUMNS + ("total",)
ZERO_ROW = (0, 0, 0, 0, 0, 0, 0)


def table2(report):
    t = report.table2
    return {
        "rules": tuple(t.get("rules", c) for c in ("issued", "repealed", "in_force")),
        "normative": tuple(t.get("normative", c) for c in ("issued", "repealed", "in_force")),
        "licensing": t.get("licensing", "decisions"),
        "penalty": t.get("penalty", "decisions"),
        "enforcement": t.get("enforcement", "decisions"),
        "fees": t.get("fees", "amount"),
    }


def table3_row(report, row):
    return tuple(report.table3.get(row, c) for c in COLS)


def table4(report):
    return tuple(report.table4.get(g, c) for g in ("reconsideration", "litigation_direct", "litigation_after")
                 for c in ("upheld", "corrected", "other", "pending", "total"))


def test_sample_001_jiyuan():
    report = read_text_file(sample("001"))
    assert report.meta.organ == "济源市人民政府办公室" and report.meta.year == 2022
    assert table2(report) == {"rules": (0, 0, 0), "normative": (26, 34, 211), "licensing": 0, "penalty": 0,
                              "enforcement": 0, "fees": Decimal(0)}
    expected = {
        "new": (16, 0, 0, 0, 2, 0, 18),
        "carried_in": ZERO_ROW,
        "granted": (14, 0, 0, 0, 2, 0, 16),
        "not_processed.complaint": (1, 0, 0, 0, 0, 0, 1),
        "not_processed.excessive": (1, 0, 0, 0, 0, 0, 1),
        "total": (16, 0, 0, 0, 2, 0, 18),
        "carried_out": ZERO_ROW,
    }
    for row in L.TABLE3.rows:
        assert table3_row(report, row.key) == expected.get(row.key, ZERO_ROW), row.key
    assert table4(report) == (0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    # The totals the page printed are kept, and agree with the figures.
    assert report.imported.stated["table3"]["total"]["total"] == 18
    assert report.imported.stated["table4"]["litigation_direct"]["total"] == 1


def test_sample_001_narrative_and_topics():
    report = read_text_file(sample("001"))
    assert report.texts["overview.proactive"].startswith("2022 年，管委会办公室围绕示范区中心工作")
    assert report.texts["overview.on_request"].startswith("全年共收到依申请公开 18 件")
    assert report.texts["overview.platform"].startswith("1.完成政府门户网站升级改造。")
    assert report.texts["overview.oversight"].startswith("根据省政府办公厅下发的")
    assert "1. 政策解读形式单一" in report.texts["problems"]
    assert report.texts["other"] == "2022 年未收取信息处理费。"


def test_sample_000_zhoukou_has_no_tables_3_and_4():
    report = read_text_file(sample("000"))
    assert report.meta.organ == "周口市人民政府办公室" and report.meta.year == 2022
    assert table2(report) == {"rules": (0, 0, 0), "normative": (24, 0, 295), "licensing": 0, "penalty": 0,
                              "enforcement": 0, "fees": Decimal(0)}
    assert report.table3.is_blank() and report.table4.is_blank()
    assert report.texts["overview"].startswith("2022年，周口市人民政府办公室以习近平新时代")
    assert report.texts["overview.proactive"].startswith("认真贯彻落实《国务院办公厅关于印发2022年政务公开工作要点的通知》")
    assert report.texts["other"].endswith("本年度本机关未收取政府信息公开处理费。")


def test_sample_003_xuwan_all_zero():
    report = read_text_file(sample("003"))
    assert report.meta.organ == "周口市城乡一体化示范区许湾办事处" and report.meta.year == 2023
    assert report.meta.kind is OrganKind.TOWNSHIP and report.meta.level is Level.TOWNSHIP
    assert table2(report) == {"rules": (0, 0, 0), "normative": (0, 0, 0), "licensing": 0, "penalty": 0,
                              "enforcement": 0, "fees": Decimal(0)}
    for row in L.TABLE3.rows:
        assert table3_row(report, row.key) == ZERO_ROW, row.key
    assert table4(report) == (0,) * 15
    assert report.texts["overview"].startswith("本报告是根据《中华人民共和国政府信息公开条例》")
    assert report.texts["overview.proactive"].startswith("全办围绕民生、教育、医疗")
    assert report.texts["other"] == "无。"


# -- what a careful reviewer would say ---------------------------------------------------------


def errors_and_warnings(report):
    return [(f.severity.code, f.rule) for f in check(report, today=FAR_FROM_DEADLINE) if f.severity.code != "info"]


def test_review_of_the_samples():
    assert errors_and_warnings(read_text_file(sample("001"))) == []
    assert errors_and_warnings(read_text_file(sample("000"))) == [("error", "TXT-MISSING"), ("error", "TXT-MISSING")]
    assert sorted(errors_and_warnings(read_text_file(sample("003")))) == [("warning", "TXT-FEE"), ("warning", "TXT-YEAR")]


# -- what copies from PDFs and web pages do ----------------------------------------------------

HEADER = "某某县民政局2025年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"


def _import_t3(lines: str):
    return import_text(HEADER + lines + "\n四、政府信息公开行政复议、行政诉讼情况\n")


def test_radicals_full_width_digits_and_thousands_separators():
    # ⼀ is the Kangxi radical for 一, ⻓ the radical for 长: PDF text layers use them.
    report = _import_t3("⼀、本年新收政府信息公开申请数量 1,234 ０ 0 0 2 0 1,236\n")
    assert table3_row(report, "new") == (1234, 0, 0, 0, 2, 0, 1236)


def test_label_wrapped_over_two_lines_and_figures_on_the_next_line():
    report = _import_t3("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关\n不再处理其政府信息公开申请\n3 0 0 0 0 0 3\n")
    assert table3_row(report, "other.no_correction") == (3, 0, 0, 0, 0, 0, 3)


def test_row_that_lost_a_cell_is_reported_not_guessed():
    report = _import_t3("一、本年新收政府信息公开申请数量 16 0 0 2 0 18\n")
    assert table3_row(report, "new")[:6] == (None,) * 6
    notes = [n for n in report.imported.notes if n.rule == "IMPORT-UNREAD"]
    assert len(notes) == 1 and notes[0].location["row"] == "new"
    assert "有 6 个数字，应为 7 个" in notes[0].message and "原文第 3 行" in notes[0].message


def test_negative_and_dash_figures():
    report = _import_t3("一、本年新收政府信息公开申请数量 -3 — 0 0 0 0 0\n")
    assert table3_row(report, "new")[:6] == (None, None, 0, 0, 0, 0)
    [value_note] = [n for n in report.imported.notes if n.rule == "CELL-VALUE"]
    assert value_note.location["column"] == "natural" and "「-3」" in value_note.message
    rules = {f.rule for f in check(report, today=FAR_FROM_DEADLINE) if f.location.row == "new"}
    assert "CELL-VALUE" in rules and "CELL-BLANK" in rules  # the dash is a blank, reported as such


def test_page_numbers_and_running_headers_between_rows():
    report = _import_t3("一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n— 3 —\n"
                        "某某县民政局2025年政府信息公开工作年度报告\n二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n")
    assert table3_row(report, "new") == (5, 0, 0, 0, 0, 0, 5)
    assert table3_row(report, "carried_in") == (1, 0, 0, 0, 0, 0, 1)
    assert not [n for n in report.imported.notes if n.rule == "IMPORT-UNREAD"]


def test_heading_that_differs_from_the_official_text():
    report = import_text(HEADER.splitlines()[0] + "\n五、政府信息公开工作存在的主要问题及改进情况\n问题和措施。\n")
    [note] = [n for n in report.imported.notes if n.rule == "IMPORT-LABEL"]
    assert "五、存在的主要问题及改进情况" in note.message
    assert report.texts["problems"] == "问题和措施。"


def test_gbk_encoded_file_from_notepad(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(sample("001").read_text(encoding="utf-8").encode("gb18030"))
    assert read_text_file(path).meta.organ == "济源市人民政府办公室"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"\x00\x01PK\x03\x04" * 100)
    with pytest.raises(TextImportError, match="不是文本文件"):
        read_text_file(path)


def test_no_title_is_reported():
    report = import_text("一、总体情况\n本报告统计期限自2024年1月1日至2024年12月31日。\n")
    assert report.meta.year == 2024 and report.meta.organ == ""
    assert any("未找到报告标题" in n.message for n in report.imported.notes)


def test_label_wrapped_over_three_lines_with_the_header_scattered_between_rows():
    report = _import_t3("申请人情况\n自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
                        "一、本年新收政府信息公开申请数量 4 0 0 0 1 0 5\n"
                        "（六）其他处理\n2.申请人逾期未按收费通知要求\n缴纳费用、行政机关不再处理其\n政府信息公开申请\n"
                        "0 0 0 0 0 0 0\n"
                        "自然人 法人或其他组织 总计\n"  # the header repeated at the top of the next PDF page
                        "四、结转下年度继续办理 1 0 0 0 0 0 1\n")
    assert table3_row(report, "new") == (4, 0, 0, 0, 1, 0, 5)
    assert table3_row(report, "other.unpaid_fee") == ZERO_ROW
    assert table3_row(report, "carried_out") == (1, 0, 0, 0, 0, 0, 1)
    assert not [n for n in report.imported.notes if n.rule == "IMPORT-UNREAD"]


def test_only_the_rows_that_dropped_a_column_are_left_blank():
    report = _import_t3("一、本年新收政府信息公开申请数量 4 0 0 0 1 0 5\n"
                        "二、上年结转政府信息公开申请数量 0 0 0 0 0\n"
                        "（一）予以公开 3 0 0 0 1 0 4\n")
    assert table3_row(report, "new") == (4, 0, 0, 0, 1, 0, 5)
    assert table3_row(report, "granted") == (3, 0, 0, 0, 1, 0, 4)
    assert table3_row(report, "carried_in")[:6] == (None,) * 6
    [note] = [n for n in report.imported.notes if n.rule == "IMPORT-UNREAD"]
    assert note.location["row"] == "carried_in" and "原文第 4 行" in note.message


# -- encodings (UTF-16 without BOM was 「不是文本文件」, Big5 and UTF-32 were read as garbage) ----------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32",
                                      "utf-8-sig", "gb18030"])
def test_unicode_and_gbk_text_with_or_without_bom(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(sample("001").read_text(encoding="utf-8").encode(encoding))
    report = read_text_file(path)
    assert report.meta.organ == "济源市人民政府办公室"
    assert table3_row(report, "new") == (16, 0, 0, 0, 2, 0, 18)


def test_big5_text_is_read_as_big5_and_says_so(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("臺北市政府2024年政府資訊公開工作年度報告\n一、總體情況\n本年度依法辦理政府資訊公開申請。\n".encode("big5"))
    report = read_text_file(path)
    assert "本年度依法辦理政府資訊公開申請。" in "\n".join(report.texts.values())
    assert any("Big5" in n.message for n in report.imported.notes)


def test_text_in_no_known_encoding_is_refused_naming_what_was_tried(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(TextImportError, match="UTF-8、GBK/GB18030、UTF-16、UTF-32、Big5"):
        read_text_file(path)
