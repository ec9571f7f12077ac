"""The authoring window: navigation, one page per part, the 自检 panel, files, autosave, last year's report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow,
                               QInputDialog, QMessageBox, QStackedWidget, QStyle, QWidget)

from core import draft, files
from core import operations as ops
from core import layout as L
from core.errors import ReportFileError, os_reason
from core.findings import Finding, Location, Severity, describe_location
from core.model import Report

from . import batch_check, dialogs, file_dialogs, import_review, paths, resources
from .autosave import Autosaver, recoverable
from .document import ReportDocument
from .draft_lock import DraftLock, holder_of
from .findings_panel import FindingsPanel
from .page_stack import PageStack, report_pages
from .pages import Page, TablePage
from .screen_fit import fit_to_screen
from .table_view import minimum_width

APP_NAME = "政务公开年报助手"
RECENT_MAX = 8
RECOVER, LATER, DELETE = "恢复", "以后再说", "删除备份"


class MainWindow(QMainWindow):
    def __init__(self, report: Report | None = None, path: Path | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowIcon(resources.icon("nianbao"))
        self.settings = paths.settings()
        self.autosaver = Autosaver(paths.recovery_dir(), self)
        self.autosaver.saved.connect(self._autosaved)
        self.autosaver.failed.connect(self._autosave_failed)

        self.nav = QListWidget()
        self.nav.setObjectName("nav_list")
        self.nav.setFixedWidth(self.nav.fontMetrics().horizontalAdvance("五、问题及改进") + 48)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.page_stack = PageStack(self.nav, self.pages, self)
        self.page_stack.pageBuilt.connect(self._page_built)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status_counts = QLabel()
        self.status_counts.setObjectName("status_counts")
        self.status_deadline = QLabel()
        self.status_deadline.setObjectName("status_deadline")
        self.status_saved = QLabel()
        self.status_saved.setObjectName("status_saved")
        for w in (self.status_counts, self.status_deadline, self.status_saved):
            self.statusBar().addPermanentWidget(w)

        self.document: ReportDocument | None = None
        self._lock: DraftLock | None = None
        self._painted = False
        self.panel: FindingsPanel | None = None
        self._build_actions()
        self.set_document(ReportDocument(report or Report.new("", dialogs.default_report_year()), path))
        from .zoom import Zoom

        self.zoom = Zoom(self, self.view_menu)  # after the pages and the panel it scales exist
        fit_to_screen(self, 1366, 768)
        self.fit_panel()

    # -- document -----------------------------------------------------------------------------

    def set_document(self, document: ReportDocument) -> None:
        old = self.document
        if self._on_screen() and not document.checked:
            document.recheck()
        self.document = document
        document.setParent(self)
        self.page_stack.set_pages(report_pages(document), 0 if not document.report.meta.organ else 1)

        if self.panel is None:
            self.panel = FindingsPanel(document, self)
            self.panel.findingActivated.connect(self.show_finding)
            self.panel.fillBlanks.connect(self._fill_blanks_of)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
            self.panel.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 14)

        else:
            self.panel.set_document(document)

        self.review_action.setChecked(bool(document.reviewer))
        document.findingsChanged.connect(self._update_status)
        document.stateChanged.connect(self._update_title)
        document.stateChanged.connect(self._update_status)
        document.metaChanged.connect(self._update_title)
        self.undo_action.setEnabled(False)
        self._bind_undo(document)
        self.autosaver.watch(document)
        self._update_title()
        self._update_status()
        self._restore_previous_link()
        if self._on_screen():
            self.page_stack.build_rest_soon()
        if old is not None:
            old.deleteLater()

    def _page_built(self, page: Page) -> None:
        page.message.connect(self.show_message)
        if getattr(self, "zoom", None) is not None and self.zoom.level != 100:
            self.zoom.apply_to(page)  # at the clerk's size; still unplaced, so each widget's own size is its normal one

    def _bind_undo(self, document: ReportDocument) -> None:
        stack = document.undo_stack
        for action, signal, enabled in ((self.undo_action, stack.canUndoChanged, stack.canUndo),
                                        (self.redo_action, stack.canRedoChanged, stack.canRedo)):
            action.setEnabled(enabled())
            signal.connect(action.setEnabled)

    def page(self, key: str) -> Page:
        return self.page_stack.page(key)

    def go_to(self, key: str) -> Page:
        return self.page_stack.go_to(key)

    def show_finding(self, finding: Finding) -> None:
        loc = finding.location
        key = loc.part or ("meta" if finding.rule.startswith("META") else "overview")
        page = self.go_to(key if key in self.page_stack.keys() else "meta")
        page.show_location(loc)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- status -------------------------------------------------------------------------------

    def _update_title(self) -> None:
        doc = self.document
        self._hold_lock()  # the path changes on open, save as and restore
        name = doc.path.name if doc.path else (doc.report.meta.standard_title if doc.report.meta.organ else "未命名")
        imported = "（导入，尚未保存为草稿）" if doc.path is None and doc.report.imported else ""
        review = "（审核模式）" if doc.reviewer else ""
        self.setWindowTitle(f"{name}{imported}{review}[*] - {APP_NAME}")
        self.setWindowModified(doc.modified)
        self.status_saved.setText("有未保存的修改" if doc.modified else ("已保存" if doc.path else "未保存"))

    def _update_status(self) -> None:
        doc = self.document
        due = doc.report.meta.effective_deadline
        when = f"{due.year}年{due.month}月{due.day}日"
        if not doc.started:  # a new empty report: nothing is wrong yet, the clerk has not begun
            self.status_counts.setText("开始填写")
            self.status_counts.setToolTip("填写后，自检会随时指出需要改正的地方")
            self.status_deadline.setText(f"公开期限：{when}")
            return
        if not doc.checked:  # the first check follows the first paint
            self.status_counts.setText("正在自检……")
            self.status_counts.setToolTip("")
            self.status_deadline.setText(f"公开期限：{when}")
            return
        counts = doc.counts()
        self.status_counts.setText("  ".join(f"{s.label} {counts[s]}" for s in Severity))
        days = (due - dt.date.today()).days
        self.status_deadline.setText(f"距公开期限（{when}）还有 {days} 天" if days >= 0 else f"已过公开期限（{when}）")
        ready = counts[Severity.ERROR] == 0
        self.status_counts.setToolTip("没有错误，报告可以导出发布" if ready else "还有错误，改正后才能导出正式文本")

    # -- actions ------------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
        if name:
            action.setObjectName(name)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(self._action("新建(&N)…", self.new_report, QKeySequence.StandardKey.New, "action_new"))
        file_menu.addAction(self._action("打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open, "action_open"))
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self._action("保存(&S)", self.save, QKeySequence.StandardKey.Save, "action_save"))
        file_menu.addAction(self._action("另存为(&A)…", self.save_as, QKeySequence("Ctrl+Shift+S"), "action_save_as"))
        self.file_menu = file_menu
        import_review.install(self)  # drops and 粘贴整份报告
        file_menu.addSeparator()
        file_menu.addAction(self._action("导出 Word(&W)…", lambda: self.export("docx"), QKeySequence("Ctrl+E"),
                                         "action_export_docx"))
        file_menu.addAction(self._action("导出 Excel(&X)…", lambda: self.export("xlsx"), None, "action_export_xlsx"))
        file_menu.addAction(self._action("导出 PDF(&D)…", lambda: self.export("pdf"), None, "action_export_pdf"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("打印预览(&V)…", self.print_preview, None, "action_print_preview"))
        file_menu.addAction(self._action("打印(&P)…", self.print_report, QKeySequence.StandardKey.Print,
                                         "action_print"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出(&Q)", self.close, QKeySequence("Ctrl+Q"), "action_quit"))

        edit = bar.addMenu("编辑(&E)")
        self.undo_action = self._action("撤销(&U)", lambda: self.document.undo_stack.undo(),
                                        QKeySequence.StandardKey.Undo, "action_undo")
        self.redo_action = self._action("重做(&R)", lambda: self.document.undo_stack.redo(),
                                        QKeySequence("Ctrl+Y"), "action_redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self._action("空白单元格填 0(&B)", self.fill_blanks, None, "action_fill_blanks"))

        year = bar.addMenu("上年报告(&L)")
        year.addAction(self._action("附加上年报告(&A)…", self.attach_previous, None, "action_attach_previous"))
        self.detach_action = self._action("取消附加(&D)", self.detach_previous, None, "action_detach_previous")
        year.addAction(self.detach_action)
        year.addSeparator()
        self.fill_carry_action = self._action("按上年填入「上年结转」(&C)", self.fill_carried_in, None,
                                              "action_fill_carried_in")
        self.fill_valid_action = self._action("按上年推算「现行有效件数」(&V)", self.fill_in_force, None,
                                              "action_fill_in_force")
        year.addAction(self.fill_carry_action)
        year.addAction(self.fill_valid_action)
        year.aboutToShow.connect(self._update_previous_actions)

        check = bar.addMenu("自检(&C)")
        check.addAction(self._action("下一处问题(&N)", lambda: self.panel.next_finding(), QKeySequence("F8"),
                                     "action_next_finding"))
        check.addAction(self._action("说明当前警告(&M)…", lambda: self.panel.explain_current(), QKeySequence("Ctrl+M"),
                                     "action_explain"))
        check.addAction(self._action("导入核对(&I)…", lambda: import_review.show_review(self), None,
                                     "action_import_review"))
        self.view_menu = bar.addMenu("视图(&V)")
        review = bar.addMenu("审核汇总(&R)")
        self.review_action = self._action("审核模式(&R)", self.set_review_mode, None, "action_review_mode")
        self.review_action.setCheckable(True)
        self.review_action.setToolTip("以上级审核人身份修改下级单位的草稿：每处修改在保存时记入草稿的修改记录")
        review.addAction(self.review_action)
        review.addAction(self._action("添加批注(&A)…", self.add_comment, QKeySequence("Ctrl+Shift+M"),
                                      "action_add_comment"))
        review.addAction(self._action("修改记录(&H)…", self.show_history, None, "action_history"))
        review.addAction(self._action("导出审核副本(&E)…", self.export_review_copy, None, "action_export_review"))
        review.addSeparator()
        review.addAction(self._action("汇总多个单位(&S)…", lambda: self.open_tool("CompileWindow"), None,
                                      "action_compile"))
        review.addAction(self._action("批量检查(&B)…", lambda: batch_check.show(self), None, "action_batch_check"))
        review.addAction(self._action("报送名单(&L)…", lambda: self.open_tool("RosterWindow"), None, "action_roster"))
        review.addAction(self._action("对比两个版本(&C)…", lambda: self.open_tool("CompareWindow"), None,
                                      "action_compare"))
        help_menu = bar.addMenu("帮助(&H)")
        from .guide import GuideActions

        self.guide = GuideActions(self, help_menu)
        help_menu.addAction(self._action("关于(&A)", lambda: dialogs.about(self), None, "action_about"))

    # -- review (supervisors) --------------------------------------------------------------------

    def reviewer_name(self, ask: bool = True) -> str | None:
        name = str(self.settings.value("reviewer_name", "") or "")
        if name or not ask:
            return name or None
        name, ok = QInputDialog.getText(self, "审核人", "审核单位或审核人（写入批注和修改记录）：", text="上级政务公开办")
        if not ok or not name.strip():
            return None
        self.settings.setValue("reviewer_name", name.strip())
        return name.strip()

    def set_review_mode(self) -> None:
        self.begin_review(self.reviewer_name() if self.review_action.isChecked() else None)

    def begin_review(self, name: str | None) -> None:
        """Edit the open draft as reviewer ``name`` (None: as the unit itself)."""
        self.document.reviewer = name
        self.review_action.setChecked(bool(name))
        if name:
            self.show_message(f"审核模式：以「{name}」的身份修改，保存时每处修改记入修改记录")
        self._update_title()

    def add_comment(self) -> None:
        author = self.document.reviewer or self.reviewer_name()
        if not author:
            return
        location = self.pages.currentWidget().current_location()
        where = describe_location(Location(**location))
        text, ok = QInputDialog.getMultiLineText(self, "添加批注", f"批注位置：{where}\n\n批注内容：")
        if ok and text.strip():
            self.document.add_comment(location, text, author)
            self.show_message(f"已在{where}添加批注；保存后把草稿退回给单位")

    def export_review_copy(self) -> None:
        """审核副本: comments and history, never to publish. Printing loads on first use, not at start."""
        from .printing import export_review_copy

        export_review_copy(self)

    def show_history(self) -> None:
        dialogs.history(self, self.document.report)

    def open_tool(self, name: str) -> None:
        """One of the supervisor windows (汇总, 报送名单, 对比); loaded on first use, as clerks rarely need them."""
        from . import supervise

        window = getattr(supervise, name)(self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    def fit_panel(self) -> None:
        """The 自检 panel takes a quarter of the window, less on a small screen (1366×768 at 150 %) so that the
        widest table fits beside it with its 总计 column in view."""
        self.panel.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 14)
        widest = self._widest_table()
        margins = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent) + 48
        room = self.width() - self.nav.width() - widest - margins
        width = max(self.panel.minimumWidth(), min(320, self.width() // 4, room))
        self.resizeDocks([self.panel], [width], Qt.Orientation.Horizontal)

    def _on_screen(self) -> bool:
        """Shown already: a report opened now is checked at once. Before the first show, the check and
        the pages not on screen wait for the first paint, so that start-up shows the form sooner."""
        return self._painted or self.isVisible()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # The rules and the pages not on screen load once the form is on screen.
            self.document.check_soon()
            self.page_stack.build_rest_soon()

    def _widest_table(self) -> int:
        """The widest table's minimum width: from the tables when they are built, else from their layouts."""
        tables = [p.table for p in self.page_stack.built() if isinstance(p, TablePage)]
        if len(tables) == len(L.TABLE_BY_PART):
            return max(t.minimumWidth() for t in tables)
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * (self.zoom.level if getattr(self, "zoom", None) else 100) / 100)
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        return max(minimum_width(t, QFontMetrics(font), frame) for t in L.TABLE_BY_PART.values())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_panel_fitted", False):
            self._panel_fitted = True
            self.fit_panel()  # once the window has its final size; Qt settles the dock's size on the first show
        if self.panel is not None and self.panel.toggleViewAction() not in self.view_menu.actions():
            action = self.panel.toggleViewAction()
            action.setText("自检面板(&S)")
            action.setShortcut(QKeySequence("F9"))
            self.view_menu.addAction(action)

    # -- files --------------------------------------------------------------------------------

    def confirm_discard(self) -> bool:
        """True when the current report may be replaced (saved, discarded, or unchanged)."""
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self, APP_NAME, "当前报告有未保存的修改，是否保存？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_report(self) -> None:
        if not self.confirm_discard():
            return
        dialog = dialogs.NewReportDialog(self)
        if dialog.exec():
            self.autosaver.discard()
            self.set_document(ReportDocument(dialog.report()))
            self.go_to("overview")

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        start = self.settings.value("last_folder", str(Path.home()))
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "打开报告", start, files.open_filter())
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        try:
            report = files.read_report(path)
        except ReportFileError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return False
        self.settings.setValue("last_folder", str(path.parent))
        is_draft = path.suffix.lower() == draft.EXTENSION
        if is_draft and not self._may_open_in_use(path):
            return False
        self.autosaver.discard()
        self.set_document(ReportDocument(report, path if is_draft else None))
        self._remember_recent(path)
        if not is_draft:
            notes = len(report.imported.notes) if report.imported else 0
            self.show_message(f"已导入「{path.name}」" + (f"，有 {notes} 条导入提示，见自检面板" if notes else "")
                              + "。请「另存为」年报草稿")
            import_review.after_import(self, path)
        return True

    def _may_open_in_use(self, path: Path) -> bool:
        """Warn when the draft is open in another window or on another computer; the clerk decides."""
        if self._lock is not None and self._lock.draft == path and self._lock.held:
            return True  # this window's own draft, opened again
        holder = holder_of(path)
        if holder is None:
            return True
        answer = QMessageBox.question(
            self, "草稿已被打开",
            f"「{path.name}」正在另一个窗口中编辑（{holder}）。\n\n两处同时修改，后保存的会覆盖先保存的。"
            f"建议先在那里保存并关闭。仍要打开吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _hold_lock(self) -> None:
        """Keep a lock beside the draft this window edits (none for an import or a new report)."""
        path = self.document.path if self.document else None
        if self._lock is not None and self._lock.draft == path:
            return
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if path is not None:
            lock = DraftLock(path)
            if lock.acquire():
                self._lock = lock

    def save(self) -> bool:
        doc = self.document
        if doc.path is None or doc.path.suffix.lower() != draft.EXTENSION:
            return self.save_as()
        return self._write(doc.path)

    def save_as(self) -> bool:
        doc = self.document
        folder = Path(self.settings.value("last_folder", str(Path.home())))
        suggested = doc.path or folder / (doc.report.meta.standard_title + draft.EXTENSION)
        with file_dialogs.prepared():
            name, _ = QFileDialog.getSaveFileName(self, "另存为", str(suggested), f"年报草稿 (*{draft.EXTENSION})")
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != draft.EXTENSION:
            path = path.with_name(path.name + draft.EXTENSION)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        history = self.document.report.history
        kept = len(history)
        recorded = self.document.record_review()
        try:
            try:
                draft.save(self.document.report, path)
            except draft.ReadOnlyDraftError as e:
                buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                if QMessageBox.question(self, "只读文件", str(e), buttons) != QMessageBox.StandardButton.Yes:
                    del history[kept:]
                    return False
                draft.save(self.document.report, path, overwrite_read_only=True)
        except ReportFileError as e:
            del history[kept:]  # recorded again with the next save
            if self.autosaver.save_now():
                kept_note = "修改仍在窗口中，并已自动备份，可换一个位置另存。"
            else:
                kept_note = "修改仍在窗口中，但自动备份也未能写入，请立即换一个位置（如另一个磁盘或 U 盘）另存，不要关闭程序。"
            QMessageBox.critical(self, "保存失败", f"{e}\n\n{kept_note}")
            return False
        self.document.mark_saved(path)
        self.autosaver.discard()
        self.settings.setValue("last_folder", str(path.parent))
        self._remember_recent(path)
        self._remember_previous_link()
        self.show_message(f"已保存到「{path}」" + (f"，审核修改 {recorded} 处已记入修改记录" if recorded else ""))
        return True

    def recent_paths(self) -> list[str]:
        """最近打开, newest first. An INI file gives back a one-item list as a bare string."""
        recent = self.settings.value("recent", []) or []
        if isinstance(recent, str):
            recent = [recent]
        return [str(p) for p in recent if p and len(str(p)) > 1][:RECENT_MAX]

    def _remember_recent(self, path: Path) -> None:
        recent = [p for p in self.recent_paths() if p != str(path)]
        self.settings.setValue("recent", ([str(path)] + recent)[:RECENT_MAX])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_paths()
        names = [Path(n).name for n in recent]
        for i, name in enumerate(recent, 1):
            shown = Path(name).name
            if names.count(shown) > 1:  # same file name in two folders: say which folder
                shown = f"{shown}（{Path(name).parent.name or Path(name).parent}）"
            action = self.recent_menu.addAction(f"&{i} {shown}")
            action.setToolTip(name)
            action.triggered.connect(lambda _c=False, n=name: self.confirm_discard() and self.open_path(Path(n)))
        if not recent:
            self.recent_menu.addAction("（无）").setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm_discard():
            self.autosaver.close()
            if self._lock is not None:
                self._lock.release()
            event.accept()
        else:
            event.ignore()

    def _autosaved(self, at: str) -> None:
        self.status_saved.setText(f"已自动备份 {at}")
        self.status_saved.setToolTip("")
        self._mark_autosave(False)

    def _mark_autosave(self, failed: bool) -> None:
        self.status_saved.setProperty("failed", failed)
        self.status_saved.style().unpolish(self.status_saved)  # a dynamic property restyles only when polished again
        self.status_saved.style().polish(self.status_saved)

    def _autosave_failed(self, reason: str) -> None:
        self.status_saved.setText("自动备份失败")
        self.status_saved.setToolTip(reason)
        self._mark_autosave(True)
        self.show_message(f"自动备份失败：{reason}。程序意外关闭将丢失未保存的修改，请尽快保存。")

    def offer_recovery(self, only: Path | None = None) -> None:
        """After a crash, offer to restore what the last session autosaved (``only``: of that file)."""
        for rec in recoverable(paths.recovery_dir()):
            if only is not None and not (rec.original and _same_file(rec.original, only)):
                continue
            answer = dialogs.choose(
                self, "恢复未保存的报告",
                f"上次程序意外关闭，「{rec.title}」有 {rec.saved_at} 自动备份的未保存修改。\n\n"
                f"「以后再说」保留这份备份，下次启动时再问；「删除备份」后这些修改将无法找回。",
                [RECOVER, LATER, DELETE], RECOVER, LATER)
            if answer == RECOVER:
                if self.restore(rec):
                    return
            elif answer == DELETE:
                rec.discard()

    def restore(self, rec) -> bool:
        try:
            report = rec.load()
        except ReportFileError as e:
            QMessageBox.warning(self, "无法恢复", str(e))
            return False
        document = ReportDocument(report, rec.original)
        self.set_document(document)
        # Restored edits are unsaved until the clerk saves them.
        document.undo_stack.resetClean()
        rec.discard()
        self.autosaver.save_now()
        self.show_message("已恢复上次未保存的修改，请及时保存")
        return True

    # -- edits --------------------------------------------------------------------------------

    def fill_blanks(self) -> None:
        count = self.document.fill_blanks()
        self.show_message(f"已将 {count} 个空白单元格填为 0" if count else "没有空白单元格")

    def _fill_blanks_of(self, table: str) -> None:
        count = self.document.fill_blanks(table)
        self.show_message(f"已将{L.TABLE_BY_KEY[table].name}的 {count} 个空白单元格填为 0")

    # -- last year's report -------------------------------------------------------------------

    def attach_previous(self) -> None:
        start = self.settings.value("last_folder", str(Path.home()))
        with file_dialogs.prepared():
            name, _ = QFileDialog.getOpenFileName(self, "附加上年报告", start, files.open_filter())
        if name:
            self.attach_previous_path(Path(name))

    def attach_previous_path(self, path: Path) -> bool:
        try:
            previous = files.read_report(path)
        except ReportFileError as e:
            QMessageBox.warning(self, "无法附加上年报告", str(e))
            return False
        if previous.meta.year != self.document.report.meta.year - 1:
            QMessageBox.information(self, "附加上年报告",
                                    f"所选报告是 {previous.meta.year} 年度的，本报告是 {self.document.report.meta.year} "
                                    f"年度的。仍按上年报告附加，跨年度检查将与它比较。")
        self.document.set_previous(previous, path)
        self._remember_previous_link()
        self.show_message(f"已附加上年报告「{path.name}」，已按上年数据检查结转数、现行有效件数和文字雷同")
        return True

    def detach_previous(self) -> None:
        self.document.set_previous(None)
        self._remember_previous_link()

    def _update_previous_actions(self) -> None:
        has = self.document.previous is not None
        for action in (self.detach_action, self.fill_carry_action, self.fill_valid_action):
            action.setEnabled(has)

    def _remember_previous_link(self) -> None:
        doc = self.document
        if doc.path is not None:
            key = "previous/" + str(doc.path).replace("/", "|").replace("\\", "|")
            self.settings.setValue(key, str(doc.previous_path) if doc.previous_path else "")

    def _restore_previous_link(self) -> None:
        doc = self.document
        if doc.path is None:
            return
        linked = self.settings.value("previous/" + str(doc.path).replace("/", "|").replace("\\", "|"), "")
        if linked and Path(linked).exists():
            try:
                doc.set_previous(files.read_report(Path(linked)), Path(linked), check=self._on_screen())
            except ReportFileError:
                self.show_message(f"上年报告「{Path(linked).name}」无法读取，未附加")

    def fill_carried_in(self) -> None:
        prev = self.document.previous
        if prev is None:
            return
        edit = ops.fill_carried_in(self.document.report, prev)
        if edit.skipped:
            QMessageBox.information(self, APP_NAME, "上年报告的「结转下年度继续办理」有空白，无法全部填入。")
        self.document.push(edit)
        self.go_to("requests").table.select_line("carried_in", None)
        self.show_message("已按上年「结转下年度继续办理」填入本年「上年结转」")

    def fill_in_force(self) -> None:
        prev = self.document.previous
        if prev is None:
            return
        edit = ops.fill_in_force(self.document.report, prev)
        self.document.push(edit)
        if edit.skipped:
            QMessageBox.information(self, APP_NAME, f"「{'」「'.join(edit.skipped)}」的本年制发、废止件数或上年现行有效件数"
                                                   f"尚未填写，未推算。")
        self.go_to("proactive")
        self.show_message("已按「上年现行有效 + 本年制发 − 本年废止」填入现行有效件数，如有失效、清理请自行修改")

    # -- export and print -----------------------------------------------------------------------

    EXPORTS = {"docx": ("导出 Word", "Word 文档 (*.docx)"), "xlsx": ("导出 Excel", "Excel 工作簿 (*.xlsx)"),
               "pdf": ("导出 PDF", "PDF 文件 (*.pdf)")}

    def final_or_draft(self, action: str) -> bool | None:
        """False for a final output, True for a 征求意见稿, None when the clerk cancels.

        错误 never block saving a draft file, only the publishable output, and the clerk is told which.
        """
        errors = [f for f in self.document.findings if f.severity is Severity.ERROR]
        if not errors:
            return False
        listed = "\n".join(f"· {f.message}" for f in errors[:8]) + ("\n……" if len(errors) > 8 else "")
        return dialogs.ask_draft(self, action, f"报告还有 {len(errors)} 处错误，不能{action}正式文本：\n\n{listed}\n\n"
                                 f"可以先{action}「征求意见稿」（每页标明尚有错误）送审，改正后再{action}正式文本。")

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        title, pattern = self.EXPORTS[kind]
        draft_copy = False if kind == "xlsx" else self.final_or_draft(title)
        if draft_copy is None:
            return None
        if path is None:
            folder = Path(self.settings.value("last_folder", str(Path.home())))
            suffix = "（征求意见稿）" if draft_copy else ""
            suggested = folder / f"{self.document.report.meta.display_title}{suffix}.{kind}"
            with file_dialogs.prepared():
                name, _ = QFileDialog.getSaveFileName(self, title, str(suggested), pattern)
            if not name:
                return None
            path = Path(name)
            if path.suffix.lower() != "." + kind:
                path = path.with_name(path.name + "." + kind)
        report = self.document.report
        errors = sum(1 for f in self.document.findings if f.severity is Severity.ERROR)
        try:
            if kind == "docx":
                from core.export.docx import write_docx

                write_docx(report, path, draft=draft_copy, errors=errors)
            elif kind == "xlsx":
                from core.export.xlsx import write_xlsx

                write_xlsx(report, path, self.document.findings)
            else:
                from .printing import write_pdf

                write_pdf(report, path, draft=draft_copy, errors=errors)
        except ReportFileError as e:  # written to a temporary file first: the previous file is intact
            QMessageBox.critical(self, title, str(e))
            return None
        except OSError as e:
            QMessageBox.critical(self, title, f"无法写入「{path}」：{os_reason(e, writing=True)}")
            return None
        self.settings.setValue("last_folder", str(path.parent))
        self.show_message(f"已{title}{'（征求意见稿）' if draft_copy else ''}：{path}")
        return path

    def print_preview(self) -> None:
        draft_copy = self.final_or_draft("打印")
        if draft_copy is None:
            return
        from core.export import Options

        from .printing import preview

        preview(self, self.document.report, Options(draft=draft_copy))

    def print_report(self) -> None:
        draft_copy = self.final_or_draft("打印")
        if draft_copy is None:
            return
        from core.export import Options

        from .printing import print_report

        if print_report(self, self.document.report, Options(draft=draft_copy)):
            self.show_message("已发送到打印机")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
