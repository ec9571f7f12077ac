"""The command line: ``nianbao check``, ``nianbao new`` and ``nianbao rules``.

Exit status: 0 when no 错误 was found, 1 when any 错误 exists, 2 when a file could not be read or
written, or the command was used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import sys
from pathlib import Path

from . import draft, files, supervise_cli
from .imports import scan_cli
from .errors import ReportFileError, os_reason
from .findings import Severity, count_by_severity, describe_location
from .model import Level, OrganKind, Report
from .rules import RULES, check
from .version import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; say it in Chinese
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数有误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nianbao", description="政务公开年报助手：政府信息公开工作年度报告的自检与转换")
    p.add_argument("--version", action="version", version=f"政务公开年报助手 {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="命令")

    c = sub.add_parser("check", help="检查一个或多个报告文件或文件夹（草稿、Word、Excel、PDF、网页、文字稿）")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE", help="报告文件，或包含报告的文件夹")
    c.add_argument("--previous", type=Path, metavar="FILE", help="上年报告，用于跨年度检查")
    c.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    c.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="按指定日期计算公开期限")
    c.add_argument("--summary", type=Path, metavar="OUT.xlsx", help="把每个文件一行的检查汇总写入 Excel 工作簿")

    n = sub.add_parser("new", help="新建一份空白报告草稿")
    n.add_argument("--organ", required=True, help="机关全称")
    n.add_argument("--year", type=int, default=dt.date.today().year - 1, help="报告年度（默认上一年）")
    n.add_argument("--kind", choices=[k.value for k in OrganKind], default=OrganKind.DEPARTMENT.value)
    n.add_argument("--level", choices=[lv.value for lv in Level], default=Level.COUNTY.value)
    n.add_argument("-o", "--output", type=Path, help="草稿文件名（默认按标题命名）")

    e = sub.add_parser("export", help="导出 Word、Excel 或 PDF")
    e.add_argument("file", type=Path, metavar="FILE", help="草稿或其他可读取的报告文件")
    e.add_argument("--docx", type=Path, metavar="OUT", help="导出 Word 文档")
    e.add_argument("--xlsx", type=Path, metavar="OUT", help="导出 Excel 工作簿（含自检表）")
    e.add_argument("--pdf", type=Path, metavar="OUT", help="导出 PDF")
    e.add_argument("--draft", action="store_true", help="尚有错误时仍导出，并标明「征求意见稿」")
    e.add_argument("--fee-places", action="store_true", help="收费金额表头写「保留4位小数」")
    e.add_argument("--review", action="store_true",
                   help="导出审核副本：附审核意见和修改记录，每页标明「审核副本」，仅供内部审核，不得公开")

    v = sub.add_parser("convert", help="按扩展名转换：草稿、Word、Excel、PDF、文字稿")
    v.add_argument("input", type=Path, metavar="IN")
    v.add_argument("output", type=Path, metavar="OUT")

    sub.add_parser("rules", help="列出全部检查规则")
    supervise_cli.add_commands(sub)
    scan_cli.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen build's compile workers start here, run, and exit
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a GBK console must not crash on a rare character
    args = build_parser().parse_args(argv)
    try:
        commands = {"check": _check, "new": _new, "rules": _rules, "export": _export, "convert": _convert,
                    **supervise_cli.COMMANDS, **scan_cli.COMMANDS}
        return commands[args.command](args)
    except ReportFileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2


def _check(args) -> int:
    from . import batch

    previous = files.read_report(args.previous) if args.previous else None
    many = len(args.files) > 1 or any(p.is_dir() for p in args.files)
    if args.summary is not None and args.summary.suffix.lower() != ".xlsx":
        print("错误：--summary 应为 .xlsx 文件", file=sys.stderr)
        return 2

    def progress(done: int, total: int, path: Path) -> None:
        if total > 1:
            end = "\n" if done == total else "\r"
            print(f"\r已检查 {done}/{total}" + (f"：{path.name}" if done < total else "") + " " * 10,
                  end=end, file=sys.stderr, flush=True)

    checked = batch.check_files(args.files, previous, args.today, progress if many else None)
    if not checked:
        print("错误：没有找到可检查的报告文件", file=sys.stderr)
        return 2
    if not many and checked[0].report is None:
        raise ReportFileError(checked[0].error or "")  # one file: an unreadable one is the command's error
    worst = 0
    results = []
    for item in checked:
        if item.report is None:
            print(f"错误：{item.error}", file=sys.stderr)
            worst = 2
            continue
        results.append((item.path, item.report, item.findings))
        if item.count(Severity.ERROR):
            worst = max(worst, 1)
    if args.format == "json":
        if not many and results:
            payload = [f.as_dict() for f in results[0][2]]
        else:
            payload = [{"file": str(p), "findings": [f.as_dict() for f in fs]} for p, _, fs in results]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        for path, report, findings in results:
            _print_text(path, report, findings)
    if args.summary is not None:
        try:
            batch.write_summary(checked, args.summary)
        except OSError as e:
            print(f"错误：无法写入「{args.summary}」：{os_reason(e, writing=True)}", file=sys.stderr)
            return 2
        print(f"已写入检查汇总：{args.summary}（{len(checked)} 个文件）", file=sys.stderr)
    return worst


def _print_text(path: Path, report: Report, findings) -> None:
    counts = count_by_severity(findings)
    print(f"{report.meta.display_title}（{path.name}）")
    print("  " + " · ".join(f"{s.label} {counts[s]}" for s in Severity))
    for f in findings:
        where = describe_location(f.location)
        print(f"  [{f.severity.label}] {f.rule} {f.message}" + (f"（位置：{where}）" if where else ""))
        if f.explanation:
            print(f"      说明：{f.explanation}")
    if not counts[Severity.ERROR]:
        print("  没有错误。")


def _new(args) -> int:
    report = Report.new(args.organ, args.year, OrganKind(args.kind), Level(args.level))
    out = args.output or Path(report.meta.standard_title + draft.EXTENSION)
    if out.exists():
        print(f"错误：「{out}」已存在，未覆盖", file=sys.stderr)
        return 2
    draft.save(report, out)
    print(f"已新建草稿「{out}」")
    return 0


def _export(args) -> int:
    from .export import Options, blocking_findings

    if not (args.docx or args.xlsx or args.pdf):
        print("错误：请指定 --docx、--xlsx 或 --pdf 中的至少一项", file=sys.stderr)
        return 2
    report = files.read_report(args.file)
    errors = blocking_findings(report)
    if errors and not args.draft and (args.docx or args.pdf):
        print(f"无法导出正式文本：「{report.meta.display_title}」尚有 {len(errors)} 处错误：", file=sys.stderr)
        for f in errors:
            where = describe_location(f.location)
            print(f"  [{f.rule}] {f.message}" + (f"（位置：{where}）" if where else ""), file=sys.stderr)
        print("改正后再导出；如需先送审，可加 --draft 导出「征求意见稿」。", file=sys.stderr)
        return 1
    options = Options(fee_header_places=args.fee_places, draft=bool(errors) and args.draft, review=args.review)
    what = "（审核副本）" if args.review else ""
    failed = False
    # Each file is written to a temporary file, checked and renamed over the target: a failure leaves the
    # previous file as it was, is said in Chinese, and makes the exit status 2 (not "the report has 错误").
    for target, label, write in ((args.docx, "Word", _write_docx), (args.xlsx, "Excel", _write_xlsx),
                                 (args.pdf, "PDF", _write_pdf)):
        if target is None:
            continue
        try:
            write(report, target, options, len(errors))
        except ReportFileError as e:
            print(f"错误：导出 {label} 失败：{e}", file=sys.stderr)
            failed = True
            continue
        print(f"已导出 {label}{what if label != 'Excel' else ''}：{target}")
    return 2 if failed else 0


def _write_docx(report: Report, path: Path, options, errors: int) -> None:
    from .export.docx import write_docx

    write_docx(report, path, options=options, errors=errors)


def _write_xlsx(report: Report, path: Path, options, errors: int) -> None:
    from .export.xlsx import write_xlsx

    write_xlsx(report, path, options=options)


def _write_pdf(report: Report, path: Path, options, errors: int) -> None:
    # The PDF is drawn by Qt in the GUI package, which registers its writer; the core never imports it.
    export = files.exporter(".pdf")
    if export is None:
        raise ReportFileError("导出 PDF 需要程序的图形界面组件，当前安装中没有")
    export(report, path, options=options, errors=errors)


def _convert(args) -> int:
    report = files.read_report(args.input)
    if args.output.exists() and args.output.resolve() == args.input.resolve():
        print("错误：输出文件与输入文件相同", file=sys.stderr)
        return 2
    files.write_report(report, args.output)
    notes = len(report.imported.notes) if report.imported else 0
    print(f"已转换：{args.input.name} → {args.output.name}" + (f"（导入提示 {notes} 条，可用 check 查看）" if notes else ""))
    return 0


def _rules(args) -> int:
    for r in RULES:
        print(f"{r.id:<16}{r.severity.label}  {r.title}（{r.clause}）")
    return 0
