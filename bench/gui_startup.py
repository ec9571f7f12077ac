"""Cold start to the first painted window, next to a bare PySide6 window started the same way.

    python bench/gui_startup.py [RUNS]        (default 9)

Each run starts a new Python process and measures, from just before the process is spawned, until the
window has painted for the first time (the child reports it and its peak memory, then exits). Bytecode
is cached in a scratch folder by the first run of each kind, also where PYTHONDONTWRITEBYTECODE is set,
as an installed program has its bytecode compiled.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

CHILD = r"""
import sys, os
sys.path.insert(0, {root!r})
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, done)
        return False

def done():
    try:
        import resource  # peak memory, where the platform tells it
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print("peak", usage.ru_maxrss)
        print("cpu", usage.ru_utime + usage.ru_stime)
    except ImportError:
        pass
    print("painted", flush=True)
    os._exit(0)

{body}
"""

PROGRAM = """
from gui.app import create_application
app = create_application(sys.argv[:1])
from gui.main_window import MainWindow
from pathlib import Path
window = MainWindow()
watcher = FirstPaint()
window.installEventFilter(watcher)
window.open_path(Path({sample!r}))
window.show()
app.exec()
"""

BARE = """
from PySide6.QtWidgets import QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("空白窗口"))
watcher = FirstPaint()
window.installEventFilter(watcher)
window.resize(1366, 768)
window.show()
app.exec()
"""


def run(body: str, env: dict) -> tuple[float, float | None, float | None]:
    """Seconds to the first paint, the child's peak memory in MiB and its CPU seconds until then (None where
    the platform does not tell)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), body=body)], env=env,
                         capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if "painted" not in out.stdout:
        raise SystemExit(f"child failed: {out.stderr[-2000:]}")
    said = dict(line.split(None, 1) for line in out.stdout.splitlines() if line.startswith(("peak ", "cpu ")))
    peak, cpu = said.get("peak"), said.get("cpu")
    return elapsed, (int(peak) / 1024 if peak else None), (float(cpu) if cpu else None)  # Linux gives KiB


def main(runs: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    # A copy: the child exits at its first paint without closing, and its draft lock stays beside the draft.
    sample = scratch / "样例.nbdraft"
    shutil.copyfile(ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft", sample)
    env = dict(os.environ, NIANBAO_DATA_DIR=str(scratch / "data"), PYTHONPYCACHEPREFIX=str(scratch / "bytecode"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"platform: {env['QT_QPA_PLATFORM']}, {runs} runs each (first run of each warms the disk cache)")
    medians, cpu_medians = [], []
    for label, body in (("program: start, open a draft, first paint", PROGRAM.format(sample=str(sample))),
                        ("floor: bare PySide6 window, first paint", BARE)):
        run(body, env)
        results = [run(body, env) for _ in range(runs)]
        times = [t for t, _, _ in results]
        medians.append(statistics.median(times))
        peaks = [m for _, m, _ in results if m is not None]
        peak = f"   peak memory {statistics.median(peaks):5.0f} MiB" if peaks else ""
        cpus = [c for _, _, c in results if c is not None]
        cpu = ""
        if cpus:
            cpu_medians.append(statistics.median(cpus))
            cpu = f"   CPU {cpu_medians[-1] * 1000:5.0f} ms"
        print(f"{label:<46} median {medians[-1] * 1000:7.0f} ms   min {min(times) * 1000:7.0f} ms"
              f"   max {max(times) * 1000:7.0f} ms{peak}{cpu}")
    print(f"ratio to the bare window (medians): {medians[0] / medians[1]:.2f}  (goal ≤ 2.0)")
    if len(cpu_medians) == 2:  # steadier than the wall clock on a busy machine
        print(f"ratio of CPU time to the first paint (medians): {cpu_medians[0] / cpu_medians[1]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
