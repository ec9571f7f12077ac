"""Word, Excel and PDF output, the print preview and printing: a final text, or a 征求意见稿 while errors remain.

The writers and Qt's printing load on first use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.errors import ReportFileError, os_reason
from core.findings import Severity

from . import paths

EXPORTS = {"docx": ("导出 Word", "Word 文档 (*.docx)"), "xlsx": ("导出 Excel", "Excel 工作簿 (*.xlsx)"),
           "pdf": ("导出 PDF", "PDF 文件 (*.pdf)")}


def final_or_draft(window, action: str) -> bool | None:
    """False for a final output, True for a 征求意见稿, None when the clerk cancels.

    错误 never block saving a draft file, only the publishable output, and the clerk is told which.
    """
    errors = [f for f in window.document.findings if f.severity is Severity.ERROR]
    if not errors:
        return False
    listed = "\n".join(f"· {f.message}" for f in errors[:8]) + ("\n……" if len(errors) > 8 else "")
    from .dialogs import ask_draft

    return ask_draft(window, action, f"报告还有 {len(errors)} 处错误，不能{action}正式文本：\n\n{listed}\n\n"
                     f"可以先{action}「征求意见稿」（每页标明尚有错误）送审，改正后再{action}正式文本。")


def export(window, kind: str, path: Path | None = None) -> Path | None:
    title, pattern = EXPORTS[kind]
    draft_copy = False if kind == "xlsx" else final_or_draft(window, title)
    if draft_copy is None:
        return None
    if path is None:
        folder = paths.last_folder(window.settings)
        suffix = "（征求意见稿）" if draft_copy else ""
        suggested = folder / f"{window.document.report.meta.display_title}{suffix}.{kind}"
        from .file_dialogs import prepared

        with prepared():
            name, _ = QFileDialog.getSaveFileName(window, title, str(suggested), pattern)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != "." + kind:
            path = path.with_name(path.name + "." + kind)
    report = window.document.report
    errors = sum(1 for f in window.document.findings if f.severity is Severity.ERROR)
    try:
        if kind == "docx":
            from core.export.docx import write_docx

            write_docx(report, path, draft=draft_copy, errors=errors)
        elif kind == "xlsx":
            from core.export.xlsx import write_xlsx

            write_xlsx(report, path, window.document.findings)
        else:
            from .printing import write_pdf

            write_pdf(report, path, draft=draft_copy, errors=errors)
    except ReportFileError as e:  # written to a temporary file first: the previous file is intact
        QMessageBox.critical(window, title, str(e))
        return None
    except OSError as e:
        QMessageBox.critical(window, title, f"无法写入「{path}」：{os_reason(e, writing=True)}")
        return None
    paths.remember_folder(window.settings, path)
    window.show_message(f"已{title}{'（征求意见稿）' if draft_copy else ''}：{path}")
    return path


def print_preview(window) -> None:
    draft_copy = final_or_draft(window, "打印")
    if draft_copy is None:
        return
    from core.export import Options

    from .printing import preview

    preview(window, window.document.report, Options(draft=draft_copy))


def print_report(window) -> None:
    draft_copy = final_or_draft(window, "打印")
    if draft_copy is None:
        return
    from core.export import Options

    from .printing import print_report

    if print_report(window, window.document.report, Options(draft=draft_copy)):
        window.show_message("已发送到打印机")
