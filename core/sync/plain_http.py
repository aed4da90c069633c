"""Which server addresses LoanDesk talks to in clear: none but this PC itself. The device
token and customers' personal data travel only over https://; plain http:// is accepted
for loopback (127.0.0.0/8, ::1, localhost), where the reference server runs for tests
and the demo. Light to import (the rollout file is read at the first screen)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from core import i18n

PLAIN_HTTP_REFUSED = "SYNC_PLAIN_HTTP_REFUSED"
i18n.register(
    {
        PLAIN_HTTP_REFUSED: {
            "zh_CN": "服务器地址 {url} 使用明文 http://：设备令牌和客户个人信息会以明文在网络上传输，"
            "因此不予连接。请使用 https:// 地址（http:// 只允许连接本机 127.0.0.1 / localhost，"
            "用于测试）。",
            "en": "The server address {url} uses plain http://: the device token and "
            "customers' personal data would cross the network unencrypted, so LoanDesk does "
            "not connect. Use an https:// address (http:// is accepted only for this PC "
            "itself, 127.0.0.1 / localhost, for tests).",
        },
    }
)


def is_loopback_host(host: str | None) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1): traffic that never leaves
    this PC."""
    if not host:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def plain_http_refused(url: str) -> bool:
    """True for an ``http://`` URL to any host but this PC: the token and personal data
    must not travel in clear. (``https://`` and malformed URLs are judged elsewhere.)"""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() == "http" and not is_loopback_host(host)
