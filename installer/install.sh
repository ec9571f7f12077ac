#!/usr/bin/env bash
# Puts 政务公开年报助手 in this user's application menu and opens .nbdraft drafts with it; no root needed.
#
#     ./install.sh           register the program in this folder (run it again after moving the folder)
#     ./install.sh --remove  take it out of the menu again; this folder and all drafts stay where they are
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor/256x256"
mime="$data/mime"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$apps/nianbao.desktop" "$icons/apps/nianbao.png" "$icons/mimetypes/application-x-nbdraft.png" \
    "$mime/packages/nianbao-mime.xml"
  echo "已从应用菜单移除政务公开年报助手。"
else
  mkdir -p "$apps" "$icons/apps" "$icons/mimetypes" "$mime/packages"
  exec_path="${here//\\/\\\\}"  # the desktop entry spec's escaping: backslash and double quote
  exec_path="${exec_path//\"/\\\"}"
  while IFS= read -r line; do
    case "$line" in
      Exec=*) printf 'Exec="%s/nianbao-gui" %%f\nTryExec=%s/nianbao-gui\n' "$exec_path" "$here" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < "$here/nianbao.desktop" > "$apps/nianbao.desktop"
  cp "$here/nianbao.png" "$icons/apps/nianbao.png"
  cp "$here/draft.png" "$icons/mimetypes/application-x-nbdraft.png"
  cp "$here/nianbao-mime.xml" "$mime/packages/nianbao-mime.xml"
  echo "已将政务公开年报助手加入应用菜单，双击 .nbdraft 草稿即可打开。"
fi

# Refresh the desktop's caches where the tools exist; a desktop without them picks the files up at next login.
command -v update-mime-database >/dev/null && update-mime-database "$mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
if [ "${1:-}" != "--remove" ] && command -v xdg-mime >/dev/null; then
  xdg-mime default nianbao.desktop application/x-nbdraft || true
fi
