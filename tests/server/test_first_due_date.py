"""The store's first-payment date travels in the payload (``terms.first_due_date``) and
head office checks it against the application's own day (its ``created_at``, China
date), not the day it arrived: a store that syncs late is not refused for a date that
was valid at the counter; a date out of range for that day is still refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from core.clock import CHINA_TZ
from tests.server.conftest import Device
from tests.server.payloads import CREATED_AT, item, payload

APPLICATION_DAY = datetime.fromisoformat(CREATED_AT).astimezone(CHINA_TZ).date()


def _with_first_due(store_code: str, first_due: date) -> dict[str, Any]:
    body = payload(store_code)  # the figures do not depend on the due dates
    body["application"]["terms"]["first_due_date"] = first_due.isoformat()
    return body


def test_a_date_valid_on_the_application_day_is_accepted_months_later(device: Device) -> None:
    today = datetime.now(CHINA_TZ).date()
    first_due = APPLICATION_DAY + timedelta(days=20)
    assert first_due < today  # long past by the time it syncs
    [result] = device.push([item(_with_first_due(device.store_code, first_due))])
    assert result["status"] == "created", result


def test_a_date_out_of_range_for_the_application_day_is_refused(device: Device) -> None:
    too_late = APPLICATION_DAY + timedelta(days=90)  # more than 62 days after
    same_day = APPLICATION_DAY  # the first payment is due after the application day
    results = device.push(
        [
            item(_with_first_due(device.store_code, too_late)),
            item(_with_first_due(device.store_code, same_day)),
        ]
    )
    for result in results:
        assert result["status"] == "invalid", result
        [reason] = result["reasons"]
        assert (reason["field"], reason["code"]) == ("terms.first_due_date", "FIRST_DUE_DATE_RANGE")
