"""Where an import read each cell and note: kept in the import record and in drafts, never in published files."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal

import pytest
from pydantic import ValidationError

from core import draft, files, marker
from core import layout as L
from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.imports.builder import ReportBuilder
from core.imports.pdf import pdf_pages
from core.imports.rebuild import read_pages
from core.imports.review import CellMark, cell_marks, note_place, open_source
from core.imports.text import import_text
from core.model import MAX_SOURCE_LINES, ImportRecord, Note, Report, SourcePlace
from core.normalize import fold
from tests.realdata import REAL, expected_cells, read_cell, truth
from tests.textforms import as_text

ENTRIES = truth()
IDS = [e["file"].split("_")[1] for e in ENTRIES]
EDITED = REAL / "pdf" / "edited" / "zrz_2023_new_natural_1.5.pdf"


def _printed(value) -> str:
    return str(value)


def _read_cells(report: Report, entry: dict):
    for (table, row, col), want in expected_cells(entry).items():
        if want is not None and read_cell(report, table, row, col) == want:
            yield table, row, col, want


def _tokens(text: str) -> list[str]:
    return [t for cell in fold(text).split("\t") for t in cell.split()]


@pytest.mark.parametrize("form", ["tabs", "pipes"])
@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_cell_read_from_text_names_the_line_that_prints_it(entry, form):
    report = import_text(as_text(REAL / entry["file"], form), entry["file"])
    record = report.imported
    cells = list(_read_cells(report, entry))
    assert len(cells) > 150
    for table, row, col, want in cells:
        place = record.cell_source(table, row, col)
        assert place is not None and place.page is None and place.box is None, (table, row, col)
        line = record.source_lines[place.line].text
        assert _printed(want) in _tokens(line.replace("|", " ")), (table, row, col, line)
        if table != "table4":  # 表四's figures follow its header rows, not a label of their own
            label = L.TABLE_BY_KEY[table].row_by_key[row].label
            assert fold(label)[-4:] in fold(line) or len(line) < 80, (row, line)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_cell_read_from_a_pdf_has_the_box_of_its_words(entry):
    path = REAL / "pdf" / entry["file"].replace(".html", ".pdf")
    report = files.read_report(path)
    pages = {p.number: p for p in pdf_pages(path)}
    record = report.imported
    checked = 0
    for table, row, col, want in _read_cells(report, entry):
        place = record.cell_source(table, row, col)
        assert place.page in pages and place.box is not None, (table, row, col)
        x0, top, x1, bottom = place.box
        inside = [w for w in pages[place.page].words
                  if x0 - 0.5 <= (w.x0 + w.x1) / 2 <= x1 + 0.5 and top - 0.5 <= (w.top + w.bottom) / 2 <= bottom + 0.5]
        assert "".join(w.text for w in inside) == _printed(want), (table, row, col, inside)
        assert record.source_lines[place.line].page == place.page
        checked += 1
    assert checked > 150


def test_a_note_on_a_cell_of_a_pdf_leads_to_the_words_read_there():
    report = files.read_report(EDITED)
    note = next(n for n in report.imported.notes if n.rule == "CELL-VALUE")
    assert (note.location["table"], note.location["row"], note.location["column"]) == ("table3", "new", "natural")
    place = note_place(note, report.imported)
    page = next(p for p in pdf_pages(EDITED) if p.number == place.page)
    x0, top, x1, bottom = place.box
    # places are kept to 0.1 pt, so a word's edge may lie a rounding outside its box
    assert [w.text for w in page.words if x0 - 0.1 <= w.x0 and w.x1 <= x1 + 0.1 and top - 0.1 <= w.top
            and w.bottom <= bottom + 0.1] == ["1.5"]
    assert "原文第 2 页" in note.message and place.page == 2
    marks = cell_marks(report)
    assert marks["table3", "new", "natural"] == CellMark(CellMark.NOT_READ, (report.imported.notes.index(note),))
    assert marks["table3", "new", "business"].state == CellMark.READ


def test_notes_of_text_name_their_line():
    text = (REAL / ENTRIES[0]["file"])
    report = import_text(as_text(text, "tabs").replace("行政规范性文件", "规范性文件"), "t.txt")
    record = report.imported
    label = next(n for n in record.notes if n.rule == "IMPORT-LABEL" and n.location.get("row") == "normative")
    assert "规范性文件" in record.source_lines[label.source.line].text
    assert f"第 {label.source.line + 1} 行" in label.message or "原文第" in label.message


def test_word_and_excel_cells_name_their_table_row(tmp_path):
    report = import_text(as_text(REAL / ENTRIES[1]["file"], "tabs"), "t.txt")
    docx_path = write_docx(report, tmp_path / "r.docx")
    xlsx_path = write_xlsx(report, tmp_path / "r.xlsx")
    for path in (docx_path, xlsx_path):
        # our own file, unchanged: the report it carries is taken as it is; a published file carries no import
        # record, so none of the first import's places
        assert files.read_report(path).imported is None
    # an edit by hand in Word: the marker no longer matches, the visible tables are read
    edited = tmp_path / "edited.docx"
    _edit_docx_figure(docx_path, edited)
    back = files.read_report(edited)
    record = back.imported
    assert record.source_path == str(edited.resolve()) and len(record.source_digest) == 64
    assert record.source_lines and record.cell_sources
    for table, row, col, value in ((t, r, c, v) for t in ("table2", "table3") for r, c, v in back.table(t).inputs()
                                   if v is not None):
        line = record.source_lines[record.cell_source(table, row, col).line].text
        assert str(value) in line.split("\t"), (table, row, col, line)


def _edit_docx_figure(src, dst):
    """Change the text of the document a little (a clerk's edit), so the visible content is read."""
    import docx as python_docx

    document = python_docx.Document(str(src))
    document.paragraphs[-1].add_run("（已修改）")
    document.save(str(dst))


# -- kept in drafts, not in published files -------------------------------------------------------


def test_provenance_survives_saving_and_reopening_the_draft(tmp_path):
    report = files.read_report(EDITED)
    path = tmp_path / "r.nbdraft"
    draft.save(report, path)
    back = draft.load(path)
    assert back.imported == report.imported
    assert back.imported.cell_sources["table3"]["new"]["natural"].box == report.imported.cell_source(
        "table3", "new", "natural").box
    assert [n.source for n in back.imported.notes] == [n.source for n in report.imported.notes]
    source = open_source(back.imported)
    assert len(source.pages) == len(pdf_pages(EDITED)) and source.remark == ""
    assert source.pages[1].render(30).startswith(b"\x89PNG")


def test_published_files_carry_no_provenance(tmp_path):
    report = files.read_report(EDITED)
    for key in ("cell_sources", "source_lines", "source_path", "source_digest"):
        assert key not in json.dumps(marker.payload(report), ensure_ascii=False)
    docx_path = write_docx(report, tmp_path / "r.docx")
    with zipfile.ZipFile(docx_path) as z:
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "cell_sources" not in everything and '"source": {' not in everything
    assert str(EDITED.parent) not in everything  # the clerk's folders stay on the clerk's machine
    xlsx_path = write_xlsx(report, tmp_path / "r.xlsx")
    with zipfile.ZipFile(xlsx_path) as z:
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "cell_sources" not in everything and "source_lines" not in everything


def test_a_moved_or_changed_source_is_said_and_its_lines_still_shown(tmp_path):
    copy = tmp_path / "report.pdf"
    copy.write_bytes(EDITED.read_bytes())
    report = files.read_report(copy)
    copy.write_bytes(EDITED.read_bytes() + b"\n% edited\n")
    changed = open_source(report.imported)
    assert changed.pages == [] and "与导入时的文件不同" in changed.remark and changed.lines
    copy.unlink()
    gone = open_source(report.imported)
    assert gone.pages == [] and "找不到原文件" in gone.remark and gone.lines
    elsewhere = tmp_path / "moved.pdf"
    elsewhere.write_bytes(EDITED.read_bytes())
    assert len(open_source(report.imported, elsewhere).pages) == len(pdf_pages(EDITED))


# -- positioned pages (the scan reader's and the PDF reader's) -------------------------------------


def test_cells_rebuilt_from_pages_keep_the_box_of_their_words():
    from tests.test_core.test_import_pages import _report_pages

    pages = _report_pages()
    report = read_pages(ReportBuilder(source="scan", source_format="scan"), pages)
    record = report.imported
    place = record.cell_source("table3", "new", "natural")
    word = next(w for w in pages[0].words if w.text == "7")
    assert place.page == 1 and place.box == pytest.approx((word.x0, word.top, word.x1, word.bottom), abs=0.05)
    doubtful = next(n for n in record.notes if "可信度" in n.message)
    assert doubtful.source.page == 2 and doubtful.source.box is not None
    # the row broken by the page: its figure is where most of it was printed
    assert record.cell_source("table3", "partial", "natural").page == 1


# -- bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [
    {"cell_sources": {"table9": {}}},
    {"cell_sources": {"table3": {"new": {"nowhere": {"line": 0}}}}},
    {"cell_sources": {"table3": {"new": {"natural": {"page": 1, "box": [0, 0, float("nan"), 1]}}}}},
    {"cell_sources": {"table3": {"new": {"natural": {"page": 1, "box": [0, 0, 1e12, 1]}}}}},
    {"cell_sources": {"table3": {"new": {"natural": {"box": [0, 0, 1, 1]}}}}},  # a box without its page
    {"cell_sources": {"table3": {"new": {"natural": {"line": -1}}}}},
    {"source_lines": [{"text": "x"}], "cell_sources": {"table3": {"new": {"natural": {"line": 1}}}}},
    {"source_lines": [{"text": "x"}] * (MAX_SOURCE_LINES + 1)},
    {"source_lines": [{"text": "x" * 5000}]},
    {"source_digest": "not a digest"},
    {"notes": [{"rule": "X", "severity": "warning", "message": "m", "source": {"page": 0}}]},
])
def test_stored_provenance_is_checked_on_load(bad):
    with pytest.raises(ValidationError):
        ImportRecord.model_validate(bad)


