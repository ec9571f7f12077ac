"""The open report as the form sees it: the core model, its undo stack, file state and findings.

Every edit is a core operation (``core.operations``) wrapped in one QUndoCommand on one stack. Applying
or undoing it says which cells and fields changed; the document re-runs the self-check and emits the
signals below for exactly those, so each widget repaints only what changed.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any, Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import layout as L
from core import operations as ops
from core.findings import Finding, Severity
from core.model import Comment, Report

TEXT_MERGE_ID = 1000  # base id for merging consecutive typing in one narrative field
BLANK_RULE = "CELL-BLANK"
WORD_ENDS = ("。", "\n", "；", "，")  # typing merges into one undo step until one of these


class ReportDocument(QObject):
    cellsChanged = Signal(str, list)  # table key, [(row, col), …] of the input cells changed
    textChanged = Signal(str)  # narrative field key
    metaChanged = Signal()
    explanationsChanged = Signal()
    commentsChanged = Signal()
    previousChanged = Signal()
    findingsChanged = Signal()
    stateChanged = Signal()  # path, modified flag, or the clerk has started filling in

    def __init__(self, report: Report, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.report = report
        self.path = path
        self.previous: Report | None = None
        self.previous_path: Path | None = None
        self._findings: list[Finding] | None = None  # None until the first self-check has run
        # While a keystroke in a narrative editor is applied: views slow to rebuild may wait for a pause.
        self.typing = False
        # Who reviews this draft (a supervisor), or None while the unit itself edits it. A reviewer's
        # edits are written into the draft's history when it is saved.
        self.reviewer: str | None = None
        # A brand-new empty report shows one calm 「开始填写」 state instead of "six parts missing".
        self.started = not is_empty(report)
        self._baseline = report.model_copy(deep=True)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._checker = None  # made with the first check: the rules load after the window's first paint
        self._check_posted = False
        self._announced = False

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
        from core import history

        found = history.changes(self._baseline, self.report, self.reviewer)
        self.report.history.extend(found)
        return len(found)

    def mark_saved(self, path: Path) -> None:
        self._baseline = self.report.model_copy(deep=True)
        self.path = path
        self.undo_stack.setClean()
        self.stateChanged.emit()

    @property
    def findings(self) -> list[Finding]:
        """The self-check's findings; the first read runs the first check if it has not run yet."""
        if self._findings is None:
            self._findings = self._check()
        return self._findings

    @property
    def checked(self) -> bool:
        """Whether findingsChanged has announced this report's findings (False until the first check)."""
        return self._announced

    def check_soon(self) -> None:
        """Run the first self-check on the next turn of the event loop and announce it (findingsChanged).

        The window calls this after its first paint: opening a draft shows the form before the rules
        load, and the findings follow by themselves."""
        if self._announced or self._check_posted:
            return
        self._check_posted = True
        QTimer.singleShot(0, self, self._announce_first_check)

    def _announce_first_check(self) -> None:
        if not self._announced:
            self.findings  # noqa: B018  (runs the check unless a reader already has)
            self._announced = True
            self.findingsChanged.emit()

    def _check(self) -> list[Finding]:
        if self._checker is None:
            from core.rules import Checker

            self._checker = Checker()  # re-runs only the rules that read what an edit changed
        return self._checker.check(self.report, self.previous)

    def recheck(self) -> None:
        self._findings = self._check()
        self._announced = True
        self.findingsChanged.emit()

    def counts(self) -> dict[Severity, int]:
        """Open findings by severity; a table's blank cells count once, as the 自检 panel lists them."""
        counts = {s: 0 for s in Severity}
        blank_tables = set()
        for f in self.findings:
            if f.explanation:
                continue
            if f.rule == BLANK_RULE and f.location.table:
                if f.location.table in blank_tables:
                    continue
                blank_tables.add(f.location.table)
            counts[f.severity] += 1
        return counts

    def findings_at(self, table: str, row: str, col: str) -> list[Finding]:
        return [f for f in self.findings
                if any(loc.table == table and loc.row in (row, None) and loc.column in (col, None)
                       and (loc.row or loc.column) for loc in f.locations)]

    # -- edits (each is one undoable command) --------------------------------------------------

    def push(self, edit: ops.Edit) -> bool:
        """Apply a planned core operation as one undo step; False when it changes nothing."""
        if not edit:
            return False
        self.undo_stack.push(_EditCommand(self, edit))
        return True

    def set_cell(self, table: str, row: str, col: str, value: Any) -> None:
        self.set_cells([(table, row, col, value)], "修改数字")

    def set_cells(self, changes: Iterable[tuple[str, str, str, Any]], text: str) -> None:
        """Validate every change first (ValueError names the bad cell), then apply them as one step."""
        self.push(ops.set_cells(self.report, changes, text))

    def fill_blanks(self, table: str | None = None) -> int:
        """0 in every blank input cell (of one table, or of every table not left out entirely)."""
        edit = ops.fill_blanks_in(self.report, table) if table else ops.fill_blanks(self.report)
        self.push(edit)
        return len(edit.cells)

    def set_text(self, field: str, text: str, typing: bool = False) -> None:
        """``typing``: the edit is a keystroke in the field's editor (see ``typing`` above)."""
        if field not in L.TEXT_FIELD_BY_KEY:
            raise KeyError(field)
        self.typing = typing
        try:
            self.push(ops.set_text(self.report, field, text))
        finally:
            self.typing = False

    def set_meta(self, **changes: Any) -> None:
        self.push(ops.set_meta(self.report, **changes))

    def set_explanation(self, finding_key: str, text: str | None) -> None:
        self.push(ops.explain(self.report, finding_key, text))

    def add_comment(self, location: dict[str, Any], text: str, author: str) -> Comment:
        edit = ops.add_comment(self.report, location, text, author)
        self.push(edit)
        return self.report.comments[-1]

    def resolve_comment(self, comment_id: str, reply: str = "") -> None:
        self.push(ops.resolve_comment(self.report, comment_id, reply))

    def comment_for(self, finding: Finding) -> Comment | None:
        """The open comment a 批注 finding shows."""
        return next((c for c in self.report.comments if not c.resolved and c.message == finding.message), None)

    # -- last year's report (not part of the draft's undo history) -----------------------------

    def set_previous(self, previous: Report | None, path: Path | None = None, check: bool = True) -> None:
        """``check=False`` before the first check: that check, still to come, compares with it."""
        self.previous, self.previous_path = previous, path
        self.previousChanged.emit()
        if check or self._announced:
            self.recheck()
        else:
            self._findings = None

    # -- applied by the command ------------------------------------------------------------------

    def _changed(self, changes: ops.Changes) -> None:
        if not self.started:
            self.started = True
            self.stateChanged.emit()
        for table, cells in changes.cells.items():
            self.cellsChanged.emit(table, sorted(cells))
        for field in sorted(changes.texts):
            self.textChanged.emit(field)
        if changes.meta:
            self.metaChanged.emit()
        if changes.explanations:
            self.explanationsChanged.emit()
        if changes.comments:
            self.commentsChanged.emit()
        self.recheck()


def is_empty(report: Report) -> bool:
    """Nothing typed yet: every table blank and every narrative empty."""
    return all(t.is_blank() for t in report.tables()) and not any(t.strip() for t in report.texts.values())


class _EditCommand(QUndoCommand):
    def __init__(self, doc: ReportDocument, edit: ops.Edit):
        super().__init__(edit.label)
        # Weakly: the document's stack owns its commands, and a command owning its document back made a
        # cycle that Python's collector tore down in an order Qt's stack crashed on.
        self._doc = weakref.ref(doc)
        self.edit = edit

    @property
    def doc(self) -> ReportDocument:
        return self._doc()

    def id(self) -> int:
        field = self.edit.text_field
        return -1 if field is None else TEXT_MERGE_ID + [f.key for f in L.TEXT_FIELDS].index(field)

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Consecutive typing in one field is one undo step, until a word boundary.
        if not isinstance(other, _EditCommand) or other.edit.text_field != self.edit.text_field:
            return False
        if other.edit.steps[0].new.endswith(WORD_ENDS):
            return False
        return self.edit.merge_text(other.edit)

    def redo(self):
        self.doc._changed(self.edit.apply(self.doc.report))

    def undo(self):
        self.doc._changed(self.edit.revert(self.doc.report))
