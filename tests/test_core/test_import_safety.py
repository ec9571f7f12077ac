"""Broken and hostile files: refused quickly with a Chinese message, never a crash, a hang or a memory blow-up."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import files
from core.errors import ReportFileError
from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.model import Report
from tests.factories import filled_report, sample

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _refused(path) -> str:
    started = time.perf_counter()
    with pytest.raises(ReportFileError) as caught:
        files.read_report(path)
    assert time.perf_counter() - started < 2, "a hostile file must be refused quickly"
    return str(caught.value)


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_not_a_zip_names_the_old_format(tmp_path):
    (tmp_path / "旧.doc.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))  # a renamed .doc
    message = _refused(tmp_path / "旧.doc.docx")
    assert "旧.doc.docx" in message and "另存为 .docx" in message


def test_zip_bomb_is_refused_without_expanding_it(tmp_path):
    tracemalloc.start()
    _zip(tmp_path / "bomb.xlsx", {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(30 * 1024 * 1024)})
    tracemalloc.reset_peak()
    message = _refused(tmp_path / "bomb.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "压缩炸弹" in message and "sheet1.xml" in message
    assert peak < 5 * 1024 * 1024


def test_huge_xml_part_is_refused(tmp_path):
    filler = b"<w:p/>" * (8 * 1024 * 1024)  # 48 MB that compresses like ordinary markup
    _zip(tmp_path / "huge.docx", {"word/document.xml": b"<w:document>" + filler + b"</w:document>"})
    message = _refused(tmp_path / "huge.docx")
    assert "huge.docx" in message and "MB" in message


@pytest.mark.parametrize("declaration", [
    b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
])
def test_external_entities_and_entity_expansion_are_refused(tmp_path, declaration):
    members = _members(write_docx(filled_report(), tmp_path / "a.docx"))
    members["word/document.xml"] = members["word/document.xml"].replace(b"?>", b"?>" + declaration, 1)
    message = _refused(_zip(tmp_path / "b.docx", members))
    assert "DOCTYPE" in message and "word/document.xml" in message


def test_a_zip_that_is_not_a_word_document(tmp_path):
    message = _refused(_zip(tmp_path / "photos.docx", {"a.jpg": b"\xff\xd8"}))
    assert "不是Word 文档" in message and "word/document.xml" in message


def test_damaged_xml_inside_a_valid_zip(tmp_path):
    members = _members(write_xlsx(filled_report(), tmp_path / "a.xlsx"))
    members["xl/workbook.xml"] = members["xl/workbook.xml"][:200]
    message = _refused(_zip(tmp_path / "b.xlsx", members))
    assert "已损坏" in message and "b.xlsx" in message


def test_truncated_download(tmp_path):
    data = write_docx(filled_report(), tmp_path / "a.docx").read_bytes()
    (tmp_path / "b.docx").write_bytes(data[: len(data) // 2])
    assert "b.docx" in _refused(tmp_path / "b.docx")


# -- fuzzing: mutated files of every format at every importer ----------------------------------


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("originals")
    report = filled_report()
    return {
        ".docx": write_docx(report, folder / "a.docx").read_bytes(),
        ".xlsx": write_xlsx(report, folder / "a.xlsx").read_bytes(),
        ".txt": sample("001").read_bytes(),
    }


def _mutate_bytes(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


def _mutate_member(data: bytes, name_index: int, edits, cut: int | None) -> bytes:
    """Damage one XML part inside an otherwise valid zip, where the parsers (not the zip reader) meet it."""
    members = _members(io.BytesIO(data))
    xml = sorted(n for n in members if n.endswith(".xml"))
    name = xml[name_index % len(xml)]
    part = _mutate_bytes(members[name], edits)
    members[name] = part[: cut % (len(part) + 1)] if cut is not None else part
    buffer = io.BytesIO()
    _zip(buffer, members)
    return buffer.getvalue()


def _survives(tmp_path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        report = files.read_report(path)
    except ReportFileError as e:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(e)), f"not a Chinese message: {e}"
    else:
        assert isinstance(report, Report)
    assert time.perf_counter() - started < 5


edits = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8)


@FUZZ
@given(suffix=st.sampled_from([".docx", ".xlsx", ".txt"]), edits=edits)
def test_fuzz_flipped_bytes(tmp_path, originals, suffix, edits):
    _survives(tmp_path, suffix, _mutate_bytes(originals[suffix], edits))


@FUZZ
@given(suffix=st.sampled_from([".docx", ".xlsx"]), index=st.integers(0, 50), edits=edits,
       cut=st.none() | st.integers(0, 10**6))
def test_fuzz_damaged_xml_parts(tmp_path, originals, suffix, index, edits, cut):
    _survives(tmp_path, suffix, _mutate_member(originals[suffix], index, edits, cut))


@FUZZ
@given(data=st.data())
def test_fuzz_text_from_pdfs(tmp_path, originals, data):
    lines = originals[".txt"].decode("utf-8").splitlines()
    start = data.draw(st.integers(0, len(lines) - 1))
    chunk = lines[start:start + data.draw(st.integers(1, 80))]
    noise = data.draw(st.lists(st.text(max_size=30), max_size=10))
    for n in noise:
        chunk.insert(data.draw(st.integers(0, len(chunk))), n)
    _survives(tmp_path, ".txt", "\n".join(chunk).encode("utf-8", "surrogatepass"))


# -- zip entries flagged encrypted or compressed in a way Office never writes (RuntimeError before) ------


def _flag_first_entry(path, *, flag: int | None = None, method: int | None = None):
    import struct

    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    if flag is not None:
        for offset in (local + 6, central + 8):
            data[offset:offset + 2] = struct.pack("<H", struct.unpack("<H", data[offset:offset + 2])[0] | flag)
    if method is not None:
        for offset in (local + 8, central + 10):
            data[offset:offset + 2] = struct.pack("<H", method)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["encrypted", "method"])
def test_zip_entry_encrypted_or_with_unknown_compression_is_a_message(tmp_path, kind):
    from core.export.docx import write_docx
    from core.files import read_report
    from core.imports.safezip import UnsafeFileError
    from tests.factories import filled_report

    path = tmp_path / "report.docx"
    write_docx(filled_report(), path)
    _flag_first_entry(path, **({"flag": 1} if kind == "encrypted" else {"method": 99}))
    with pytest.raises(UnsafeFileError, match="已加密" if kind == "encrypted" else "不支持的压缩方式"):
        read_report(path)


def test_a_workbook_of_ours_with_one_far_cell_and_one_of_many_sheets_read_quickly(tmp_path):
    import time

    import openpyxl

    from core.export.xlsx import write_xlsx
    from core.files import read_report
    from tests.factories import filled_report

    path = tmp_path / "far.xlsx"
    write_xlsx(filled_report(), path)
    wb = openpyxl.load_workbook(path)
    wb["表三"].cell(1_048_576, 1, "x")
    for i in range(190):
        wb.create_sheet(f"附表{i}")["A1"] = i
    wb.save(path)
    started = time.monotonic()
    report = read_report(path)
    assert time.monotonic() - started < 60  # was over 300 s
    assert report.table3.get("new", "natural") == filled_report().table3.get("new", "natural")


@pytest.mark.parametrize("length", [300_000, 8_193])
def test_a_damaged_print_title_of_excel_is_refused_at_once(tmp_path, length):
    """openpyxl reads print titles with patterns whose time grows with the square of the name's length
    (300,000 characters held it for minutes); a name Excel could not have written is refused first."""
    path = write_xlsx(filled_report(), tmp_path / "报告.xlsx")
    members = _members(path)
    workbook = members["xl/workbook.xml"].decode()
    title = "'表三'!$3:$5"
    assert title in workbook
    members["xl/workbook.xml"] = workbook.replace(title, "表" * length, 1).encode()
    message = _refused(_zip(tmp_path / "损坏.xlsx", members))
    assert "损坏.xlsx" in message and f"长达 {length} 个字符" in message and "另存" in message


def test_print_titles_of_excel_do_not_stop_a_workbook_being_read(tmp_path):
    path = write_xlsx(filled_report(), tmp_path / "报告.xlsx")
    assert b"Print_Titles" in _members(path)["xl/workbook.xml"]
    assert files.read_report(path).table3 == filled_report().table3
