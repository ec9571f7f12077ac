"""Edits of a report as operations: each is planned against the report, validated first, then applied.

An operation (``set_cells``, ``fill_blanks``, ``fill_carried_in`` …) returns an :class:`Edit`: the steps
it would take, nothing done yet. ``edit.apply(report)`` makes the change and ``edit.revert(report)`` undoes
it; both return the :class:`Changes` — which input cells, text fields and other parts of the report were
touched — so that a window repaints only those and the command line can report them. The window wraps each
Edit in one undo step; tests and scripts use the same operations without Qt.

A bad value raises ValueError with a Chinese message naming the cell, before anything is changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import layout as L
from .model import Comment, Note, Report, parse_figure, printable
from .findings import Severity

CellChange = tuple[str, str, str, Any]  # table key, row key, column key, new value (None: blank)

# Said once in the import notes when a figure of an imported table is edited.
PRINTED_TOTALS_NOTE = ("导入后已修改{table}的数字：修改过的行和列，其原文所列合计只是原文件的记录，不再据以检查，"
                       "合计按填写的数字自动计算")


@dataclass
class Changes:
    """What an applied or reverted edit touched."""

    cells: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # table → input cells
    texts: set[str] = field(default_factory=set)
    meta: bool = False
    explanations: bool = False
    comments: bool = False
    imported: bool = False

    def __bool__(self) -> bool:
        return bool(self.cells or self.texts or self.meta or self.explanations or self.comments or self.imported)

    def merge(self, other: "Changes") -> "Changes":
        for table, cells in other.cells.items():
            self.cells.setdefault(table, set()).update(cells)
        self.texts |= other.texts
        self.meta |= other.meta
        self.explanations |= other.explanations
        self.comments |= other.comments
        self.imported |= other.imported
        return self


# -- steps: one kind of change each, with the old and new state ---------------------------------


@dataclass
class _Cells:
    table: str
    values: list[tuple[str, str, Any, Any]]  # row, column, old, new

    def put(self, report: Report, new: bool) -> Changes:
        stored = report.table(self.table).root
        for row, col, old, value in self.values:
            stored[row][col] = value if new else old
        return Changes(cells={self.table: {(r, c) for r, c, _, _ in self.values}})


@dataclass
class _Text:
    field: str
    old: str
    new: str

    def put(self, report: Report, new: bool) -> Changes:
        report.texts[self.field] = self.new if new else self.old
        return Changes(texts={self.field})


@dataclass
class _Meta:
    old: dict[str, Any]
    new: dict[str, Any]

    def put(self, report: Report, new: bool) -> Changes:
        for key, value in (self.new if new else self.old).items():
            setattr(report.meta, key, value)
        return Changes(meta=True)


@dataclass
class _Explanation:
    key: str
    old: str | None
    new: str | None

    def put(self, report: Report, new: bool) -> Changes:
        value = self.new if new else self.old
        if value is None:
            report.explanations.pop(self.key, None)
        else:
            report.explanations[self.key] = value
        return Changes(explanations=True)


@dataclass
class _Comments:
    old: list[Comment]
    new: list[Comment]

    def put(self, report: Report, new: bool) -> Changes:
        report.comments = list(self.new if new else self.old)
        return Changes(comments=True)


@dataclass
class _Imported:
    """The import record's printed totals and notes, replaced as a whole (they are small)."""

    old_stated: dict
    new_stated: dict
    old_notes: list[Note]
    new_notes: list[Note]

    def put(self, report: Report, new: bool) -> Changes:
        record = report.imported
        record.stated = copy.deepcopy(self.new_stated if new else self.old_stated)
        record.notes = list(self.new_notes if new else self.old_notes)
        return Changes(imported=True)


