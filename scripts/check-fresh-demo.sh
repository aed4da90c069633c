#!/usr/bin/env bash
# Shows that a fresh clone of this repository reaches the sign-in window through
# `make demo`, on a real X server (Xvfb), as a new user's first run would.
#
#   scripts/check-fresh-demo.sh            # clones the committed HEAD of this repository
#   scripts/check-fresh-demo.sh PATH|URL   # or another clone
#
# It clones into a temporary folder, starts Xvfb on a free display, runs `make demo` there
# with DISPLAY set (so Qt uses its xcb platform, like on a desktop) and
# LOANDESK_EXIT_AFTER_SHOWN=1 (the app prints "SHOWN <screen>" once its first window is
# shown, then quits), and checks that it printed "SHOWN login". `make demo` in the clone
# makes its own .venv and runs scripts/ensure-system-deps.sh, which installs any missing
# system library (apt-get; root or sudo). The demo's data goes to the temporary folder.
# Needs git, make, python3 and Xvfb. Exit 0 when the window was reached, 1 otherwise.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="${1:-$(git -C "$HERE/.." rev-parse --show-toplevel)}"
MAKE_TIMEOUT="${MAKE_TIMEOUT:-1200}"  # seconds for the whole `make demo` (pip install too)
XVFB_TIMEOUT=30

say() { echo "check-fresh-demo: $*"; }

command -v Xvfb >/dev/null 2>&1 || {
  say "Xvfb is not installed (Debian: apt-get install xvfb)"; exit 1; }

WORK="$(mktemp -d -t loandesk-fresh-demo.XXXXXX)"
XVFB_PID=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$XVFB_PID" ] && kill -0 "$XVFB_PID" 2>/dev/null; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say "cloning $SOURCE into $WORK/loandesk"
git clone --quiet "$SOURCE" "$WORK/loandesk"
say "commit $(git -C "$WORK/loandesk" log -1 --format='%h %s' | cut -c1-90)"

# Xvfb picks a free display itself and writes its number once it accepts connections.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" \
  >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq $((XVFB_TIMEOUT * 10))); do
  [ -s "$WORK/display" ] && break
  kill -0 "$XVFB_PID" 2>/dev/null || { cat "$WORK/xvfb.log"; say "Xvfb failed to start"; exit 1; }
  sleep 0.1
done
[ -s "$WORK/display" ] || { say "Xvfb gave no display within ${XVFB_TIMEOUT} s"; exit 1; }
DISPLAY_NUM=":$(tr -d '[:space:]' <"$WORK/display")"
say "Xvfb on DISPLAY=$DISPLAY_NUM"

say "running make demo (a fresh .venv: this takes a while)..."
set +e
(
  cd "$WORK/loandesk"
  # as on a desktop: Qt's default platform (xcb) on this display, no test switches
  unset QT_QPA_PLATFORM WAYLAND_DISPLAY PYTHON_KEYRING_BACKEND LOANDESK_TEST_KEYRING_FILE
  DISPLAY="$DISPLAY_NUM" LOANDESK_EXIT_AFTER_SHOWN=1 LOANDESK_DATA_DIR="$WORK/data" \
    timeout "$MAKE_TIMEOUT" make demo
) >"$WORK/make.log" 2>&1 </dev/null
STATUS=$?
set -e

say "--- make demo said (pip lines left out) ---"
grep -v -e '^\s*$' -e 'pip install' -e '^\[notice\]' -e '^WARNING: Location' \
  -e 'BuildBackendWarning' -e '^\s*!!' -e '^\s*\*\*\*' -e 'Please be careful' \
  -e 'name as your package' -e 'with strategy, WheelFile' "$WORK/make.log" | tail -n 25 || true
say "---"
if [ "$STATUS" -eq 0 ] && grep -qx 'SHOWN login' "$WORK/make.log"; then
  say "OK: the fresh clone reached the sign-in window (SHOWN login) on $DISPLAY_NUM"
  exit 0
fi
[ "$STATUS" -eq 124 ] && say "make demo did not finish within ${MAKE_TIMEOUT} s"
say "FAILED: make demo exited $STATUS without printing 'SHOWN login'"
KEEP=1
exit 1
