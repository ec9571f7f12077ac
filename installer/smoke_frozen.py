"""Smoke test of a frozen build as shipped: start the window on a sample draft and let it paint and close, see a
broken draft refused, export Word, Excel and PDF with the frozen command line.

    python3 installer/smoke_frozen.py [BUNDLE.tar.gz]    the Linux bundle (default: the newest dist/nianbao-*-linux-*.tar.gz)
    python3 installer/smoke_frozen.py --wine [FOLDER]    the Windows one-folder build (default dist/nianbao), under Wine

Needs only the standard library (and Wine with WINEPREFIX set for --wine; installer/windows_under_wine.py runs it
so). Exit status 0 when everything worked. It takes a while, so .ci/run runs it only when NIANBAO_FROZEN_SMOKE=1
or, for the Windows build, in the Windows lane.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft"
STAY_UP_MS = 3000  # the window must still be running this long after it first painted

failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> None:
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok or not detail else f"\n      {detail}"), flush=True)
    if not ok:
        failures.append(what)


def unpack(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as tar:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.11.4+
        tar.extractall(into, **safe)
    (top,) = into.iterdir()
    return top


class Linux:
    """The unpacked Linux bundle, its programs started directly."""

    def __init__(self, app: Path):
        self.app = app

    def program(self, name: str) -> list:
        return [self.app / name]

    def path(self, path: Path) -> str:
        return str(path)

    contents = ("nianbao-gui", "nianbao", "nianbao.desktop", "install.sh", "nianbao.png",
                "_internal/resources/icons/draft.svg", "_internal/resources/samples")
    window_platform = "offscreen"
    encoding = "utf-8"


class Wine:
    """The Windows one-folder build, its .exe files started by Wine and given Windows paths."""

    def __init__(self, app: Path):
        self.app = app

    def program(self, name: str) -> list:
        return ["wine", self.app / f"{name}.exe"]

    def path(self, path: Path) -> str:
        return "Z:" + str(path.resolve()).replace("/", "\\")

    contents = ("nianbao-gui.exe", "nianbao.exe", "_internal/resources/icons/draft.ico",
                "_internal/resources/icons/nianbao.ico", "_internal/resources/samples",
                "_internal/PySide6/plugins/platforms/qwindows.dll",
                "_internal/PySide6/translations/qtbase_zh_CN.qm")
    # Offscreen: Qt's Windows platform plugin asks WinRT for the colour scheme (UISettings), which Wine 8.0 lacks,
    # and aborts. Wine hands Windows programs QT_* variables only when given as WINEQT_*.
    window_platform = "offscreen"
    encoding = "gbk"  # a Chinese Windows writes to pipes in code page 936


def run(cmd: list, env: dict, cwd: Path, encoding: str, timeout: int = 300) -> subprocess.CompletedProcess:
    # Pipes, never files: Wine hands a Windows program a redirected regular file as an invalid handle.
    return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          encoding=encoding, errors="replace", timeout=timeout)


def text_of(package: Path) -> str:
    """All text of an Office file's XML parts, tags removed (Word may split a name across runs)."""
    with zipfile.ZipFile(package) as z:
        bad = z.testzip()
        if bad:
            raise zipfile.BadZipFile(f"damaged member {bad}")
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def smoke(host, work: Path) -> None:
    """Every check on the build in ``host.app``; ``work`` is a scratch folder."""
    app = host.app
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    organ = json.loads(SAMPLE.read_text(encoding="utf-8"))["report"]["meta"]["organ"]
    for name in host.contents:
        check((app / name).exists(), f"bundle contains {name}")
    check(not list(app.rglob("*Qt6Network*")), "bundle carries no Qt network library")
    other_languages = [p.name for p in app.rglob("qtbase_*.qm") if "zh_CN" not in p.name]
    check(not other_languages, "bundle carries Qt's Chinese translation only", ", ".join(other_languages[:5]))

    sample = work / SAMPLE.name
    shutil.copy(SAMPLE, sample)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", WINEQT_QPA_PLATFORM="offscreen",
               NIANBAO_DATA_DIR=host.path(work / "appdata"))

    out = run(host.program("nianbao") + ["--version"], env, work, host.encoding)
    check(out.returncode == 0 and version in out.stdout, f"nianbao --version says {version}",
          out.stdout + out.stderr)

    gui_env = dict(env, NIANBAO_SMOKE_EXIT_MS=str(STAY_UP_MS), QT_QPA_PLATFORM=host.window_platform,
                   WINEQT_QPA_PLATFORM=host.window_platform)
    start = time.perf_counter()
    out = run(host.program("nianbao-gui") + [host.path(sample)], gui_env, work, host.encoding)
    up = time.perf_counter() - start
    check(out.returncode == 0 and "painted" in out.stdout and up >= STAY_UP_MS / 1000,
          f"window ({host.window_platform}) opens the sample, stays up, closes cleanly ({up:.1f} s, "
          f"exit {out.returncode})", out.stderr[-3000:])
    broken = work / "损坏的草稿.nbdraft"
    broken.write_text("{not json", encoding="utf-8")
    out = run(host.program("nianbao-gui") + [host.path(broken)], dict(gui_env, NIANBAO_SMOKE_EXIT_MS="0"), work, host.encoding)
    check(out.returncode == 1, f"a broken draft is reported, not opened (exit {out.returncode})",
          out.stderr[-3000:])

    docx, xlsx, pdf = (work / "out" / f"年报.{ext}" for ext in ("docx", "xlsx", "pdf"))
    docx.parent.mkdir()
    out = run(host.program("nianbao") + ["export", host.path(sample), "--docx", host.path(docx),
                                         "--xlsx", host.path(xlsx), "--pdf", host.path(pdf)], env, work, host.encoding)
    check(out.returncode == 0, f"nianbao export exits 0 (exit {out.returncode})", out.stdout + out.stderr[-3000:])
    for path in (docx, xlsx):
        try:
            ok = path.stat().st_size > 0 and organ in text_of(path)
            detail = f"{organ} not found"
        except (OSError, zipfile.BadZipFile) as e:
            ok, detail = False, str(e)
        check(ok, f"{path.suffix} is a valid package naming {organ}", detail)
    size = pdf.stat().st_size if pdf.exists() else 0
    check(size > 10_000 and pdf.read_bytes()[:5] == b"%PDF-", f".pdf written ({size} bytes)")


def main(argv: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="nianbao-smoke-"))
    try:
        if argv[:1] == ["--wine"]:
            folder = Path(argv[1]) if len(argv) > 1 else ROOT / "dist" / "nianbao"
            if not (folder / "nianbao.exe").is_file():
                print(f"no Windows build in {folder}: run installer/windows_under_wine.py", file=sys.stderr)
                return 2
            print(f"Windows build {folder}, under Wine")
            smoke(Wine(folder.resolve()), work)
        else:
            tarball = Path(argv[0]) if argv else max(ROOT.glob("dist/nianbao-*-linux-*.tar.gz"),
                                                     key=lambda p: p.stat().st_mtime, default=None)
            if not tarball or not tarball.is_file():
                print("no bundle: build it first with  bash installer/build_linux.sh", file=sys.stderr)
                return 2
            print(f"bundle {tarball.name}, unpacked in {work}")
            smoke(Linux(unpack(tarball, work / "bundle")), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("frozen smoke test " + ("passed" if not failures else f"FAILED: {len(failures)} check(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