@dataclass
class Edit:
    """One user action on a report: ``label`` names it for the undo menu and the history."""

    label: str
    steps: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what the operation could not do, in Chinese

    def __bool__(self) -> bool:
        return bool(self.steps)

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """(table, row, column) of every input cell the edit writes."""
        return [(s.table, r, c) for s in self.steps if isinstance(s, _Cells) for r, c, _, _ in s.values]

    def apply(self, report: Report) -> Changes:
        changes = Changes()
        for step in self.steps:
            changes.merge(step.put(report, True))
        return changes

    def revert(self, report: Report) -> Changes:
        changes = Changes()
        for step in reversed(self.steps):
            changes.merge(step.put(report, False))
        return changes

    def merge_text(self, later: "Edit") -> bool:
        """Fold a later edit of the same single text field into this one (consecutive typing)."""
        if len(self.steps) != 1 or len(later.steps) != 1:
            return False
        mine, theirs = self.steps[0], later.steps[0]
        if not (isinstance(mine, _Text) and isinstance(theirs, _Text) and mine.field == theirs.field):
            return False
        mine.new = theirs.new
        return True

    @property
    def text_field(self) -> str | None:
        """The field of a pure text edit (the unit of merging), else None."""
        if len(self.steps) == 1 and isinstance(self.steps[0], _Text):
            return self.steps[0].field
        return None


# -- figures -----------------------------------------------------------------------------------


def validated(report: Report, table: str, row: str, col: str, value: Any):
    """The stored form of ``value`` for an input cell; ValueError names the cell when it cannot be."""
    layout = report.table(table).layout
    if row not in layout.row_by_key or col not in layout.column_by_key:
        raise ValueError(f"{layout.name}没有这个单元格（{row} / {col}）")
    if (row, col) not in layout.inputs:
        raise ValueError(f"{layout.cell_name(row, col)}是自动计算的合计，不能直接填写")
    return parse_figure(layout, row, col, value)


def set_cells(report: Report, changes: Iterable[CellChange], label: str = "修改数字") -> Edit:
    """Write figures into input cells, all validated before any is written; unchanged cells are left out.

    Editing a table read from a document made elsewhere releases that document's printed totals for the
    rows and columns touched (they record the source, they do not bind the clerk), said once in the notes.
    """
    by_table: dict[str, list] = {}
    for table, row, col, value in changes:
        new = validated(report, table, row, col, value)
        old = report.table(table).root[row][col]
        if new != old or type(new) is not type(old):
            by_table.setdefault(table, []).append((row, col, old, new))
    edit = Edit(label, [_Cells(t, values) for t, values in by_table.items()])
    released = _release_printed_totals(report, edit.cells)
    if released:
        edit.steps.append(released)
    return edit