def test_a_draft_with_bad_provenance_is_a_chinese_message(tmp_path):
    report = files.read_report(EDITED)
    data = json.loads(draft.dumps(report))
    data["report"]["imported"]["cell_sources"]["table3"]["new"]["natural"]["box"] = [1, 2, "x", 4]
    path = tmp_path / "bad.nbdraft"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(draft.DraftError) as e:
        draft.load(path)
    assert "bad.nbdraft" in str(e.value)


def test_a_source_too_long_to_keep_keeps_places_without_lines():
    # 320,000 characters over two parts (each part within the model's bound of 200,000)
    paragraphs = ["很长的一段文字。" * 100] * 200
    lines = ["某某县民政局2024年政府信息公开工作年度报告", "一、总体情况", *paragraphs, "六、其他需要报告的事项", *paragraphs]
    report = import_text("\n".join(lines), "long.txt")
    assert report.imported.source_lines == []
    assert all(n.source is None or n.source.line is None for n in report.imported.notes)


def test_notes_round_trip_their_place_through_the_model():
    note = Note(rule="IMPORT-UNREAD", severity="warning", message="m", source=SourcePlace(line=3, page=2, box=(1, 2, 3, 4)))
    dumped = note.model_dump(context={"draft": True})
    assert dumped["source"] == {"line": 3, "page": 2, "box": [1.0, 2.0, 3.0, 4.0]}
    assert "source" not in note.model_dump()
    assert Note.model_validate(dumped) == note
    assert Decimal("1.5")  # keep the import used for money figures


