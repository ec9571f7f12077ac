"""Run by a Windows Python (the Windows lane's, under Wine): open a file as a double-click in Explorer does, through
ShellExecuteEx and the file's association, wait for the program it started and report how that went.

    python.exe windows_open.py FILE PROGID [WATCH]

Explorer asks ShellExecuteEx to open FILE; the shell finds the program in HKEY_CLASSES_ROOT, which Windows (since
2000) merges from the user's HKCU\\Software\\Classes and the machine's HKLM\\Software\\Classes. Wine (8.0 and
later: WineHQ bug 14771) does not merge: HKEY_CLASSES_ROOT is the machine's part alone, so a per-user
association is invisible to it and ShellExecuteEx answers "file not found". Where that is so, the shell is handed
the class key the installer wrote (HKCU\\Software\\Classes\\PROGID, SEE_MASK_CLASSKEY): it still reads the
registered open command and substitutes the file for "%1" itself, which is what the check is about.

Prints one line of ASCII JSON: {"via": "HKCR" or "HKCU class key", "hkcr_knows": bool, "error": Windows error or
0, "exit": exit code of the started program or null, "seconds": float, "watched": whether the file WATCH existed at
some moment while the program ran (the lock file a window keeps beside the draft it has open), "left": whether it
still exists after the program ended}.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
import winreg
from ctypes import wintypes

SEE_MASK_CLASSKEY = 0x00000003
SEE_MASK_NOCLOSEPROCESS = 0x00000040
SEE_MASK_FLAG_NO_UI = 0x00000400
SW_SHOWNORMAL = 1
WAIT_TIMEOUT = 0x102


class SHELLEXECUTEINFOW(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.DWORD), ("fMask", wintypes.ULONG), ("hwnd", wintypes.HWND),
                ("lpVerb", wintypes.LPCWSTR), ("lpFile", wintypes.LPCWSTR), ("lpParameters", wintypes.LPCWSTR),
                ("lpDirectory", wintypes.LPCWSTR), ("nShow", ctypes.c_int), ("hInstApp", wintypes.HINSTANCE),
                ("lpIDList", ctypes.c_void_p), ("lpClass", wintypes.LPCWSTR), ("hkeyClass", wintypes.HKEY),
                ("dwHotKey", wintypes.DWORD), ("hIconOrMonitor", wintypes.HANDLE), ("hProcess", wintypes.HANDLE)]


def hkcr_knows(extension: str) -> bool:
    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, extension))
        return True
    except OSError:
        return False


def main(path: str, prog_id: str, watch: str | None = None) -> int:
    shell32 = ctypes.WinDLL("shell32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    shell32.ShellExecuteExW.argtypes = [ctypes.POINTER(SHELLEXECUTEINFOW)]
    shell32.ShellExecuteExW.restype = wintypes.BOOL
    kernel32.WaitForSingleObject.argtypes = [wintypes.HANDLE, wintypes.DWORD]
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

    knows = hkcr_knows(os.path.splitext(path)[1])
    info = SHELLEXECUTEINFOW(cbSize=ctypes.sizeof(SHELLEXECUTEINFOW), lpVerb="open", lpFile=path,
                             lpDirectory=os.path.dirname(path), nShow=SW_SHOWNORMAL,
                             fMask=SEE_MASK_NOCLOSEPROCESS | SEE_MASK_FLAG_NO_UI)
    key = None
    if not knows:
        key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, f"Software\\Classes\\{prog_id}")
        info.fMask |= SEE_MASK_CLASSKEY
        info.hkeyClass = wintypes.HKEY(key.handle)
    start = time.perf_counter()
    ok = shell32.ShellExecuteExW(ctypes.byref(info))
    error = 0 if ok else ctypes.get_last_error()
    code, watched = None, False
    if ok and info.hProcess:
        while kernel32.WaitForSingleObject(info.hProcess, 50) == WAIT_TIMEOUT:
            watched = watched or bool(watch and os.path.exists(watch))
        exit_code = wintypes.DWORD()
        kernel32.GetExitCodeProcess(info.hProcess, ctypes.byref(exit_code))
        kernel32.CloseHandle(info.hProcess)
        code = exit_code.value
    if key is not None:
        key.Close()
    print(json.dumps({"via": "HKCR" if knows else "HKCU class key", "hkcr_knows": knows, "error": error,
                      "exit": code, "seconds": round(time.perf_counter() - start, 1), "watched": watched,
                      "left": bool(watch and os.path.exists(watch))}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
