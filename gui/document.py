"""The open report as the form sees it: the core model, its undo stack, file state and findings.

Every edit goes through a QUndoCommand on one stack; after each change the self-check runs again
(a full check takes about a millisecond) and the widgets refresh from the signals below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import history
from core import layout as L
from core.findings import Finding, Severity
from core.model import Comment, Report, printable
from core.rules import check

TEXT_MERGE_ID = 1000  # base id for merging consecutive typing in one narrative field


class ReportDocument(QObject):
    cellsChanged = Signal(str, list)  # table key, [(row, col), …] of the input cells changed
    textChanged = Signal(str)  # narrative field key
    metaChanged = Signal()
    explanationsChanged = Signal()
    commentsChanged = Signal()
    previousChanged = Signal()
    findingsChanged = Signal()
    stateChanged = Signal()  # path or modified flag

    def __init__(self, report: Report, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.report = report
        self.path = path
        self.previous: Report | None = None
        self.previous_path: Path | None = None
        self.findings: list[Finding] = []
        # Who reviews this draft (a supervisor), or None while the unit itself edits it. A reviewer's
        # edits are written into the draft's history when it is saved.
        self.reviewer: str | None = None
        self._baseline = report.model_copy(deep=True)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.recheck()

    # -- state ---------------------------------------------------------------------------------

    def _clean_changed(self, _clean: bool) -> None:
        self.stateChanged.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def record_review(self) -> int:
        """Before a save: append what the reviewer changed since the last save to the draft's history."""
        if not self.reviewer:
            return 0
        found = history.changes(self._baseline, self.report, self.reviewer)
        self.report.history.extend(found)
        return len(found)

    def mark_saved(self, path: Path) -> None:
        self._baseline = self.report.model_copy(deep=True)
        self.path = path
        self.undo_stack.setClean()
        self.stateChanged.emit()

    def recheck(self) -> None:
        self.findings = check(self.report, self.previous)
        self.findingsChanged.emit()

    def counts(self) -> dict[Severity, int]:
        counts = {s: 0 for s in Severity}
        for f in self.findings:
            if not f.explanation:
                counts[f.severity] += 1
        return counts

    def findings_at(self, table: str, row: str, col: str) -> list[Finding]:
        return [f for f in self.findings
                if any(loc.table == table and loc.row in (row, None) and loc.column in (col, None)
                       and (loc.row or loc.column) for loc in f.locations)]

    # -- edits (each is one undoable command) --------------------------------------------------

    def set_cell(self, table: str, row: str, col: str, value: Any) -> None:
        self.set_cells([(table, row, col, value)], "修改数字")

    def set_cells(self, changes: Iterable[tuple[str, str, str, Any]], text: str) -> None:
        """Validate every change first (ValueError names the bad cell), then apply them as one step."""
        prepared = []
        for table, row, col, value in changes:
            t = self.report.table(table)
            old = t.get(row, col)
            new = self._validated(t, row, col, value)
            if new != old or type(new) is not type(old):
                prepared.append((table, row, col, old, new))
        if prepared:
            self.undo_stack.push(_SetCells(self, prepared, text))

    @staticmethod
    def _validated(table, row, col, value):
        from core.model import parse_figure

        if (row, col) not in table.layout.inputs:
            raise ValueError(f"{table.layout.cell_name(row, col)}是自动计算的合计，不能直接填写")
        return parse_figure(table.layout, row, col, value)

    def fill_blanks(self) -> int:
        """Write 0 into every blank input cell of the tables that are not left out entirely."""
        changes = [(t.layout.key, r, c, 0) for t in self.report.tables() if not t.is_blank()
                   for r, c in t.blank_cells()]
        self.set_cells(changes, "空白单元格填 0")
        return len(changes)

    def set_text(self, field: str, text: str) -> None:
        if field not in L.TEXT_FIELD_BY_KEY:
            raise KeyError(field)
        text = printable(text)
        old = self.report.texts.get(field, "")
        if text != old:
            self.undo_stack.push(_SetText(self, field, old, text))

    def set_meta(self, **changes: Any) -> None:
        old = {k: getattr(self.report.meta, k) for k in changes}
        if old != changes:
            self.report.meta.check_changes(**changes)  # validate first; the reason in Chinese
            self.undo_stack.push(_SetMeta(self, old, changes))

    def set_explanation(self, finding_key: str, text: str | None) -> None:
        old = self.report.explanations.get(finding_key)
        text = (text or "").strip() or None
        if text != old:
            self.undo_stack.push(_SetExplanation(self, finding_key, old, text))

    def add_comment(self, location: dict[str, Any], text: str, author: str) -> Comment:
        comment = Comment(location=location, text=printable(text).strip(), author=author)
        self.undo_stack.push(_SetComments(self, self.report.comments + [comment], "添加批注"))
        return comment

    def resolve_comment(self, comment_id: str, reply: str = "") -> None:
        updated = [c.model_copy(update={"resolved": True, "reply": printable(reply).strip()}) if c.id == comment_id
                   else c for c in self.report.comments]
        self.undo_stack.push(_SetComments(self, updated, "批注已处理"))

    def comment_for(self, finding: Finding) -> Comment | None:
        """The open comment a 批注 finding shows."""
        return next((c for c in self.report.comments if not c.resolved and c.message == finding.message), None)

    # -- last year's report (not part of the draft's undo history) -----------------------------

    def set_previous(self, previous: Report | None, path: Path | None = None) -> None:
        self.previous, self.previous_path = previous, path
        self.previousChanged.emit()
        self.recheck()

    # -- applied by the commands ---------------------------------------------------------------

    def _apply_cells(self, table: str, values: list[tuple[str, str, Any]]) -> None:
        t = self.report.table(table)
        for row, col, value in values:
            t.root[row][col] = value
        self.cellsChanged.emit(table, [(r, c) for r, c, _ in values])
        self.recheck()

    def _apply_text(self, field: str, text: str) -> None:
        self.report.texts[field] = text
        self.textChanged.emit(field)
        self.recheck()

    def _apply_meta(self, values: dict[str, Any]) -> None:
        for k, v in values.items():
            setattr(self.report.meta, k, v)
        self.metaChanged.emit()
        self.recheck()

    def _apply_comments(self, comments: list[Comment]) -> None:
        self.report.comments = list(comments)
        self.commentsChanged.emit()
        self.recheck()

    def _apply_explanation(self, key: str, text: str | None) -> None:
        if text is None:
            self.report.explanations.pop(key, None)
        else:
            self.report.explanations[key] = text
        self.explanationsChanged.emit()
        self.recheck()


