"""报送名单: the subordinate units against the files that arrived — missing, returned, approved.

The matching and the states are ``core.roster``'s; this window shows them and records the supervisor's
decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QInputDialog, QLabel, QMainWindow, QMessageBox, QSplitter,
                               QVBoxLayout, QWidget)

from core import aggregate, draft
from core.errors import ReportFileError, os_reason
from core.model import Comment
from core.roster import Roster, RosterError, Status, load_roster, reconcile, save_roster, write_status_xlsx

from .. import file_dialogs
from ..screen_fit import fit_to_screen
from .common import (ERROR_COLOUR, STATUS_COLOURS, button_row, cell_item, fill_table, new_table, read_with_progress,
                     selected_index, short_date)


class RosterWindow(QMainWindow):
    """The subordinate units against the files that arrived: who is missing, returned, approved."""

    def __init__(self, main_window):
        super().__init__(main_window)
        self.main_window = main_window
        self.setObjectName("roster_window")
        self.setWindowTitle("报送名单")
        self.settings = main_window.settings
        self.roster = Roster()
        self.roster_path: Path | None = None
        self.folder: Path | None = None
        self.units: list[aggregate.Unit] = []
        self.result = None

        buttons = QHBoxLayout()
        button_row((("打开名单(&L)…", self.open_roster_dialog, "roster_open"),
                  ("选择收件文件夹(&F)…", self.choose_folder, "roster_folder"),
                  ("刷新(&R)", self.refresh_files, "roster_refresh")), buttons)
        self.source = QLabel(objectName="roster_source")
        self.source.setWordWrap(True)

        self.table = new_table("roster_table", ["单位名称", "单位类型", "状态", "错误", "警告", "文件", "文件时间", "对应方式"])
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_selected())
        self.others = new_table("roster_unmatched", ["文件", "报告中的机关名称", "可能的单位"])

        actions = QHBoxLayout()
        button_row((("打开审核(&O)", self.open_selected, "roster_open_unit"),
                  ("退回(&B)…", self.return_selected, "roster_return"),
                  ("通过(&P)", lambda: self.set_status(Status.APPROVED), "roster_approve"),
                  ("清除状态", lambda: self.set_status(None), "roster_clear_status"),
                  ("手工对应(&M)…", self.match_by_hand, "roster_match"),
                  ("导出报送情况(&X)…", self.export_status, "roster_export")), actions)
        self.counts = QLabel(objectName="roster_counts")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(buttons)
        layout.addWidget(self.source)
        layout.addWidget(self.counts)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel("未能对应到名单的文件（选中文件和上方的单位后点「手工对应」）："))
        box_layout.addWidget(self.others)
        split.addWidget(box)
        split.setStretchFactor(0, 3)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        self.setCentralWidget(body)
        fit_to_screen(self, 1100, 720)

        last_roster, last_folder = self.settings.value("roster_path", ""), self.settings.value("roster_folder", "")
        if last_roster and Path(last_roster).is_file():
            self.load(Path(last_roster), quiet=True)
        if last_folder and Path(last_folder).is_dir():
            self.folder = Path(last_folder)
            self.refresh_files()
        self.refresh()

    # -- files ----------------------------------------------------------------------------------

    def open_roster_dialog(self) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "打开名单", "", "名单 (*.xlsx *.json)")
        if name:
            self.load(Path(name))

    def load(self, path: Path, quiet: bool = False) -> bool:
        try:
            self.roster = load_roster(path)
        except RosterError as e:
            if not quiet:
                QMessageBox.warning(self, "无法打开名单", str(e))
            return False
        if path.suffix.lower() == ".xlsx":  # states and manual matches live in a JSON beside it
            beside = path.with_suffix(".json")
            if beside.is_file():
                try:
                    self.roster = load_roster(beside)
                    path = beside
                except RosterError:
                    pass
        self.roster_path = path
        self.settings.setValue("roster_path", str(path))
        self.refresh()
        return True

    def choose_folder(self) -> None:
        with file_dialogs.prepared():
            folder = QFileDialog.getExistingDirectory(self, "选择存放各单位报告的文件夹")
        if folder:
            self.folder = Path(folder)
            self.settings.setValue("roster_folder", folder)
            self.refresh_files()

    def refresh_files(self) -> None:
        if self.folder is None:
            return
        units = read_with_progress(self, aggregate.collect_files([self.folder]))
        if units is not None:
            self.units = units
        self.refresh()

    def _save_roster(self) -> bool:
        """States and manual matches are kept in JSON (an .xlsx roster gets a .json beside it)."""
        if self.roster_path is None:
            QMessageBox.information(self, "报送名单", "请先打开名单，退回、通过的状态和手工对应保存在名单文件中。")
            return False
        target = self.roster_path.with_suffix(".json")
        new = not target.exists()
        try:
            save_roster(self.roster, target)
        except RosterError as e:
            QMessageBox.critical(self, "保存名单失败", str(e))
            return False
        if new:  # said once, when the file first appears beside the roster
            QMessageBox.information(self, "报送名单", f"退回、通过的状态和手工对应保存在「{target.name}」中（与名单在同一"
                                                   f"文件夹：{target.parent}），下次打开名单时自动读取。")
        self.roster_path = target
        self.settings.setValue("roster_path", str(target))
        return True

    def states_file(self) -> Path | None:
        return self.roster_path.with_suffix(".json") if self.roster_path else None

    # -- view -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.result = reconcile(self.roster, self.units)
        kept = self.states_file()
        self.source.setText(f"名单：{self.roster_path.name if self.roster_path else '（未打开）'}    "
                            f"收件文件夹：{self.folder or '（未选择）'}"
                            + (f"    状态保存在：{kept.name}" if kept else ""))
        self.source.setToolTip(str(kept) if kept else "")
        rows, colours = [], []
        for i, s in enumerate(self.result.states):
            latest = s.latest
            rows.append([cell_item(s.unit.name, index=i), s.unit.kind.value, s.status.value, s.errors, s.warnings,
                         "、".join(f.path.name for f in s.files), short_date(latest.modified if latest else None),
                         s.how])
            colours.append(ERROR_COLOUR if s.errors else STATUS_COLOURS[s.status])
        fill_table(self.table, rows, colours)
        pending = self._pending_files()
        others = [[cell_item(u.path.name, index=i), u.organ if u.readable else u.error,
                   "、".join(c.name for c in cands)] for i, (u, cands) in enumerate(pending)]
        fill_table(self.others, others)
        self.counts.setText(self.result.counts_line() if self.roster.units else "请先打开名单（.xlsx：单位名称、单位类型两列）")

    def _pending_files(self) -> list:
        """Files no roster unit clearly fits, each with the units it might be."""
        return [(u, ()) for u in self.result.unmatched] + list(self.result.ambiguous)

    def _selected_state(self):
        index = selected_index(self.table)
        return self.result.states[index] if index is not None else None

    def set_status(self, status: Status | None) -> None:
        state = self._selected_state()
        if state is None:
            return
        self.roster.set_status(state.unit.name, status)
        self._save_roster()
        self.refresh()

    def return_selected(self) -> None:
        """退回 with a reason: kept in the roster, and written into the unit's draft as a 批注 it will see."""
        state = self._selected_state()
        if state is None:
            QMessageBox.information(self, "退回", "请先在名单中选中要退回的单位。")
            return
        name = state.unit.name
        reason, ok = QInputDialog.getMultiLineText(
            self, "退回", f"退回「{name}」的原因（写入该单位报送的草稿，作为批注出现在它的自检中）：", state.unit.note)
        if not ok:
            return
        reason = reason.strip()
        if not reason:
            QMessageBox.information(self, "退回", "请写明退回原因，单位才知道要改什么。未退回。")
            return
        told = self._comment_on_latest(state, reason)
        unit = self.roster.unit(name)
        old = unit.status, unit.status_at, unit.note
        unit.note = reason
        self.roster.set_status(name, Status.RETURNED)
        if not self._save_roster():
            unit.status, unit.status_at, unit.note = old
        self.refresh()
        self.statusBar().showMessage(f"已退回「{name}」。{told}", 12000)

    def _comment_on_latest(self, state, reason: str) -> str:
        """Put the reason into the unit's latest draft as a 批注; what happened, in one sentence."""
        latest = state.latest
        if latest is None:
            return "该单位尚未报送文件，退回原因记在名单中。"
        if latest.path.suffix.lower() != draft.EXTENSION:
            return f"「{latest.path.name}」不是年报草稿，无法写入批注；退回原因记在名单中，请另行告知该单位。"
        author = self.main_window.reviewer_name(ask=False) or "上级"
        try:
            report = draft.load(latest.path)
            report.comments.append(Comment(location={}, text=reason, author=author))
            draft.save(report, latest.path)
        except (ReportFileError, OSError, ValueError) as e:
            reason_text = os_reason(e, writing=True) if isinstance(e, OSError) else e
            QMessageBox.warning(self, "退回", f"无法把退回原因写入「{latest.path.name}」：{reason_text}。退回原因记在名单中。")
            return ""
        return f"退回原因已作为批注写入「{latest.path.name}」，请把这份文件发回该单位。"

    def open_selected(self) -> None:
        state = self._selected_state()
        latest = state.latest if state else None
        if latest is None:
            return
        if self.main_window.confirm_discard() and self.main_window.open_path(latest.path):
            self.main_window.begin_review(self.main_window.reviewer_name())
            self.main_window.raise_()

    def match_by_hand(self) -> None:
        state, index = self._selected_state(), selected_index(self.others)
        if state is None or index is None:
            QMessageBox.information(self, "手工对应", "请在上方选中名单中的单位，在下方选中要对应的文件。")
            return
        unit = self._pending_files()[index][0]
        alias = unit.organ or unit.path.name
        self.roster.assign(alias, state.unit.name)
        self._save_roster()
        self.refresh()

    def export_status(self) -> None:
        with file_dialogs.prepared():
            name, _ = QFileDialog.getSaveFileName(self, "导出报送情况", "报送情况.xlsx", "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        today = dt.date.today()  # 年月日 outside the format: see Comment.message
        title = f"{today:%Y}年{today:%m}月{today:%d}日政府信息公开工作年度报告报送情况"
        try:
            write_status_xlsx(self.result, Path(name), title)
        except (OSError, ReportFileError) as e:
            reason = os_reason(e, writing=True) if isinstance(e, OSError) else e
            QMessageBox.critical(self, "导出失败", f"无法写入「{Path(name).name}」：{reason}")
            return
        self.statusBar().showMessage(f"已导出到「{name}」", 8000)
