"""Shared helpers for the benchmark scripts: run from the repository root with `python bench/<name>.py`."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn, runs: int, setup=None) -> list[float]:
    """Wall-clock seconds of ``fn()`` for each run (``setup(i)`` runs untimed before run i)."""
    out = []
    for i in range(runs):
        if setup:
            setup(i)
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def timed_cpu(fn, runs: int, setup=None) -> tuple[list[float], list[float]]:
    """Like :func:`timed`, with the process's CPU seconds of each run beside the wall clock's: on a shared
    machine the wall clock also counts the time other programs had the core."""
    wall, cpu = [], []
    for i in range(runs):
        if setup:
            setup(i)
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def summary(label: str, seconds: list[float]) -> str:
    s = sorted(seconds)
    p99 = s[min(len(s) - 1, int(len(s) * 0.99))]
    return (f"{label:<46} n={len(s):>6}  median {statistics.median(s) * 1000:8.3f} ms"
            f"  p99 {p99 * 1000:8.3f} ms  max {s[-1] * 1000:8.3f} ms")
