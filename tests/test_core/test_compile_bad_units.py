"""One bad unit never stops a compile: the good units are summed, each bad one is named with its reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core import draft, files
from tests.factories import filled_report

ROOT = Path(__file__).resolve().parents[2]


def _unit(organ: str, licensing: int):
    r = filled_report()
    r.meta.organ = organ
    r.table2.set("licensing", "decisions", licensing)
    return r


def _bad_files(folder: Path, good: Path) -> dict[str, bytes]:
    raw = good.read_bytes()
    document = json.loads(raw)
    huge_fee = json.loads(raw)
    huge_fee["report"]["table2"]["fees"]["amount"] = "1E+400"
    huge_count = json.loads(raw)
    huge_count["report"]["table2"]["penalty"]["decisions"] = int("9" * 400)
    deep = '{"format": "%s", "report": ' % document["format"] + '{"x": ' * 1000 + "{}" + "}" * 1001
    text = (f"{document['report']['meta']['organ']}2025年政府信息公开工作年度报告\n"
            "二、主动公开政府信息情况\n行政许可\t" + "1" * 5000 + "\n")
    return {
        "费用1E400.nbdraft": json.dumps(huge_fee).encode(),
        "四百位.nbdraft": json.dumps(huge_count).encode(),
        "嵌套.nbdraft": deep.encode(),
        "截断.nbdraft": raw[: len(raw) // 2],
        "空.nbdraft": b"",
        "坏压缩包.docx": b"PK\x03\x04" + os.urandom(300),
        "截断.xlsx": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + os.urandom(64),
        "五千位.txt": text.encode("utf-8"),
        "二进制.txt": bytes(range(256)) * 40,
    }


def test_compile_sums_the_good_units_and_names_every_bad_one(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    good = [draft.save(_unit(f"某某县第{i}局", 10 * (i + 1)), folder / f"单位{i}.nbdraft") for i in range(3)]
    bad = _bad_files(folder, good[0])
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "汇总.nbdraft"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "core", "compile", str(folder), "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr
    summary = files.read_report(out)
    # 10 + 20 + 30 from the good units; a bad unit adds nothing it could not read
    licensing = summary.table2.get("licensing", "decisions")
    assert licensing == 60
    report = proc.stdout + proc.stderr
    for name in bad:
        assert name in report, name  # each bad file is listed, whether refused or counted with its notes
    assert not any("Error" in line or "Exception" in line for line in report.splitlines())
