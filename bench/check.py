"""Self-check per keystroke on a long report, with and without last year's report (goals: p99 ≤ 2 ms at
50,000 narrative characters with last year, ≤ 5 ms at 200,000; ≤ 2 ms without last year at both).

    python bench/check.py [CHARS …] [--runs N] [--window] [--docx]

Each size is a report of that many narrative characters (real report sentences, every paragraph
different: tests/generated_units.long_report) with sample 001's tables; last year's report is the same
prose with every third paragraph changed. A keystroke inserts one character into the middle of the
longest field, or sets one figure of table 三, and the report is checked by the window's ``Checker``.
``--window`` also types into the real window's editor (keystroke → findings refreshed → painted);
``--docx`` times the Word export against python-docx writing the same paragraphs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import summary, timed, timed_cpu

from core.rules import Checker, check
from core.rules import narrative
from tests.factories import FAR_FROM_DEADLINE
from tests.generated_units import long_report

TODAY = FAR_FROM_DEADLINE


def keystrokes(report, previous, runs: int) -> tuple[list[float], list[float], list[float], int]:
    """Seconds per check after a character is typed (wall clock and CPU), and after a figure is typed."""
    narrative.clear_caches()  # each run types the same characters: none may come from an earlier run's cache
    checker = Checker()
    checker.check(report, previous, TODAY)
    key = max(report.texts, key=lambda k: len(report.texts[k]))
    at = len(report.texts[key]) // 2

    def type_a_character(i):
        text = report.texts[key]
        report.texts[key] = text[:at + i] + "字" + text[at + i:]
    chars, cpu = timed_cpu(lambda: checker.check(report, previous, TODAY), runs, type_a_character)
    cells = list(report.table3.layout.input_cells)

    def type_a_figure(i):
        r, c = cells[i % len(cells)]
        report.table3.root[r][c] = i % 7
    figures = timed(lambda: checker.check(report, previous, TODAY), max(runs // 4, 50), type_a_figure)
    return chars, cpu, figures, len(report.texts[key])


def bench_size(chars: int, runs: int) -> None:
    report, previous = long_report(chars), long_report(chars, 2021, variant=1)
    total = sum(map(len, report.texts.values()))
    narrative.clear_caches()
    t = time.perf_counter()
    found = check(report, previous, TODAY)
    cold = time.perf_counter() - t
    print(f"\n{total} narrative characters, {len(found)} findings; full check from nothing {cold * 1000:.1f} ms")
    with_prev, cpu, figures, longest = keystrokes(report, previous, runs)
    print(summary(f"keystroke in a {longest}-char field, last year", with_prev))
    print(summary("  the same, CPU time", cpu))
    print(summary("figure typed, last year attached", figures))
    without, cpu_without, _, _ = keystrokes(long_report(chars), None, runs)
    print(summary("keystroke, without last year", without))
    print(summary("  the same, CPU time", cpu_without))
    return (with_prev, cpu), (without, cpu_without)


def bench_window(chars: int, runs: int) -> list[float]:
    """Typing into the real window's editor: key press → text, undo step, findings and panel, painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("NIANBAO_DATA_DIR", tempfile.mkdtemp(prefix="nianbao-bench-"))
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui.app import create_application
    from gui.main_window import MainWindow
    from gui.text_editor import object_name
    from PySide6.QtWidgets import QPlainTextEdit

    app = QApplication.instance() or create_application(sys.argv[:1])
    report = long_report(chars)
    window = MainWindow(report)
    window.resize(1366, 768)
    window.show()
    window.document.set_previous(long_report(chars, 2021, variant=1))
    key = max(report.texts, key=lambda k: len(report.texts[k]))
    field = next(f for f in __import__("core.layout", fromlist=["L"]).TEXT_FIELDS if f.key == key)
    window.go_to(field.part)
    editor = window.findChild(QPlainTextEdit, object_name(key))
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(len(editor.toPlainText()) // 2)
    editor.setTextCursor(cursor)
    for _ in range(20):
        app.processEvents()
    out, cpu = [], []
    for i in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        QTest.keyClicks(editor, "a")  # any key: QTest types only Latin letters
        app.processEvents()  # the keystroke's own work and the paint it caused
        out.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if i % 50 == 49:  # a pause in typing: the findings catch up (not timed)
            QTest.qWait(400)
    QTest.qWait(400)
    assert window.document.findings == check(window.document.report, window.document.previous)
    assert window.panel.up_to_date  # the 自检 list caught up once typing paused
    window.document.undo_stack.setClean()
    window.close()
    print(summary("window keystroke, wall clock", out))
    print(summary("window keystroke, CPU time of the process", cpu))
    return out


def bench_docx(chars: int) -> tuple[float, float]:
    """Our Word export of the long report, and python-docx writing the same paragraphs plainly."""
    import docx

    from core.export.docx import write_docx

    report = long_report(chars)
    with tempfile.TemporaryDirectory() as tmp:
        ours = min(timed(lambda: write_docx(report, Path(tmp) / "a.docx"), 5))

        def plain():
            d = docx.Document()
            for text in report.texts.values():
                for line in text.split("\n"):
                    d.add_paragraph(line)
            d.save(str(Path(tmp) / "b.docx"))
        floor = min(timed(plain, 5))
    return ours, floor


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("chars", nargs="*", type=int, default=[50_000, 200_000])
    p.add_argument("--runs", type=int, default=2000)
    p.add_argument("--window", action="store_true")
    p.add_argument("--docx", action="store_true")
    args = p.parse_args()
    rows = []
    for chars in args.chars:
        with_prev, without = bench_size(chars, args.runs)
        rows.append((chars, with_prev, without))
    window = bench_window(args.chars[0], min(args.runs, 400)) if args.window else None
    docx_times = bench_docx(args.chars[0]) if args.docx else None

    def ms(s):
        s = sorted(s)
        return f"{s[len(s) // 2] * 1000:.2f} / {s[min(len(s) - 1, int(len(s) * 0.99))] * 1000:.2f} ms"

    def both(times):
        wall, cpu = times
        return f"{ms(wall)} (CPU {ms(cpu)})"
    print("\n| work | measured (median / p99; CPU time of the process in brackets) | goal |\n|---|---|---|")
    for chars, with_prev, without in rows:
        goal = "≤ 2 ms p99" if chars <= 50_000 else "≤ 5 ms p99"
        print(f"| check per keystroke, {chars:,} narrative characters, last year attached | {both(with_prev)} | {goal} |")
    for chars, _, without in rows:
        print(f"| same without last year, {chars:,} characters | {both(without)} | ≤ 2 ms p99 |")
    if window:
        print(f"| keystroke in the window's editor, {args.chars[0]:,} characters | {ms(window)} | ≤ 16 ms |")
    if docx_times:
        ours, floor = docx_times
        print(f"| .docx export, {args.chars[0]:,} characters | {ours * 1000:.0f} ms (python-docx alone "
              f"{floor * 1000:.0f} ms, {ours / floor:.1f}×) | ≤ 2× python-docx |")


if __name__ == "__main__":
    main()
