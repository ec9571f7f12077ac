"""Build the sample drafts shipped with the program from a real published report (sample 001, 济源).

    python resources/samples/make_sample.py

The 2022 report is imported from its published text and completed; a 2021 report is derived from it so
the cross-year checks have something to compare with.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from core import draft  # noqa: E402
from core.imports.text import read_text_file  # noqa: E402

SOURCE = ROOT / "tests" / "data" / "samples" / "001_7e78f6154f3411bd.txt"
INTRO = ("本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自 2022 年 1 月 1 日起至 "
         "2022 年 12 月 31 日止。")


def main() -> None:
    report = read_text_file(SOURCE)
    report.imported = None  # a draft the clerk already checked
    report.texts["overview"] = INTRO
    current = draft.save(report, HERE / f"{report.meta.standard_title}.nbdraft", backup=False)

    last = report.model_copy(deep=True)
    last.meta.year = 2021
    last.texts = {k: v.replace("2022", "2021") for k, v in report.texts.items()}
    last.table2.set("normative", "in_force", 219)  # 219 + 26 − 34 = 211
    last.table3.set("carried_out", "natural", 0)
    previous = draft.save(last, HERE / f"{last.meta.standard_title}.nbdraft", backup=False)
    print(current.name, previous.name, sep="\n")


if __name__ == "__main__":
    main()
