"""Kill a process at random moments while it saves, then check that nothing was lost.

    python bench/kill_save.py [-n 300] [--mode save|autosave|both] [--folder DIR] [--seed 1]

``save``: a child process saves two versions of a draft in turn (with the .bak), as fast as it can;
it is killed (SIGKILL, or TerminateProcess on Windows) after a random delay. Then the draft and its
.bak must each load and be one of the two versions, whole; a save by the next process must leave no
temp file behind. ``autosave``: the same with the window's autosaver writing its recovery copy and
its note of where the copy came from; the next session's autosaver must leave no temp file of a dead
session. Prints the tally; exit status 1 on any loss.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

DRAFT = "草稿.nbdraft"


def _versions():
    from tests.factories import filled_report

    a = filled_report()
    b = filled_report()
    b.table3.set("new", "natural", 99)
    b.set_text("other", "本年度未收取信息处理费。" * 400)  # a different size, so a cut file cannot pass for whole
    return a, b


def _which(path: Path) -> str:
    """'a' or 'b' for a whole version; raises for anything else (the loss being tested for)."""
    from core import draft

    report = draft.load(path)
    a, b = _versions()
    for name, version in (("a", a), ("b", b)):
        if report.model_dump(exclude={"history"}) == version.model_dump(exclude={"history"}):
            return name
    raise AssertionError(f"{path.name} is whole but neither version")


# -- the child: saves until killed ----------------------------------------------------------------


def child_save(folder: Path) -> None:
    from core import draft

    a, b = _versions()
    path = folder / DRAFT
    draft.save(a, path)
    draft.save(b, path)
    print("ready", flush=True)
    while True:
        draft.save(a, path)
        draft.save(b, path)


def child_autosave(folder: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from gui.autosave import Autosaver
    from gui.document import ReportDocument

    app = QGuiApplication([])  # noqa: F841 — the document's undo stack needs one
    a, b = _versions()
    doc = ReportDocument(a, folder / "原件.nbdraft")
    saver = Autosaver(folder)
    saver.watch(doc)
    values = (16, 99)
    doc.set_cell("table3", "new", "natural", 99)
    saver.save_now()
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        doc.set_cell("table3", "new", "natural", values[n % 2])
        saver.save_now()


# -- the parent: kills and checks ---------------------------------------------------------------


def _start(mode: str, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, __file__, "--child", mode, str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=str(ROOT))


def _strays(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def check_save(folder: Path) -> dict:
    from core import draft

    out = {"draft": _which(folder / DRAFT), "bak": _which(folder / (DRAFT + ".bak")), "strays": len(_strays(folder))}
    a, _ = _versions()
    draft.save(a, folder / DRAFT)  # the next save, by the next process
    out["strays_after"] = len(_strays(folder))
    return out


def check_autosave(folder: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from core import draft
    from gui.autosave import Autosaver, recoverable

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    found = recoverable(folder)
    assert len(found) <= 1, "one killed session, one recovery"
    out = {"strays": len(_strays(folder))}
    if found:
        copy = draft.load(found[0].report_path)
        value = copy.table3.get("new", "natural")
        assert value in (16, 99), value
        json.loads(found[0].info_path.read_text(encoding="utf-8")) if found[0].info_path.exists() else None
        out["recovered"] = value
        found[0].discard()
    saver = Autosaver(folder)  # the next start of the program
    saver.close()
    out["strays_after"] = len(_strays(folder))
    return out


def run(mode: str, n: int, base: Path, rng: random.Random) -> dict:
    tally = {"kills": 0, "whole": 0, "lost": 0, "strays_seen": 0, "strays_left": 0, "failures": []}
    check = check_save if mode == "save" else check_autosave
    for i in range(n):
        folder = base / f"{mode}-{i}"
        folder.mkdir(parents=True)
        proc = _start(mode, folder)
        line = proc.stdout.readline()
        if line.strip() != b"ready":
            proc.kill()
            raise SystemExit(f"child did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        time.sleep(rng.choice((rng.uniform(0, 0.002), rng.uniform(0, 0.02), rng.uniform(0, 0.2))))
        proc.kill()
        proc.wait()
        tally["kills"] += 1
        try:
            result = check(folder)
        except Exception as e:  # noqa: BLE001 — any failure to read back is the loss this test counts
            tally["lost"] += 1
            tally["failures"].append(f"{folder.name}: {type(e).__name__}: {e}")
            continue
        tally["whole"] += 1
        tally["strays_seen"] += bool(result["strays"])
        tally["strays_left"] += result["strays_after"]
        if result["strays_after"]:
            left = ", ".join(p.name for p in _strays(folder))
            tally["failures"].append(f"{folder.name}: {result['strays_after']} temp file(s) left after the next save: {left}")
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300, help="kills per mode")
    ap.add_argument("--mode", choices=("save", "autosave", "both"), default="both")
    ap.add_argument("--folder", type=Path, help="where to save (default: a temporary folder)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        mode, folder = args.child
        (child_save if mode == "save" else child_autosave)(Path(folder))
        return 0
    rng = random.Random(args.seed)
    modes = ("save", "autosave") if args.mode == "both" else (args.mode,)
    results = {}
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        for mode in modes:
            started = time.monotonic()
            t = run(mode, args.n, Path(tmp), rng)
            t["seconds"] = round(time.monotonic() - started, 1)
            results[mode] = t
            print(f"{mode}: {t['kills']} kills in {t['seconds']} s — whole {t['whole']}, lost {t['lost']}; "
                  f"temp files seen after a kill in {t['strays_seen']} runs, left after the next save {t['strays_left']}")
            for f in t["failures"][:20]:
                print("  " + f)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if any(t["lost"] or t["strays_left"] for t in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
