"""Size of the frozen Linux bundle, and its cold start next to the unfrozen program.

    bash installer/build_linux.sh && python bench/frozen.py [RUNS]

Start is measured from just before the process is spawned until the window, showing the sample draft, has
painted for the first time (both programs print "painted" under NIANBAO_SMOKE_EXIT_MS, then close themselves).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

SAMPLE = ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft"
MB = 1_000_000


def folder_bytes(folder: Path) -> int:
    return sum(f.lstat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def first_paint(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in child.stdout:
        if line.strip() == "painted":
            elapsed = time.perf_counter() - start
            break
    else:
        raise SystemExit(f"{cmd[0]} exited without painting (exit {child.wait()})")
    if child.wait(timeout=60) != 0:
        raise SystemExit(f"{cmd[0]} failed: exit {child.returncode}")
    return elapsed


def main(runs: int) -> None:
    bundle = ROOT / "dist" / "nianbao"
    tarballs = sorted(ROOT.glob("dist/nianbao-*-linux-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not (bundle / "nianbao-gui").exists() or not tarballs:
        raise SystemExit("no bundle: build it first with  bash installer/build_linux.sh")
    print(f"bundle folder dist/nianbao: {folder_bytes(bundle) / MB:7.1f} MB")
    print(f"{tarballs[-1].name}: {tarballs[-1].stat().st_size / MB:7.1f} MB")

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as data:
        env = dict(os.environ, NIANBAO_DATA_DIR=data, NIANBAO_SMOKE_EXIT_MS="0")
        startup(bundle, env, runs)


def startup(bundle: Path, env: dict, runs: int) -> None:
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"platform: {env['QT_QPA_PLATFORM']}, {runs} runs each, alternating, after one that warms the disk cache")
    programs = {"frozen: dist/nianbao/nianbao-gui SAMPLE": [str(bundle / "nianbao-gui"), str(SAMPLE)],
                "unfrozen: python -m gui SAMPLE": [sys.executable, "-m", "gui", str(SAMPLE)]}
    first = {label: first_paint(cmd, env) for label, cmd in programs.items()}
    times = {label: [] for label in programs}
    for _ in range(runs):  # alternating, so that a busy moment of the machine weighs on both alike
        for label, cmd in programs.items():
            times[label].append(first_paint(cmd, env))
    for label, t in times.items():
        print(f"{label:<42} first paint median {statistics.median(t) * 1000:6.0f} ms"
              f"   min {min(t) * 1000:6.0f}   max {max(t) * 1000:6.0f}   (warm-up run {first[label] * 1000:.0f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
