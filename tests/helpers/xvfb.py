"""A real X server (Xvfb) for tests that open real windows, and a way to see them.

    with Xvfb() as x:                                   # a free display, ready to use
        env = {**os.environ, "DISPLAY": x.display, "QT_QPA_PLATFORM": "xcb"}
        app = subprocess.Popen([...], env=env)
        x.wait_for_window("Log in", timeout=60, process=app)

Xvfb picks a free display number itself (``-displayfd``) and says which once it accepts
connections, so parallel test runs never collide and no fixed sleep is needed. Windows
are found with ``xdotool search --onlyvisible --name``: only mapped (shown) top-level
windows count. Every wait is bounded. ``stop`` is idempotent and always reaps Xvfb.
The Makefile installs Xvfb and xdotool (scripts/ensure-system-deps.sh).
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import subprocess
import tempfile
import time
from types import TracebackType

START_TIMEOUT = 30.0
POLL = 0.2


class XvfbError(RuntimeError):
    pass


def title_regex(title: str) -> str:
    """A POSIX extended regex (what xdotool takes) matching window names that start with
    ``title``: Qt appends " — <application display name>" to every window title on X11."""
    return "^" + re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", title)


class Xvfb:
    """``Xvfb -displayfd`` on a free display; ``display`` is ":N" once started."""

    def __init__(self, screen: str = "1280x800x24", timeout: float = START_TIMEOUT) -> None:
        self.display = ""
        # Xvfb's messages go to a file, never a pipe that could fill up and block it; the
        # file lives as long as Xvfb does (closed by stop)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        read_fd, write_fd = os.pipe()
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    screen,
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
            )
        except FileNotFoundError:
            os.close(read_fd)
            os.close(write_fd)
            self._log.close()
            raise XvfbError(
                "Xvfb is not installed (make runs scripts/ensure-system-deps.sh, which installs it)"
            ) from None
        os.close(write_fd)
        try:
            self.display = ":" + self._read_display(read_fd, timeout)
        except BaseException:
            self.stop()
            raise
        finally:
            os.close(read_fd)

    def _read_display(self, fd: int, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise XvfbError(f"Xvfb did not report a display within {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 64)
            if not chunk:  # Xvfb exited without naming a display
                raise XvfbError(f"Xvfb failed to start: {self._stderr()}")
            data += chunk
        return data.decode().strip()

    def _stderr(self) -> str:
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
        self._log.seek(0)
        return self._log.read().decode(errors="replace").strip()[-2000:]

    # --- windows --------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        """The environment a subprocess needs to open its windows here (through xcb)."""
        env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def windows(self, title: str) -> list[str]:
        """Ids of the shown windows whose name starts with ``title``."""
        r = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", title_regex(title)],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=30,
        )
        return r.stdout.split()

    def window_name(self, window_id: str) -> str:
        r = subprocess.run(
            ["xdotool", "getwindowname", window_id],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=30,
        )
        return r.stdout.strip()

    def wait_for_window(
        self, title: str, timeout: float, process: subprocess.Popen[bytes] | None = None
    ) -> str:
        """The id of the first shown window whose name starts with ``title``, waiting at
        most ``timeout`` seconds; fails at once if ``process`` (the program that should
        open it) exits first."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.windows(title)
            if found:
                return found[0]
            if process is not None and process.poll() is not None:
                raise XvfbError(
                    f"the program exited (code {process.returncode}) before a "
                    f"window titled {title!r} was shown"
                )
            if time.monotonic() > deadline:
                raise XvfbError(f"no window titled {title!r} was shown within {timeout:.0f} s")
            time.sleep(POLL)

    def wait_until_no_window(self, title: str, timeout: float) -> None:
        """Wait at most ``timeout`` seconds until no shown window's name starts with
        ``title`` (the X server drops a client's windows once it sees it disconnect)."""
        deadline = time.monotonic() + timeout
        while self.windows(title):
            if time.monotonic() > deadline:
                raise XvfbError(f"a window titled {title!r} was still shown after {timeout:.0f} s")
            time.sleep(POLL)

    # --- lifecycle ------------------------------------------------------------------------
    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self._log.close()

    def __enter__(self) -> Xvfb:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate ``proc`` (kill it if it does not go within ``timeout``) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