class _SetCells(QUndoCommand):
    def __init__(self, doc: ReportDocument, changes, text: str):
        super().__init__(text)
        self.doc, self.changes = doc, changes

    def _by_table(self, index: int) -> dict[str, list]:
        grouped: dict[str, list] = {}
        for table, row, col, old, new in self.changes:
            grouped.setdefault(table, []).append((row, col, (old, new)[index]))
        return grouped

    def redo(self):
        for table, values in self._by_table(1).items():
            self.doc._apply_cells(table, values)

    def undo(self):
        for table, values in self._by_table(0).items():
            self.doc._apply_cells(table, values)


class _SetText(QUndoCommand):
    def __init__(self, doc: ReportDocument, field: str, old: str, new: str):
        super().__init__("修改文字：" + L.TEXT_FIELD_BY_KEY[field].label)
        self.doc, self.field, self.old, self.new = doc, field, old, new

    def id(self) -> int:
        return TEXT_MERGE_ID + [f.key for f in L.TEXT_FIELDS].index(self.field)

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Consecutive typing in one field is one undo step, until a word boundary.
        if not isinstance(other, _SetText) or other.field != self.field:
            return False
        if other.new.endswith(("。", "\n", "；", "，")):
            return False
        self.new = other.new
        return True

    def redo(self):
        self.doc._apply_text(self.field, self.new)

    def undo(self):
        self.doc._apply_text(self.field, self.old)


class _SetMeta(QUndoCommand):
    def __init__(self, doc: ReportDocument, old: dict, new: dict):
        super().__init__("修改基本信息")
        self.doc, self.old, self.new = doc, old, new

    def redo(self):
        self.doc._apply_meta(self.new)

    def undo(self):
        self.doc._apply_meta(self.old)


class _SetExplanation(QUndoCommand):
    def __init__(self, doc: ReportDocument, key: str, old: str | None, new: str | None):
        super().__init__("填写说明" if new else "删除说明")
        self.doc, self.key, self.old, self.new = doc, key, old, new

    def redo(self):
        self.doc._apply_explanation(self.key, self.new)

    def undo(self):
        self.doc._apply_explanation(self.key, self.old)


class _SetComments(QUndoCommand):
    def __init__(self, doc: ReportDocument, new: list[Comment], text: str):
        super().__init__(text)
        self.doc, self.old, self.new = doc, list(doc.report.comments), list(new)

    def redo(self):
        self.doc._apply_comments(self.new)

    def undo(self):
        self.doc._apply_comments(self.old)
