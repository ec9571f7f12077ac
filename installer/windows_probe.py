"""Run by a Windows Python (the Windows lane's, under Wine): report which files exist and what registry values hold.

    python.exe windows_probe.py QUERY.json

QUERY.json: {"files": ["%APPDATA%\\...", ...], "values": [["HKCU", "Software\\Classes\\.nbdraft", ""], ...],
"keys": [["HKCU", "Software\\Classes\\nianbao.draft"], ...]}. Prints one line of ASCII JSON (the console's code page
does not matter): {"env": {...}, "files": {path: size or null}, "values": {"root\\key\\name": data or null},
"keys": {"root\\key": true/false}}, with %VARIABLES% expanded in the file names.
"""

from __future__ import annotations

import json
import os
import sys
import winreg

ROOTS = {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCR": winreg.HKEY_CLASSES_ROOT}


def value(root: str, key: str, name: str):
    try:
        with winreg.OpenKey(ROOTS[root], key) as handle:
            return winreg.QueryValueEx(handle, name)[0]
    except OSError:
        return None


def key_exists(root: str, key: str) -> bool:
    try:
        winreg.CloseKey(winreg.OpenKey(ROOTS[root], key))
        return True
    except OSError:
        return False


def main(query_path: str) -> int:
    with open(query_path, encoding="utf-8") as f:
        query = json.load(f)
    files = {}
    for name in query.get("files", []):
        path = os.path.expandvars(name)
        files[name] = os.path.getsize(path) if os.path.isfile(path) else (-1 if os.path.isdir(path) else None)
    report = {
        "env": {v: os.environ.get(v) for v in ("APPDATA", "LOCALAPPDATA", "USERPROFILE", "TEMP")},
        "files": files,
        "values": {"\\".join(q): value(*q) for q in query.get("values", [])},
        "keys": {"\\".join(q): key_exists(*q) for q in query.get("keys", [])},
    }
    print(json.dumps(report, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
