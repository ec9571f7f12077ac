#!/usr/bin/env bash
# Build the Linux bundle (UOS, Kylin and other desktops) from a clean clone; needs only Python 3.11+:
#
#     bash installer/build_linux.sh
#
# writes dist/nianbao/ (the one-folder build) and dist/nianbao-<version>-linux-<arch>.tar.gz.
# The bundle runs on systems whose glibc is at least as new as the build machine's: build on the oldest
# system to be supported.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=build/venv

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "需要 Python 3.11 或更高版本：$("$PYTHON" --version 2>&1)" >&2; exit 2; }
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
# A regular (not editable) install: PyInstaller copies its metadata, which carries the version.
"$VENV/bin/python" -m pip install --disable-pip-version-check -q ".[build]"

"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist installer/nianbao.spec

version="$("$VENV/bin/python" -c 'from core.version import __version__; print(__version__)')"
name="nianbao-$version"
stage="build/stage/$name"
rm -rf build/stage
mkdir -p "$stage"
cp -a dist/nianbao/. "$stage/"
cp installer/nianbao.desktop installer/nianbao-mime.xml installer/install.sh "$stage/"
cp resources/icons/nianbao.png resources/icons/draft.png "$stage/"
chmod +x "$stage/install.sh"

tarball="dist/$name-linux-$(uname -m).tar.gz"
tar -C build/stage -czf "$tarball" --owner=0 --group=0 "$name"
echo "已生成 $tarball（$(du -h "$tarball" | cut -f1)）"
