"""The test proxy itself does what the fault tests rely on."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
import requests

from tests.helpers.proxy import Proxy
from tests.helpers.server import RealServer


def _health(url: str) -> int:
    with requests.Session() as s:
        return s.get(f"{url}/v1/health", timeout=5).status_code


def test_down_refuses_up_restores_cut_and_close_joins(tmp_path: Path) -> None:
    before = threading.active_count()
    with RealServer(tmp_path) as srv, Proxy(srv.port) as proxy:
        port = proxy.port
        assert _health(proxy.url) == 200
        proxy.down()
        with pytest.raises(requests.ConnectionError, match="(?i)refused"):
            _health(proxy.url)
        proxy.up()
        assert proxy.port == port and _health(proxy.url) == 200

        proxy.cut_after_request("/v1/health")
        with pytest.raises(requests.ConnectionError):
            _health(proxy.url)
        assert proxy.counts()["cut"] == 1
        assert proxy.replies("/v1/health")[-1][1] == 200  # the server did answer
        assert _health(proxy.url) == 200  # once only

        proxy.drop_rate(1.0, random.Random(3))
        for _ in range(6):
            with pytest.raises(requests.ConnectionError):
                _health(proxy.url)
        proxy.heal()
        assert _health(proxy.url) == 200
        assert len(proxy.requests("/v1/health")) == 11
    assert threading.active_count() == before
