"""Smoke test of the Linux bundle as shipped: unpack the .tar.gz, start the window offscreen on a sample draft,
export Word, Excel and PDF with the frozen command line.

    python3 installer/smoke_frozen.py [BUNDLE.tar.gz]    (default: the newest dist/nianbao-*-linux-*.tar.gz)

Needs only the standard library. Exit status 0 when everything worked. It takes a while, so .ci/run runs it only
when NIANBAO_FROZEN_SMOKE=1.
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


def run(cmd: list, env: dict, cwd: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, text=True,
                          errors="replace", timeout=timeout)


def text_of(package: Path) -> str:
    """All text of an Office file's XML parts, tags removed (Word may split a name across runs)."""
    with zipfile.ZipFile(package) as z:
        bad = z.testzip()
        if bad:
            raise zipfile.BadZipFile(f"damaged member {bad}")
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def main(argv: list[str]) -> int:
    tarball = Path(argv[0]) if argv else max(ROOT.glob("dist/nianbao-*-linux-*.tar.gz"),
                                             key=lambda p: p.stat().st_mtime, default=None)
    if not tarball or not tarball.is_file():
        print("no bundle: build it first with  bash installer/build_linux.sh", file=sys.stderr)
        return 2
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    organ = json.loads(SAMPLE.read_text(encoding="utf-8"))["report"]["meta"]["organ"]
    work = Path(tempfile.mkdtemp(prefix="nianbao-smoke-"))
    try:
        print(f"bundle {tarball.name}, unpacked in {work}")
        app = unpack(tarball, work / "bundle")
        for name in ("nianbao-gui", "nianbao", "nianbao.desktop", "install.sh", "nianbao.png",
                     "_internal/resources/icons/draft.svg", "_internal/resources/samples"):
            check((app / name).exists(), f"bundle contains {name}")
        check(not list(app.rglob("*Qt6Network*")), "bundle carries no Qt network library")

        sample = work / SAMPLE.name
        shutil.copy(SAMPLE, sample)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
        env.update(QT_QPA_PLATFORM="offscreen", NIANBAO_DATA_DIR=str(work / "appdata"))

        out = run([app / "nianbao", "--version"], env, work)
        check(out.returncode == 0 and version in out.stdout, f"nianbao --version says {version}",
              out.stdout + out.stderr)

        gui_env = dict(env, NIANBAO_SMOKE_EXIT_MS=str(STAY_UP_MS))
        start = time.perf_counter()
        out = run([app / "nianbao-gui", sample], gui_env, work)
        up = time.perf_counter() - start
        check(out.returncode == 0 and "painted" in out.stdout and up >= STAY_UP_MS / 1000,
              f"window opens the sample, stays up, closes cleanly ({up:.1f} s, exit {out.returncode})",
              out.stderr[-3000:])
        broken = work / "损坏的草稿.nbdraft"
        broken.write_text("{not json", encoding="utf-8")
        out = run([app / "nianbao-gui", broken], dict(gui_env, NIANBAO_SMOKE_EXIT_MS="0"), work)
        check(out.returncode == 1, f"a broken draft is reported, not opened (exit {out.returncode})",
              out.stderr[-3000:])

        docx, xlsx, pdf = (work / "out" / f"年报.{ext}" for ext in ("docx", "xlsx", "pdf"))
        docx.parent.mkdir()
        out = run([app / "nianbao", "export", sample, "--docx", docx, "--xlsx", xlsx, "--pdf", pdf], env, work)
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
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("frozen smoke test " + ("passed" if not failures else f"FAILED: {len(failures)} check(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
