"""The status bar's three fields: the self-check's counts, the publication deadline, and the file's state."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QStatusBar

from core.findings import Severity

from .document import ReportDocument


class StatusFields:
    def __init__(self, bar: QStatusBar):
        self.counts = QLabel(objectName="status_counts")
        self.deadline = QLabel(objectName="status_deadline")
        self.saved = QLabel(objectName="status_saved")
        for label in (self.counts, self.deadline, self.saved):
            bar.addPermanentWidget(label)

    def widgets(self) -> tuple[QLabel, ...]:
        return self.counts, self.deadline, self.saved

    def show_file_state(self, doc: ReportDocument) -> None:
        self.saved.setText("有未保存的修改" if doc.modified else ("已保存" if doc.path else "未保存"))

    def show_findings(self, doc: ReportDocument, today: dt.date | None = None) -> None:
        due = doc.report.meta.effective_deadline
        when = f"{due.year}年{due.month}月{due.day}日"
        if not doc.started or not doc.checked:
            # A new empty report: nothing is wrong yet, the clerk has not begun. Or the first check is still
            # to come, on the turn after the first paint.
            self.counts.setText("开始填写" if not doc.started else "正在自检……")
            self.counts.setToolTip("填写后，自检会随时指出需要改正的地方" if not doc.started else "")
            self.deadline.setText(f"公开期限：{when}")
            return
        counts = doc.counts()
        self.counts.setText("  ".join(f"{s.label} {counts[s]}" for s in Severity))
        days = (due - (today or dt.date.today())).days
        self.deadline.setText(f"距公开期限（{when}）还有 {days} 天" if days >= 0 else f"已过公开期限（{when}）")
        ready = counts[Severity.ERROR] == 0
        self.counts.setToolTip("没有错误，报告可以导出发布" if ready else "还有错误，改正后才能导出正式文本")

    def autosaved(self, at: str) -> None:
        self.saved.setText(f"已自动备份 {at}")
        self.saved.setToolTip("")
        self._mark_failed(False)

    def autosave_failed(self, reason: str) -> None:
        self.saved.setText("自动备份失败")
        self.saved.setToolTip(reason)
        self._mark_failed(True)

    def _mark_failed(self, failed: bool) -> None:
        self.saved.setProperty("failed", failed)
        self.saved.style().unpolish(self.saved)  # a dynamic property restyles only when polished again
        self.saved.style().polish(self.saved)
