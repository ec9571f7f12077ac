"""Nothing the self-check does on a keystroke is worse than linear in the text: hostile runs of spaces,
line breaks, digits and marks of 100,000 characters are checked in well under a second each.

A pattern that backtracks quadratically takes minutes at this size (8,000 spaces after a line break
took 1–3 s), so the generous bound below cannot be met by anything but linear work.
"""

from __future__ import annotations

import time

import pytest

from core.rules import Checker, check
from core.rules import narrative
from tests.factories import FAR_FROM_DEADLINE, filled_report

N = 100_000
BOUND = 2.0  # seconds of CPU time for a whole check of one such text (linear work takes ~0.1 s)
SHAPES = {
    "spaces after a line break": lambda n: "开头。\n" + " " * n + "x",
    "spaces inside a line": lambda n: "开头" + " " * n + "x",
    "ideographic spaces after a line break": lambda n: "开头\n" + "\u3000" * n,
    "tabs after a full stop": lambda n: "开头。" + "\t" * n + "x",
    "mixed spaces then a heading": lambda n: "。\n" + " \u3000\t" * (n // 3) + "（一）",
    "line breaks": lambda n: "开头。" + "\n" * n + "x",
    "line breaks and spaces": lambda n: "\n " * (n // 2),
    "digits after a claim": lambda n: "收到申请" + "9" * n + "x",
    "a year then spaces": lambda n: "2022" + " " * n,
    "自 then spaces": lambda n: "自" + " " * n,
    "years and spaces": lambda n: "2022 年 " * (n // 7),
    "X run": lambda n: "X" * n + "a",
    "x run": lambda n: "x" * n + "a",
    "open brackets": lambda n: "【" * n,
    "a bracket then spaces": lambda n: "［" + " " * n,
    "parentheses": lambda n: "（" * n,
    "一是 repeated": lambda n: "一是" * (n // 2),
    "未收到 repeated": lambda n: "未收到" * (n // 3),
    "无 repeated": lambda n: "无" * n,
    "hashes after a line break": lambda n: "\n" + "#" * n,
    "claims in one sentence": lambda n: "废止规范性文件 3 件" * (n // 10),
    "claims with commas": lambda n: "废止行政规范性文件 1 件，" * (n // 12),
}


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.parametrize("shape", SHAPES)
def test_full_check_is_linear_on_hostile_text(shape):
    report = filled_report()
    report.texts["problems"] = SHAPES[shape](N)
    narrative.clear_caches()
    assert _cpu(lambda: check(report, report, FAR_FROM_DEADLINE)) < BOUND


@pytest.mark.parametrize("shape", ["spaces after a line break", "line breaks", "claims in one sentence"])
def test_a_keystroke_in_hostile_text_is_linear(shape):
    report = filled_report()
    text = SHAPES[shape](N)
    report.texts["problems"] = text
    checker = Checker()
    checker.check(report, report, FAR_FROM_DEADLINE)
    report.texts["problems"] = text[:N // 2] + "字" + text[N // 2:]  # typed into the middle of the run
    assert _cpu(lambda: checker.check(report, report, FAR_FROM_DEADLINE)) < BOUND