def test_pdf_pages_are_read_and_drawn_one_pdfium_call_at_a_time():
    """PDFium crashes when two threads call it at once: a batch check reading while the review view draws."""
    import threading

    from core.imports import pdf as pdf_reader

    source = open_source(files.read_report(EDITED).imported, EDITED)
    held = []
    released = threading.Event()

    def hold():
        with pdf_reader.PDFIUM_LOCK:
            held.append(True)
            released.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    while not held:
        pass
    drawn = []
    drawer = threading.Thread(target=lambda: drawn.append(source.pages[0].render(20)))
    drawer.start()
    drawer.join(0.3)
    assert not drawn  # waits for the other thread's PDFium work
    released.set()
    drawer.join(10)
    worker.join()
    assert drawn and drawn[0].startswith(b"\x89PNG")
    source.close()


@pytest.mark.parametrize("box", [(71.8, 2.1e9, 90.0, 2.2e9), (56.8, -2.6e8, 70.0, 163.0), (10.0, 50.0, 5.0, 60.0)])
def test_a_cell_whose_box_lies_beyond_any_page_keeps_its_page(box):
    """A damaged PDF may place its words billions of points off the page: the place keeps the page, not the box."""
    from types import SimpleNamespace

    place = ReportBuilder(source="损坏.pdf", source_format="pdf").place(SimpleNamespace(page=3, box=box))
    assert place == SourcePlace(page=3)
