#!/usr/bin/env bash
# Qt needs a few system libraries (EGL, fontconfig, xkbcommon, D-Bus) that a minimal
# Debian image may lack. Install them with apt-get only when Qt cannot start without them.
set -euo pipefail
PY="${1:-python3}"
probe() {
  QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}
if probe; then
  exit 0
fi
echo "Qt cannot start here; installing the system libraries it needs (apt-get)..." >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install EGL, fontconfig, xkbcommon and D-Bus libraries by hand." >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0 fonts-wqy-microhei >/dev/null
probe || { echo "Qt still cannot start; run: QT_QPA_PLATFORM=offscreen $PY -c 'from PySide6.QtWidgets import QApplication; QApplication([])'" >&2; exit 1; }
