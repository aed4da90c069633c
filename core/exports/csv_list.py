"""Export the applications list (what the screen shows for a ListQuery) to a CSV file.

For field managers and admins (``Permission.EXPORT``). The file leaves the protected PC,
so it carries the application data with the customer's name, ID number and phone
MASKED (张**, 110105********002X, 138****5678) and no addresses; retention-purged
customers say so. UTF-8 with a BOM, so Excel opens the Chinese correctly; cells that
Excel would run as a formula are defused.

A plain blocking call (``progress(phase, done, total)``, ``cancel() -> bool``) for the
background runner: it reads one snapshot of the list, writes a temporary file beside
the target, records ONE audit row ("exported", detail {count, columns}) and only then
moves the file into place. A refused, cancelled or failed export leaves no file.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from core import i18n
from core.applications import labels
from core.applications.reads import Actor, writing
from core.applications.service import ApplicationService
from core.clock import Clock, iso_now
from core.errors import CoreError
from core.ids import uuid7
from core.models import ApplicationDetail, ListQuery
from core.money import format_fen
from core.operators import access
from core.security.permissions import Permission, mask_name
from core.store.repositories import Repositories

log = logging.getLogger("loandesk.export")

ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]
BATCH = 200
PHASE = "export"

COLUMNS = (
    "application_id",
    "created_at",
    "store",
    "operator",
    "customer",
    "id_number",
    "phone",
    "category",
    "order_total",
    "down_payment",
    "loan_amount",
    "term_months",
    "method",
    "first_payment",
    "total_repayment",
    "annual_rate",
    "apr",
    "status",
    "delivery_city",
)

i18n.register(
    {
        "EXPORT_COL_application_id": {"zh_CN": "申请编号", "en": "Application number"},
        "EXPORT_COL_created_at": {"zh_CN": "创建时间", "en": "Created"},
        "EXPORT_COL_store": {"zh_CN": "门店", "en": "Store"},
        "EXPORT_COL_operator": {"zh_CN": "经办人", "en": "Operator"},
        "EXPORT_COL_customer": {"zh_CN": "客户", "en": "Customer"},
        "EXPORT_COL_id_number": {"zh_CN": "身份证号", "en": "ID number"},
        "EXPORT_COL_phone": {"zh_CN": "手机号", "en": "Mobile phone"},
        "EXPORT_COL_category": {"zh_CN": "商品类别", "en": "Category"},
        "EXPORT_COL_order_total": {"zh_CN": "订单金额（元）", "en": "Order total (yuan)"},
        "EXPORT_COL_down_payment": {"zh_CN": "首付（元）", "en": "Down payment (yuan)"},
        "EXPORT_COL_loan_amount": {"zh_CN": "分期金额（元）", "en": "Loan amount (yuan)"},
        "EXPORT_COL_term_months": {"zh_CN": "期数", "en": "Term (months)"},
        "EXPORT_COL_method": {"zh_CN": "还款方式", "en": "Repayment method"},
        "EXPORT_COL_first_payment": {"zh_CN": "首月还款（元）", "en": "First payment (yuan)"},
        "EXPORT_COL_total_repayment": {"zh_CN": "还款总额（元）", "en": "Total repayment (yuan)"},
        "EXPORT_COL_annual_rate": {"zh_CN": "名义年利率", "en": "Nominal annual rate"},
        "EXPORT_COL_apr": {"zh_CN": "年化利率（APR）", "en": "APR"},
        "EXPORT_COL_status": {"zh_CN": "状态", "en": "Status"},
        "EXPORT_COL_delivery_city": {"zh_CN": "送货城市", "en": "Delivery city"},
        "EXPORT_PERSONAL_DATA_REMOVED": {"zh_CN": "已按保留期限删除", "en": "removed (retention)"},
        "EXPORT_WRITE_FAILED": {
            "zh_CN": "导出文件无法写入：{detail}。请换一个位置（如桌面）或检查 U 盘后重试，"
            "未生成任何文件。",
            "en": "The export file could not be written: {detail}. Choose another place "
            "(e.g. the desktop) or check the USB stick and try again; no file was made.",
        },
        "EXPORT_CANCELLED": {
            "zh_CN": "导出已取消，未生成文件。",
            "en": "Export cancelled; no file was made.",
        },
    }
)


class ExportError(CoreError):
    """The export did not happen (code + parameters, like ServiceError)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int
    columns: tuple[str, ...]


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A ``.part`` file beside ``target`` for the block to write; it takes ``target``'s
    name only when the block ends normally. A file that cannot be written is
    EXPORT_WRITE_FAILED, and no file is left either way."""
    part = target.with_name(f".{target.name}.{uuid7()[-8:]}.part")
    try:
        yield part
        os.replace(part, target)
    except OSError as exc:
        log.warning("export failed: %s", type(exc).__name__)
        raise ExportError("EXPORT_WRITE_FAILED", detail=exc.strerror or type(exc).__name__) from exc
    finally:
        part.unlink(missing_ok=True)


def export_csv(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    query: ListQuery,
    target: Path,
    *,
    lang: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportResult:
    """Write the applications ``query`` selects to ``target`` as CSV; needs EXPORT."""
    access.require_current(db, actor, Permission.EXPORT)
    service = ApplicationService(db, actor, clock)
    with written_whole(target) as part:
        with writing(db):  # one snapshot of the list, however long the export takes
            count = _write(service, query, part, lang, progress, cancel)
        _audit(db, actor, clock, count)
    log.info("exported %d applications to CSV", count)
    return ExportResult(target, count, COLUMNS)


def _write(
    service: ApplicationService,
    query: ListQuery,
    part: Path,
    lang: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> int:
    total = service.count(query)
    done = 0
    with open(part, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([i18n.translate(f"EXPORT_COL_{c}", lang) for c in COLUMNS])
        while done < total:
            if cancel is not None and cancel():
                raise ExportError("EXPORT_CANCELLED")
            rows = service.page(query, done, BATCH)
            if not rows:
                break
            for row in rows:
                writer.writerow(_cells(service.detail(row.id), lang))
            done += len(rows)
            if progress is not None:
                progress(PHASE, done, total)
        out.flush()
        os.fsync(out.fileno())
    return done


def _audit(db: sqlite_utils.Database, actor: Actor, clock: Clock, count: int) -> None:
    with writing(db):
        Repositories(db).audit(
            iso_now(clock),
            actor.operator_id,
            "exported",
            "export",
            uuid7(),
            detail={"count": count, "columns": list(COLUMNS)},
        )


def _cells(d: ApplicationDetail, lang: str | None) -> list[str]:
    """One line; ``d`` comes from ApplicationService.detail, so ID and phone are masked."""
    removed = access.is_purged(d)
    gone = i18n.translate("EXPORT_PERSONAL_DATA_REMOVED", lang)
    return [
        d.row.id,
        _local(d.row.created_at),
        d.store_code,
        _text(d.operator_name),
        gone if removed else _text(mask_name(d.customer.name)),
        gone if removed else d.customer.id_number,
        gone if removed else d.customer.phone,
        labels.scenario_text(d.row.scenario, lang),
        format_fen(d.row.order_total_fen, grouping=False),
        format_fen(d.terms.down_payment_fen, grouping=False),
        format_fen(d.row.principal_fen, grouping=False),
        str(d.terms.term_months),
        labels.method_text(d.terms.method, lang),
        format_fen(d.row.first_payment_fen, grouping=False),
        format_fen(d.total_repayment_fen, grouping=False),
        f"{d.annual_rate * 100:.2f}%",
        f"{d.apr * 100:.2f}%",
        labels.status_text(d.row.status, lang),
        _text(d.delivery_city),
    ]


def _local(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def _text(value: str) -> str:
    """Excel runs a cell starting with = + - @ as a formula: make it plain text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
