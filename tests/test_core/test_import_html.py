"""Web pages: the published reports of the corpus give every printed figure, and pages as sites serve them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core import files
from core import layout as L
from core.imports.html import HtmlImportError, import_html, read_html_file
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE
from tests.realdata import REAL, compare, truth

ENTRIES = truth()
IDS = [e["file"].split("_")[1] for e in ENTRIES]


@pytest.fixture(scope="module")
def reports():
    return {e["file"]: read_html_file(REAL / e["file"]) for e in ENTRIES}


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_printed_figure_is_read(reports, entry):
    report = reports[entry["file"]]
    tally = compare(report, entry)
    assert (tally.wrong, tally.missed) == ([], []) and tally.right == 200
    assert report.meta.organ == entry["organ"] and report.meta.year == entry["year"]


def _errors(report):
    return [f for f in check(report, today=FAR_FROM_DEADLINE) if f.severity.code == "error"]


_DEFECT = re.compile(r"^source arithmetic: 表三 (row|column) (.+?): ")


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_printed_defect_is_found_and_nothing_else_is_an_error(reports, entry):
    errors = _errors(reports[entry["file"]])
    defects = [m.groups() for m in map(_DEFECT.match, entry["defects"]) if m]
    rows = {r.key: r for r in L.TABLE3.rows}
    labels = {(L.TABLE3.row_labels.get(k, r.label)): k for k, r in rows.items()}
    cols = {c.label: c.key for c in L.TABLE3.columns}
    for kind, what in defects:
        if kind == "row":
            label = what.split("/")[-1]
            row = next(k for lab, k in labels.items() if lab.endswith(label))
            assert any(loc.table == "table3" and loc.row == row for f in errors for loc in f.locations), what
        else:
            col = cols[what]
            assert any(loc.table == "table3" and loc.column == col for f in errors for loc in f.locations), what
    if not defects:
        assert errors == []
    assert {f.rule for f in errors} <= {"T3-BALANCE", "T3-ROWSUM", "T3-OUTCOMES"}


def test_the_article_is_read_and_the_site_around_it_is_not(reports):
    report = reports["pingtan_jjf_2022_86658.html"]
    assert report.texts["overview"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert report.texts["requests"] == "2022年，共收到政府信息公开申请3条。"
    whole = "\n".join(report.texts.values())
    assert "新媒体矩阵" not in whole and "版权所有" not in whole


def test_signature_is_the_signing_date_not_part_six(reports):
    report = reports["pingtan_jjf_2022_86658.html"]
    assert report.texts["other"] == "2022年，无收取信息处理费情况，无其他需报告事项。"
    assert report.meta.sign_date == dt.date(2023, 1, 5)
    assert reports["pingtan_zrz_2023_86684.html"].meta.sign_date == dt.date(2024, 1, 5)


def test_a_section_added_for_the_fee_is_part_six_and_renumbered_headings_keep_their_part(reports):
    report = reports["pingtan_spp_2025_104740.html"]
    assert report.texts["problems"].startswith("（一）存在的主要问题")
    assert "信息处理费收取情况" in report.texts["other"]
    messages = [n.message for n in report.imported.notes]
    assert any("原文编号为「六」" in m for m in messages)
    assert not [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule == "TXT-MISSING"]


def test_headings_that_differ_are_noted(reports):
    notes = [n.message for n in reports["pingtan_htp_2024_96894.html"].imported.notes if n.rule == "IMPORT-LABEL"]
    assert any("五、存在的主要问题及改进措施" in m for m in notes)
    assert any("「规范性文件」" in m for m in notes)


# -- pages as sites serve them -------------------------------------------------------------------

T3_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某某县民政局2024年政府信息公开工作年度报告_某某县人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/x">政务公开</a></div>
<div class="article"><p>一、总体情况</p><p>本年度，我局依法做好政府信息公开工作。</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2"><p>自</p><p>然</p><p>人</p></td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>&nbsp;7</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="4">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td><span>1.</span><span>属于国家秘密</span></td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（七）总计</td><td>7</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table></div>
<div class="footer">版权所有：某某县人民政府 主办单位：某某县人民政府办公室</div></body></html>"""


def _t3(report, row):
    return tuple(report.table3.get(row, c) for c in L.T3_APPLICANT_COLUMNS)


@pytest.mark.parametrize("charset,encoding", [("gb2312", "gbk"), ("GBK", "gb18030"), ("utf-8", "utf-8")])
def test_a_saved_page_in_the_encoding_its_meta_names(tmp_path, charset, encoding):
    path = tmp_path / "report.htm"
    path.write_bytes(T3_PAGE.format(charset=charset).encode(encoding))
    report = files.read_report(path)
    assert report.meta.organ == "某某县民政局" and report.meta.year == 2024
    assert _t3(report, "new") == (7, 1, 0, 0, 0, 0)
    assert _t3(report, "withheld.state_secret") == (1, 0, 0, 0, 0, 0)
    assert _t3(report, "withheld.prohibited") == (1, 0, 0, 0, 0, 0)
    assert report.imported.stated["table3"]["total"]["total"] == 8
    assert report.texts["overview"] == "本年度，我局依法做好政府信息公开工作。"


def test_a_gbk_page_whose_meta_lies_or_is_missing_is_detected(tmp_path):
    page = T3_PAGE.format(charset="utf-8").replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    for markup in (page, T3_PAGE.format(charset="utf-8")):
        path = tmp_path / "report.html"
        path.write_bytes(markup.encode("gb18030"))
        assert _t3(read_html_file(path), "new") == (7, 1, 0, 0, 0, 0)


def test_clipboard_html_with_the_windows_header():
    body = T3_PAGE.format(charset="utf-8")
    header = "Version:0.9\r\nStartHTML:0000000105\r\nEndHTML:0000009999\r\nStartFragment:0000000141\r\n"
    report = import_html(header + body, "剪贴板", "clipboard")
    assert _t3(report, "new") == (7, 1, 0, 0, 0, 0)


def test_a_page_with_no_report_gives_notes_not_a_crash(tmp_path):
    report = import_html("<html><body><p>通知公告</p><table><tr><td>1</td></tr></table></body></html>")
    assert report.table3.is_blank()
    with pytest.raises(HtmlImportError, match="没有网页内容"):
        import_html("   ")


def test_hostile_spans_and_a_huge_page_are_bounded(tmp_path):
    row = "<tr>" + "<td rowspan='99999999' colspan='99999999'>0</td>" * 30 + "</tr>"
    report = import_html("<table>" + row * 20 + "</table>")
    assert report.table3.is_blank()
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"x" * (21 * 1024 * 1024))
    with pytest.raises(HtmlImportError, match="超过 20 MB"):
        read_html_file(path)


def test_html_is_in_the_registry_and_the_open_filter():
    assert ".html" in files.READERS and ".htm" in files.READERS
    assert "*.htm" in files.open_filter()
