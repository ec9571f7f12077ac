"""The supervisor's commands: ``nianbao compile`` (汇总) and ``nianbao diff`` (对比).

``add_commands(subparsers)`` registers both on the ``nianbao`` parser; each sub-parser carries its
handler as ``args.run`` (also listed in ``COMMANDS``), which returns the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import files
from .aggregate import Compilation, collect_files, compile_units, read_units, write_breakdown_xlsx
from .compare import compare, describe
from .errors import ReportFileError, os_reason
from .layout import TABLE_BY_KEY
from .model import Level, OrganKind
from .roster import Reconciliation, Roster, guess_region, load_roster, reconcile, write_status_xlsx

COMPILE_EPILOG = """\
退出状态：0 = 已写出汇总报告，每个文件都已读取且没有重复的机关；
1 = 已写出汇总报告，但有文件无法读取或同一机关有两份不同的报告（数字可能缺漏或重复计算，请处理后重新汇总）；
2 = 没有写出汇总报告（没有可读取的报告、名单无法读取或文件无法保存）。
有错误的单位默认计入并列出；名单中未收到报告的单位只列出，不影响退出状态。"""

DIFF_EPILOG = "退出状态：0 = 两份报告相同；1 = 有不同；2 = 文件无法读取。"


def add_commands(subparsers) -> None:
    c = subparsers.add_parser("compile", help="汇总下属单位的报告，生成汇总报告", epilog=COMPILE_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_FOLDER",
                   help="报告文件（草稿、Word、Excel、文字稿）或存放报告的文件夹（含子文件夹）")
    c.add_argument("-o", "--output", required=True, type=Path, metavar="SUMMARY", help="汇总报告（按扩展名保存）")
    c.add_argument("--organ", help="汇总机关名称（默认按名单或各单位名称推定为「××县人民政府」）")
    c.add_argument("--kind", choices=[k.value for k in OrganKind], default=OrganKind.GOVERNMENT.value,
                   help="汇总机关类别（默认本级人民政府）")
    c.add_argument("--level", choices=[lv.value for lv in Level], default=Level.COUNTY.value,
                   help="汇总机关行政层级（默认县）")
    c.add_argument("--year", type=int, help="报告年度（默认取多数单位的年度）")
    c.add_argument("--roster", type=Path, metavar="ROSTER", help="下属单位名单（.xlsx 或 .json），列出未收到的单位")
    c.add_argument("--status", type=Path, metavar="OUT.xlsx", help="导出报送情况表（需 --roster）")
    c.add_argument("--breakdown", type=Path, metavar="OUT.xlsx", help="导出各单位明细（每格各单位的数字）")
    c.add_argument("--exclude-errors", action="store_true", help="有错误的单位不计入汇总")
    c.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="按指定日期自检各单位")
    c.set_defaults(run=run_compile)

    d = subparsers.add_parser("diff", help="对比同一单位的两份报告（退回前后或上年与本年）", epilog=DIFF_EPILOG)
    d.add_argument("old", type=Path, metavar="A", help="原来的（或上年的）报告")
    d.add_argument("new", type=Path, metavar="B", help="新的（或本年的）报告")
    d.set_defaults(run=run_diff)


# -- compile ----------------------------------------------------------------------------------


def run_compile(args) -> int:
    if args.status and not args.roster:
        print("错误：导出报送情况表需要同时指定 --roster", file=sys.stderr)
        return 2
    try:
        roster = load_roster(args.roster) if args.roster else None
    except ReportFileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    written = [p for p in (args.output, args.breakdown, args.status, args.roster) if p]
    # Each unit is read, checked and reduced to its figures and counts (the report is not kept), on every
    # core when there are many; the order is the files' order whatever the number of processes.
    units = read_units(collect_files(args.inputs, ignore=written), args.today, keep_findings=False, workers=None)
    if not any(u.readable for u in units):
        _print_unreadable(units)
        print("错误：没有可以汇总的报告", file=sys.stderr)
        return 2
    organ = args.organ if args.organ is not None else _guess_organ(roster, units)
    result = compile_units(units, organ, args.year, OrganKind(args.kind), Level(args.level), args.exclude_errors)
    try:
        files.write_report(result.summary, args.output)
        if args.breakdown:
            write_breakdown_xlsx(result, args.breakdown)
        checked = reconcile(roster, units) if roster else None
        if checked and args.status:
            write_status_xlsx(checked, args.status, _status_title(roster, result))
    except ReportFileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except OSError as e:  # openpyxl writes without our atomic helper and raises the OS's English words
        reason = {FileNotFoundError: "文件夹不存在", PermissionError: "没有写入权限（文件可能正在 Excel 中打开）"}
        print(f"错误：无法保存「{e.filename or ''}」：{reason.get(type(e)) or os_reason(e, writing=True)}", file=sys.stderr)
        return 2
    _print_compilation(result, args)
    if checked:
        _print_roster(checked)
    return 1 if result.needs_attention else 0


def _guess_organ(roster: Roster | None, units) -> str:
    region = (roster.effective_region() if roster else "") or \
        guess_region(u.organ for u in units if u.readable)
    return region + "人民政府" if region else ""


def _status_title(roster: Roster, result: Compilation) -> str:
    region = roster.effective_region() or result.summary.meta.organ
    return f"{region}{result.summary.meta.year}年政府信息公开工作年度报告报送情况"


def _print_compilation(result: Compilation, args) -> None:
    s = result.summary.meta
    print(f"汇总：{s.display_title} → {args.output}")
    if not args.organ:
        guessed = f"按{'名单' if args.roster else '各单位名称'}推定为「{s.organ}」" if s.organ else "未填写"
        print(f"  汇总机关{guessed}，可用 --organ 指定")
    print(f"读取 {len(result.units)} 个文件：计入 {len(result.included)} 个单位"
          + (f"，未计入 {len(result.excluded) + len(result.unreadable)} 个" if result.excluded or result.unreadable
             else ""))
    _print_unreadable(result.units)
    if result.duplicates:
        print(f"重复 {len(result.duplicates)} 处：")
        for d in result.duplicates:
            print("  " + d.describe())
    bad = result.with_errors
    if bad:
        how = "未计入" if args.exclude_errors else "已计入，可加 --exclude-errors 不计入"
        print(f"有错误的单位 {len(bad)} 个（{how}）：")
        for u in bad:
            print(f"  {u.name}（{u.path.name}）：错误 {u.errors} 处")
    if result.other_year:
        print(f"年度不是 {s.year} 年的单位 {len(result.other_year)} 个（已计入）：")
        for u in result.other_year:
            print(f"  {u.name}（{u.path.name}）：{u.year} 年")
    if result.blanks:
        print(f"有空白单元格的单位 {len(result.blanks)} 个（按 0 计入）：")
        for u, cells in result.blanks:
            print(f"  {u.name}（{u.path.name}）：{_count_by_table(cells)}")
    if args.breakdown:
        print(f"已导出各单位明细：{args.breakdown}")
    print("汇总报告的文字部分需另行撰写。")


def _print_unreadable(units) -> None:
    bad = [u for u in units if not u.readable]
    if bad:
        print(f"无法读取的文件 {len(bad)} 个（未计入）：")
        for u in bad:
            print(f"  {u.error}")


def _count_by_table(cells) -> str:
    counts: dict[str, int] = {}
    for table, _, _ in cells:
        counts[table] = counts.get(table, 0) + 1
    return "、".join(f"{TABLE_BY_KEY[t].name} {n} 格空白" for t, n in counts.items())


def _print_roster(checked: Reconciliation) -> None:
    print("名单：" + checked.counts_line())
    if checked.missing:
        print(f"名单中未收到报告的单位 {len(checked.missing)} 个：" + "、".join(s.unit.name for s in checked.missing))
    for u, candidates in checked.ambiguous:
        print(f"  「{u.name}」（{u.path.name}）可能是" + "或".join(f"「{c.name}」" for c in candidates)
              + "，请在名单中手工对应")
    if checked.unmatched:
        print(f"未对应名单的文件 {len(checked.unmatched)} 个：" + "、".join(f"{u.name}（{u.path.name}）"
                                                            for u in checked.unmatched))


# -- diff -------------------------------------------------------------------------------------


def run_diff(args) -> int:
    try:
        old, new = files.read_report(args.old), files.read_report(args.new)
    except ReportFileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    result = compare(old, new)
    for line in describe(result):
        print(line)
    return 0 if result.identical else 1


COMMANDS = {"compile": run_compile, "diff": run_diff}
