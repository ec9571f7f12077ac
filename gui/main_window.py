"""The authoring window: wiring of the navigation, one page per part, the 自检 panel, the menus and the status.

What the menus do lives beside it: file_actions (文件), outputs (导出, 打印), previous_year (上年报告),
review_actions (审核汇总), recovery (after a crash), page_stack (the pages), status_bar, zoom and guide.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QApplication, QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QStyle, QWidget

from core import layout as L
from core.findings import Finding
from core.model import Report, default_report_year

from . import drops, file_actions, outputs, paths, previous_year, recovery, resources, review_actions
from .autosave import Autosaver
from .document import ReportDocument
from .draft_lock import DraftLock
from .findings_panel import FindingsPanel
from .page_stack import PageStack, report_pages
from .pages import Page, TablePage
from .screen_fit import fit_to_screen
from .status_bar import StatusFields
from .table_sizes import minimum_width

APP_NAME = file_actions.APP_NAME


class MainWindow(QMainWindow):
    def __init__(self, report: Report | None = None, path: Path | None = None):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowIcon(resources.icon("nianbao"))
        self.settings = paths.settings()
        self.status = StatusFields(self.statusBar())
        self.status_counts, self.status_deadline, self.status_saved = \
            self.status.counts, self.status.deadline, self.status.saved
        self.autosaver = Autosaver(paths.recovery_dir(), self)
        self.autosaver.saved.connect(self.status.autosaved)
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

        self.document: ReportDocument | None = None
        self._lock: DraftLock | None = None  # beside the draft this window edits (file_actions.hold_lock)
        self._lock_taken: DraftLock | None = None  # taken when opening, before it is the window's
        self._painted = False
        self.panel: FindingsPanel | None = None
        self._build_actions()
        self.set_document(ReportDocument(report or Report.new("", default_report_year()), path))
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
        previous_year.restore_link(self, check=self._on_screen())
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
        """A passing message in the status bar. Qt cuts it off where the counts begin, without a mark, so a long
        one is shortened in the middle with 「…」 and shown whole in the bar's tooltip."""
        bar = self.statusBar()
        room = bar.width() - sum(w.width() + 12 for w in self.status.widgets()) - 16
        shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, max(room, 80))
        bar.setToolTip(text if shown != text else "")
        bar.showMessage(shown, 8000)

    # -- status -------------------------------------------------------------------------------

    def _update_title(self) -> None:
        doc = self.document
        file_actions.hold_lock(self)  # the path changes on open, save as and restore
        name = doc.path.name if doc.path else (doc.report.meta.standard_title if doc.report.meta.organ else "未命名")
        imported = "（导入，尚未保存为草稿）" if doc.path is None and doc.report.imported else ""
        review = "（审核模式）" if doc.reviewer else ""
        self.setWindowTitle(f"{name}{imported}{review}[*] - {APP_NAME}")
        self.setWindowModified(doc.modified)
        self.status.show_file_state(doc)

    def _update_status(self) -> None:
        self.status.show_findings(self.document)

    def _autosave_failed(self, reason: str) -> None:
        self.status.autosave_failed(reason)
        self.show_message(f"自动备份失败：{reason}。程序意外关闭将丢失未保存的修改，请尽快保存。")

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
        file_menu.addAction(self._action("新建(&N)…", lambda: file_actions.new_report(self), QKeySequence.StandardKey.New, "action_new"))
        file_menu.addAction(self._action("打开(&O)…", lambda: file_actions.open_dialog(self), QKeySequence.StandardKey.Open, "action_open"))
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(lambda: file_actions.fill_recent(self))
        file_menu.addSeparator()
        file_menu.addAction(self._action("保存(&S)", self.save, QKeySequence.StandardKey.Save, "action_save"))
        file_menu.addAction(self._action("另存为(&A)…", self.save_as, QKeySequence("Ctrl+Shift+S"), "action_save_as"))
        self.file_menu = file_menu
        drops.install(self)  # drops and 粘贴整份报告
        file_menu.addSeparator()
        file_menu.addAction(self._action("导出 Word(&W)…", lambda: self.export("docx"), QKeySequence("Ctrl+E"),
                                         "action_export_docx"))
        file_menu.addAction(self._action("导出 Excel(&X)…", lambda: self.export("xlsx"), None, "action_export_xlsx"))
        file_menu.addAction(self._action("导出 PDF(&D)…", lambda: self.export("pdf"), None, "action_export_pdf"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("打印预览(&V)…", lambda: outputs.print_preview(self), None, "action_print_preview"))
        file_menu.addAction(self._action("打印(&P)…", lambda: outputs.print_report(self), QKeySequence.StandardKey.Print,
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
        year.addAction(self._action("附加上年报告(&A)…", lambda: previous_year.attach_previous(self), None, "action_attach_previous"))
        self.detach_action = self._action("取消附加(&D)", lambda: previous_year.detach_previous(self), None, "action_detach_previous")
        year.addAction(self.detach_action)
        year.addSeparator()
        self.fill_carry_action = self._action("按上年填入「上年结转」(&C)", self.fill_carried_in, None,
                                              "action_fill_carried_in")
        self.fill_valid_action = self._action("按上年推算「现行有效件数」(&V)", lambda: previous_year.fill_in_force(self), None,
                                              "action_fill_in_force")
        year.addAction(self.fill_carry_action)
        year.addAction(self.fill_valid_action)
        year.aboutToShow.connect(lambda: previous_year.update_actions(self))

        check = bar.addMenu("自检(&C)")
        check.addAction(self._action("下一处问题(&N)", lambda: self.panel.next_finding(), QKeySequence("F8"),
                                     "action_next_finding"))
        check.addAction(self._action("说明当前警告(&M)…", lambda: self.panel.explain_current(), QKeySequence("Ctrl+M"),
                                     "action_explain"))
        check.addAction(self._action("导入核对(&I)…", self._show_import_review, None,
                                     "action_import_review"))
        self.view_menu = bar.addMenu("视图(&V)")
        review = bar.addMenu("审核汇总(&R)")
        self.review_action = self._action("审核模式(&R)", lambda: review_actions.set_review_mode(self), None, "action_review_mode")
        self.review_action.setCheckable(True)
        self.review_action.setToolTip("以上级审核人身份修改下级单位的草稿：每处修改在保存时记入草稿的修改记录")
        review.addAction(self.review_action)
        review.addAction(self._action("添加批注(&A)…", self.add_comment, QKeySequence("Ctrl+Shift+M"),
                                      "action_add_comment"))
        review.addAction(self._action("修改记录(&H)…", self.show_history, None, "action_history"))
        review.addAction(self._action("导出审核副本(&E)…", lambda: review_actions.export_review_copy(self), None, "action_export_review"))
        review.addSeparator()
        review.addAction(self._action("汇总多个单位(&S)…", lambda: review_actions.open_tool(self, "CompileWindow"), None,
                                      "action_compile"))
        review.addAction(self._action("批量检查(&B)…", self._show_batch_check, None, "action_batch_check"))
        review.addAction(self._action("报送名单(&L)…", lambda: review_actions.open_tool(self, "RosterWindow"), None, "action_roster"))
        review.addAction(self._action("对比两个版本(&C)…", lambda: review_actions.open_tool(self, "CompareWindow"), None,
                                      "action_compare"))
        help_menu = bar.addMenu("帮助(&H)")
        from .help_menu import GuideActions

        self.guide = GuideActions(self, help_menu)
        help_menu.addAction(self._action("关于(&A)", self._show_about, None, "action_about"))

    def _show_import_review(self) -> None:
        from .import_review import show_review

        show_review(self)

    def _show_batch_check(self) -> None:
        from . import batch_check

        batch_check.show(self)

    def _show_about(self) -> None:
        from .dialogs import about

        about(self)

    # -- what the menus do, for the other windows and the tests (see the modules named) ----------

    def confirm_discard(self) -> bool:
        return file_actions.confirm_discard(self)

    def open_path(self, path: Path) -> bool:
        return file_actions.open_path(self, path)

    def save(self) -> bool:
        return file_actions.save(self)

    def save_as(self) -> bool:
        return file_actions.save_as(self)

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        return outputs.export(self, kind, path)

    def offer_recovery(self, only: Path | None = None) -> None:
        recovery.offer_recovery(self, only)

    def attach_previous_path(self, path: Path) -> bool:
        return previous_year.attach_previous_path(self, path)

    def fill_carried_in(self) -> None:
        previous_year.fill_carried_in(self)

    def reviewer_name(self, ask: bool = True) -> str | None:
        return review_actions.reviewer_name(self, ask)

    def begin_review(self, name: str | None) -> None:
        review_actions.begin_review(self, name)

    def add_comment(self) -> None:
        review_actions.add_comment(self)

    def show_history(self) -> None:
        review_actions.show_history(self)

    def fill_blanks(self) -> None:
        count = self.document.fill_blanks()
        self.show_message(f"已将 {count} 个空白单元格填为 0" if count else "没有空白单元格")

    def _fill_blanks_of(self, table: str) -> None:
        count = self.document.fill_blanks(table)
        self.show_message(f"已将{L.TABLE_BY_KEY[table].name}的 {count} 个空白单元格填为 0")

    # -- window -------------------------------------------------------------------------------

    def fit_panel(self) -> None:
        """The 自检 panel takes a quarter of the window, less on a small screen (1366×768 at 150 %) so that the
        widest table fits beside it with its 总计 column in view."""
        self.panel.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 14)
        widest = self._widest_table()
        margins = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent) + 48
        room = self.width() - self.nav.width() - widest - margins
        width = max(self.panel.minimumWidth(), min(320, self.width() // 4, room))
        self.resizeDocks([self.panel], [width], Qt.Orientation.Horizontal)

    def _widest_table(self) -> int:
        """The widest table's minimum width: from the tables when they are built, else from their layouts."""
        tables = [p.table for p in self.page_stack.built() if isinstance(p, TablePage)]
        if len(tables) == len(L.TABLE_BY_PART):
            return max(t.minimumWidth() for t in tables)
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * (self.zoom.level if getattr(self, "zoom", None) else 100) / 100)
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        return max(minimum_width(t, QFontMetrics(font), frame) for t in L.TABLE_BY_PART.values())

    def _on_screen(self) -> bool:
        """Painted already: a report opened now is checked at once. Before the first paint (at start-up, with
        the file the program was started with), the check and the pages not on screen wait for it."""
        return self._painted

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # The rules and the pages not on screen load once the form is on screen.
            self.document.check_soon()
            self.page_stack.build_rest_soon()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm_discard():
            self.autosaver.close()
            if self._lock is not None:
                self._lock.release()
            event.accept()
        else:
            event.ignore()
