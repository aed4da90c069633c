"""The reference server keeps personal data in plain text in exactly the columns its
README lists under "Personal data at rest" (and says what a real central service must
do instead): a push of a known customer, then every column of every table searched."""

from __future__ import annotations

import re
from pathlib import Path

from tests.server.conftest import Device
from tests.server.payloads import item, payload, raw_application

README = Path(__file__).resolve().parents[2] / "server" / "README.md"
NAME, PHONE, ID_NUMBER = "欧阳明远", "13912345678", "110105199003071538"


def _documented_columns() -> set[str]:
    text = README.read_text("utf-8")
    start = text.index("## Personal data at rest")
    section = text[start : text.index("\n## ", start + 1)]
    listed = section.split("Plain text here:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z_]+\.[a-z_]+)`", listed))


def test_personal_data_is_only_where_the_readme_says(device: Device) -> None:
    raw = raw_application(**{"customer.name": NAME, "customer.phone": PHONE})
    body = payload(device.store_code, raw=raw)
    assert device.push([item(body)])[0]["status"] == "created"
    found: set[str] = set()
    srv = device.server
    for table, columns in srv.tables().items():
        for column in columns:
            for value in (NAME, PHONE, ID_NUMBER):
                hit = srv.sql(
                    f"SELECT 1 FROM {table} WHERE CAST({column} AS TEXT) LIKE ? LIMIT 1",
                    (f"%{value}%",),
                )
                if hit:
                    found.add(f"{table}.{column}")
    assert found, "the push stored nothing?"
    assert found == _documented_columns()
    logs = "".join(
        p.read_text("utf-8", "replace") for p in device.server.data_dir.parent.glob("*.err")
    )
    assert NAME not in logs and PHONE not in logs and ID_NUMBER not in logs