def dependents(layout: L.TableLayout, cells: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The derived cells whose value depends on any of ``cells`` (totals of totals included)."""
    found = set(cells)
    for target, sources in layout.derivation:  # sources come before the totals that use them
        if any(s in found for s in sources):
            found.add(target)
    return found - cells


def _release_printed_totals(report: Report, cells: list[tuple[str, str, str]]) -> _Imported | None:
    record = report.imported
    if record is None or not cells:
        return None
    stated = copy.deepcopy(record.stated)
    touched_tables = []
    for table in {t for t, _, _ in cells}:
        layout = L.TABLE_BY_KEY[table]
        edited = {(r, c) for t, r, c in cells if t == table}
        printed = stated.get(table, {})
        dropped = False
        for row, col in dependents(layout, edited):
            if printed.get(row, {}).pop(col, None) is not None:
                dropped = True
        for row in [r for r, cols in printed.items() if not cols]:
            del printed[row]
        if dropped:
            touched_tables.append(table)
    edited_cells = {(t, r, c) for t, r, c in cells}
    # A cell the import could not read (CELL-VALUE) is settled once the clerk types it.
    notes = [n for n in record.notes if not (n.rule == "CELL-VALUE" and (
        n.location.get("table"), n.location.get("row"), n.location.get("column")) in edited_cells)]
    said = {n.message for n in notes}
    for table in sorted(touched_tables):
        message = PRINTED_TOTALS_NOTE.format(table=L.TABLE_BY_KEY[table].name)
        if message not in said:
            notes.append(Note(rule="IMPORT-ASSUMED", severity=Severity.INFO, message=message,
                              location={"part": L.TABLE_BY_KEY[table].part, "table": table}, category="导入"))
    if stated == record.stated and notes == record.notes:
        return None
    return _Imported(copy.deepcopy(record.stated), stated, list(record.notes), notes)


def fill_blanks(report: Report) -> Edit:
    """0 in every blank input cell of the tables that are not left out entirely."""
    changes = [(t.layout.key, r, c, 0) for t in report.tables() if not t.is_blank() for r, c in t.blank_cells()]
    return set_cells(report, changes, "空白单元格填 0")


def fill_blanks_in(report: Report, table: str) -> Edit:
    """0 in every blank input cell of one table (the 填 0 of a grouped blank-cell finding)."""
    t = report.table(table)
    return set_cells(report, [(table, r, c, 0) for r, c in t.blank_cells()], f"{t.layout.name}空白单元格填 0")


def clear_cells(report: Report, cells: Iterable[tuple[str, str, str]]) -> Edit:
    return set_cells(report, [(t, r, c, None) for t, r, c in cells], "清除")


# -- last year's report ---------------------------------------------------------------------------


def fill_carried_in(report: Report, previous: Report) -> Edit:
    """This year's 上年结转 from last year's 结转下年度继续办理, column by column."""
    changes, skipped = [], []
    for col in L.T3_APPLICANT_COLUMNS:
        last = previous.table3.get("carried_out", col)
        if last is None:
            skipped.append(L.TABLE3.column_by_key[col].label)
        else:
            changes.append(("table3", "carried_in", col, last))
    edit = set_cells(report, changes, "按上年填入上年结转")
    edit.skipped = skipped
    return edit


def fill_in_force(report: Report, previous: Report) -> Edit:
    """现行有效件数 = last year's + issued − repealed, for the rules and normative documents rows where all three are known."""
    changes, skipped = [], []
    t2 = report.table2
    for row in ("rules", "normative"):
        last = previous.table2.get(row, "in_force")
        issued, repealed = t2.get(row, "issued"), t2.get(row, "repealed")
        if None in (last, issued, repealed) or last + issued - repealed < 0:
            skipped.append(L.TABLE2.row_by_key[row].label)
            continue
        changes.append(("table2", row, "in_force", last + issued - repealed))
    edit = set_cells(report, changes, "按上年推算现行有效件数")
    edit.skipped = skipped
    return edit


# -- text, metadata, explanations, comments -----------------------------------------------------


def set_text(report: Report, field_key: str, text: str) -> Edit:
    if field_key not in L.TEXT_FIELD_BY_KEY:
        raise ValueError(f"没有这个文字部分（{field_key}）")
    text = printable(text)
    old = report.texts.get(field_key, "")
    return Edit("修改文字：" + L.TEXT_FIELD_BY_KEY[field_key].label, [_Text(field_key, old, text)] if text != old else [])


def set_meta(report: Report, **changes: Any) -> Edit:
    """Change 基本信息 fields; the whole metadata is validated first (ValueError in Chinese)."""
    meta = report.meta
    unknown = [k for k in changes if k not in type(meta).model_fields]
    if unknown:
        raise ValueError(f"基本信息中没有「{unknown[0]}」")
    meta.check_changes(**changes)
    checked = type(meta).model_validate({**meta.model_dump(), **changes})
    new = {k: getattr(checked, k) for k in changes if getattr(checked, k) != getattr(meta, k)}
    old = {k: getattr(meta, k) for k in new}
    return Edit("修改基本信息", [_Meta(old, new)] if new else [])


def explain(report: Report, finding_key: str, text: str | None) -> Edit:
    """Keep a 警告/提示 with the clerk's one-line reason (None or blank withdraws it)."""
    text = printable(text or "").strip() or None
    old = report.explanations.get(finding_key)
    return Edit("填写说明" if text else "删除说明", [_Explanation(finding_key, old, text)] if text != old else [])


def add_comment(report: Report, location: dict[str, Any], text: str, author: str) -> Edit:
    comment = Comment(location=location, text=printable(text).strip(), author=author)
    return Edit("添加批注", [_Comments(list(report.comments), report.comments + [comment])])


def resolve_comment(report: Report, comment_id: str, reply: str = "") -> Edit:
    if not any(c.id == comment_id for c in report.comments):
        raise ValueError("没有这条批注")
    updated = [c.model_copy(update={"resolved": True, "reply": printable(reply).strip()}) if c.id == comment_id
               else c for c in report.comments]
    return Edit("批注已处理", [_Comments(list(report.comments), updated)])
