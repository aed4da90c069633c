#!/usr/bin/env bash
# The system libraries and tools LoanDesk needs beyond its Python packages (run by the
# Makefile once per .venv setup; safe to run again at any time).
#
# 1. Qt's shared libraries: `ldd` on the platform plugins the app really uses (xcb for a
#    real X display, offscreen for the tests) and on the Qt libraries behind them. Every
#    library reported "not found" is mapped to its Debian package by Debian's library
#    naming rule (libfoo-bar.so.3 -> libfoo-bar3, libdbus-1.so.3 -> libdbus-1-3), each
#    name checked with apt-cache before it is installed.
# 2. What the tests need from Debian: Xvfb (the app on a real X server), xdotool (to see
#    its window), gnome-keyring and D-Bus (a real Secret Service), a Chinese font,
#    PostgreSQL (tests/server start a throwaway cluster of it: tests/helpers/pg_cluster.py).
#
# Nothing is downloaded when everything is there (no apt-get update). Without apt-get it
# prints what is missing, and exits 1 if Qt's libraries are (the test tools only warn).
#
# Usage: scripts/ensure-system-deps.sh [path/to/python]   (default: python3)
set -euo pipefail
PY="${1:-python3}"

say() { echo "ensure-system-deps: $*" >&2; }

QT_DIR="$("$PY" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')" \
  || { say "cannot import PySide6 with $PY (install the Python packages first)"; exit 1; }
PYSIDE_DIR="$(dirname "$QT_DIR")"

# The files whose shared libraries must all resolve: both platform plugins, the Qt
# libraries the xcb plugin loads, and PySide6's own Qt modules the app imports.
qt_files() {
  local f
  for f in "$QT_DIR/plugins/platforms/libqxcb.so" \
           "$QT_DIR/plugins/platforms/libqoffscreen.so" \
           "$QT_DIR"/lib/libQt6XcbQpa.so.* \
           "$QT_DIR"/lib/libQt6Gui.so.* \
           "$QT_DIR"/lib/libQt6Widgets.so.* \
           "$QT_DIR"/lib/libQt6DBus.so.* \
           "$PYSIDE_DIR"/QtCore.*.so "$PYSIDE_DIR"/QtGui.*.so "$PYSIDE_DIR"/QtWidgets.*.so; do
    if [ -e "$f" ]; then echo "$f"; fi
  done
}

# Sonames that ldd cannot resolve, one a line, sorted, no duplicates.
missing_sonames() {
  local f
  while read -r f; do
    ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 == "not" {print $1}'
  done < <(qt_files) | sort -u
}

# Debian's library package name for a soname (Debian Policy 8.1): drop ".so", append the
# version, with a "-" between them when the name ends in a digit; lower case; "_" -> "-".
#   libxcb-icccm.so.4 -> libxcb-icccm4    libEGL.so.1 -> libegl1
#   libdbus-1.so.3 -> libdbus-1-3         libxkbcommon-x11.so.0 -> libxkbcommon-x11-0
package_by_convention() {
  local soname="$1" base version
  base="${soname%%.so*}"
  version="${soname#*.so}"
  version="${version#.}"
  version="${version%%.*}"
  case "$base" in
    *[0-9]) [ -n "$version" ] && base="$base-" ;;
  esac
  echo "$base$version" | tr 'A-Z_' 'a-z-'
}

# The few libraries whose package does not follow the rule.
package_exception() {
  case "$1" in
    libglib-2.0.so.*|libgobject-2.0.so.*|libgio-2.0.so.*|libgmodule-2.0.so.*|libgthread-2.0.so.*)
      echo libglib2.0-0 ;;
    libGLdispatch.so.*) echo libglvnd0 ;;
    *) return 1 ;;
  esac
}

