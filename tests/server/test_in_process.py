"""``server.app.start_in_thread``: the reference server inside another process (--demo)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from server.app import start_in_thread


def test_start_in_thread_serves_and_stops(tmp_path: Path) -> None:
    running = start_in_thread(tmp_path / "srv")
    try:
        assert running.url.startswith("http://127.0.0.1:")
        reply = requests.get(f"{running.url}/v1/health", timeout=10)
        assert reply.status_code == 200 and "Date" in reply.headers
        faults = requests.post(f"{running.url}/v1/_test/faults", json={}, timeout=10)
        assert faults.status_code == 404  # never test hooks in-process
        code = running.add_store("S001", name="演示店", city="上海")
        body = {"store_code": "S001", "enrollment_code": code, "device_id": "demo-pc"}
        enrolled = requests.post(f"{running.url}/v1/devices/enroll", json=body, timeout=10)
        assert enrolled.status_code == 200 and enrolled.json()["store_name"] == "演示店"
    finally:
        running.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{running.url}/v1/health", timeout=2)
    again = start_in_thread(tmp_path / "srv")  # the same data survives a restart
    try:
        assert requests.get(f"{again.url}/v1/health", timeout=10).status_code == 200
    finally:
        again.stop()