has_candidate() {
  local policy
  policy="$(apt-cache policy "$1" 2>/dev/null)" || return 1
  [[ "$policy" == *"Candidate: "[!\(]* ]]
}

# The Debian package that ships a soname, checked with apt-cache; also tries the "t64"
# name Debian gave many libraries in its 64-bit time_t move (Debian 13).
package_for() {
  local name candidate
  name="$(package_exception "$1" || package_by_convention "$1")"
  for candidate in "$name" "${name}t64"; do
    if has_candidate "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Debian packages the tests need, as "package:command-or-empty".
TEST_PACKAGES=(
  "xvfb:Xvfb"                       # a real X server for the tests that open the app's window
  "xdotool:xdotool"                 # finds that window by its title
  "gnome-keyring:gnome-keyring-daemon"  # a real Secret Service (tests of the packaged build)
  "dbus:dbus-daemon"                # the session bus gnome-keyring talks on
  "binutils:objdump"                # PyInstaller reads and strips libraries with it (package build)
  "git:git"                         # the build stamp names the commit it was built from
  "fonts-wqy-microhei:"             # a Chinese font, so zh_CN screens show characters
  "postgresql:"                     # initdb/pg_ctl for the tests' throwaway cluster (not on PATH)
)

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing_test_packages() {
  local entry pkg cmd
  for entry in "${TEST_PACKAGES[@]}"; do
    pkg="${entry%%:*}"
    cmd="${entry#*:}"
    if command -v dpkg-query >/dev/null 2>&1; then
      is_installed "$pkg" || echo "$pkg"
    elif [ -n "$cmd" ]; then
      command -v "$cmd" >/dev/null 2>&1 || echo "$pkg"
    fi
  done
}

probe_offscreen() {
  QT_QPA_PLATFORM=offscreen "$PY" -c \
    "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}

mapfile -t SONAMES < <(missing_sonames)
mapfile -t TEST_PKGS < <(missing_test_packages)

install_with_apt() {
  local SUDO=() soname pkg PKGS UNKNOWN STILL
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "not root and no sudo: run this as root"; exit 1; }
    SUDO=(sudo)
  fi
  APT_LOG="$(mktemp -t ensure-system-deps.XXXXXX)"
  trap 'rm -f "$APT_LOG"' EXIT
  run_apt() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$APT_LOG" 2>&1 \
      || { cat "$APT_LOG" >&2; say "apt-get $1 failed (output above)"; exit 1; }
  }
  say "apt-get update..."
  run_apt update -qq
  PKGS=("${TEST_PKGS[@]}")
  UNKNOWN=()
  for soname in "${SONAMES[@]}"; do
    if pkg="$(package_for "$soname")"; then
      PKGS+=("$pkg")
    else
      UNKNOWN+=("$soname (tried $(package_exception "$soname" \
        || package_by_convention "$soname"))")
    fi
  done
  if [ "${#UNKNOWN[@]}" -gt 0 ]; then
    say "no Debian package found for: ${UNKNOWN[*]}"
    say "install the packages that provide them by hand (apt-file search <library>)."
    exit 1
  fi
  mapfile -t PKGS < <(printf '%s\n' "${PKGS[@]}" | sort -u)
  say "installing: ${PKGS[*]}"
  run_apt install -y -qq --no-install-recommends "${PKGS[@]}"
  mapfile -t STILL < <(missing_sonames)
  if [ "${#STILL[@]}" -gt 0 ]; then
    say "Qt still cannot load ${STILL[*]} after installing ${PKGS[*]}"
    exit 1
  fi
  say "done: Qt's libraries all load, and the test tools are installed"
}

if [ "${#SONAMES[@]}" -gt 0 ] || [ "${#TEST_PKGS[@]}" -gt 0 ]; then
  [ "${#SONAMES[@]}" -eq 0 ] || say "Qt cannot load: ${SONAMES[*]}"
  [ "${#TEST_PKGS[@]}" -eq 0 ] || say "not installed (for the tests): ${TEST_PKGS[*]}"
  if command -v apt-get >/dev/null 2>&1; then
    install_with_apt
  else
    say "apt-get not found: install what provides the above with this system's package"
    say "manager (see docs/fresh-machine.md)."
    # without Qt's libraries the app cannot open its window; the test tools only matter
    # to the tests, so `make demo` goes on without them
    [ "${#SONAMES[@]}" -eq 0 ] || exit 1
  fi
fi

probe_offscreen || {
  say "Qt still cannot start; to see why run:"
  say "  QT_QPA_PLATFORM=offscreen $PY -c 'from PySide6.QtWidgets import QApplication; QApplication([])'"
  exit 1
}
