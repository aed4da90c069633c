"""Export the applications of a date range and the dashboard's figures to an Excel file
(openpyxl, write-only: memory stays flat however many rows).

For roles with EXPORT (field managers, admins), like the CSV export (core/exports/csv_list.py),
whose column names, masks and audit row it shares:

- sheet 1, the applications: the CSV's columns (the operator is the salesperson), with real numbers
  (yuan with two decimals, rates as percentages) and local times; the customer's name,
  ID number and phone MASKED, no addresses. ``full_personal_data=True`` writes them in
  full, and needs VIEW_FULL_ID as well; the audit row says which it was;
- sheet 2, the dashboard: the period's totals, by scenario, by salesperson, by store,
  and what is stuck (core.field.dashboard).

Text that Excel would run as a formula is stored as text. One snapshot of the data,
a ``.part`` file, ONE audit row ("exported", format xlsx, count, columns, personal
data), then the file takes its name; a refused, cancelled or failed export leaves none.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core import i18n
from core.applications import labels
from core.applications.reads import Actor, writing
from core.applications.service import ApplicationService
from core.clock import Clock, iso_now
from core.exports.csv_list import COLUMNS, ExportError, ExportResult, written_whole
from core.field.dashboard import Dashboard, Figures, Period, dashboard
from core.ids import uuid7
from core.models import ApplicationDetail
from core.operators import access
from core.security.permissions import Permission, mask_name, require
from core.store.repositories import Repositories

log = logging.getLogger("loandesk.export")

ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]
BATCH = 200
XLSX_COLUMNS = COLUMNS  # "operator" is the salesperson who saved it
_MONEY = "#,##0.00"
_RATE = "0.00%"
_FORMULA_START = ("=", "+", "-", "@")
_RATES = {"annual_rate", "apr", "approval_rate"}

i18n.register(
    {
        "XLSX_SHEET_APPLICATIONS": {"zh_CN": "申请", "en": "Applications"},
        "XLSX_SHEET_DASHBOARD": {"zh_CN": "看板", "en": "Dashboard"},
        "XLSX_PERIOD": {"zh_CN": "期间", "en": "Period"},
        "XLSX_TOTAL": {"zh_CN": "合计", "en": "Total"},
        "XLSX_BY_scenario": {"zh_CN": "按场景", "en": "By scenario"},
        "XLSX_BY_salesperson": {"zh_CN": "按销售员", "en": "By salesperson"},
        "XLSX_BY_store": {"zh_CN": "按门店", "en": "By store"},
        "XLSX_STUCK": {"zh_CN": "待处理", "en": "Stuck"},
        "XLSX_COL_name": {"zh_CN": "项目", "en": "Item"},
        "XLSX_COL_applications": {"zh_CN": "申请数", "en": "Applications"},
        "XLSX_COL_order_total": {"zh_CN": "订单金额（元）", "en": "Order total (yuan)"},
        "XLSX_COL_principal": {"zh_CN": "分期金额（元）", "en": "Amount financed (yuan)"},
        "XLSX_COL_approved_amount": {"zh_CN": "批准金额（元）", "en": "Approved amount (yuan)"},
        "XLSX_COL_approved": {"zh_CN": "批准", "en": "Approved"},
        "XLSX_COL_declined": {"zh_CN": "拒绝", "en": "Declined"},
        "XLSX_COL_review": {"zh_CN": "人工审核", "en": "In review"},
        "XLSX_COL_approval_rate": {"zh_CN": "批准率", "en": "Approval rate"},
        "XLSX_COL_PASS": {"zh_CN": "预审通过", "en": "Pre-screen PASS"},
        "XLSX_COL_REFER": {"zh_CN": "预审转人工", "en": "Pre-screen REFER"},
        "XLSX_COL_DECLINE": {"zh_CN": "预审拒绝", "en": "Pre-screen DECLINE"},
        "XLSX_STUCK_waiting": {"zh_CN": "等待过久", "en": "Waiting too long"},
        "XLSX_STUCK_returned": {"zh_CN": "总部退回", "en": "Returned by head office"},
        "XLSX_STUCK_in_review": {"zh_CN": "审核中", "en": "In review"},
        "XLSX_STUCK_kept_aside": {"zh_CN": "同步暂存", "en": "Kept aside by sync"},
    }
)
FIGURE_COLUMNS = (
    "name", "applications", "order_total", "principal", "approved_amount", "approved",
    "declined", "review", "approval_rate", "PASS", "REFER", "DECLINE",
)  # fmt: skip


def export_xlsx(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    period: Period,
    target: Path,
    *,
    full_personal_data: bool = False,
    lang: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportResult:
    require(actor.role, Permission.EXPORT)
    if full_personal_data:
        require(actor.role, Permission.VIEW_FULL_ID)
    service = ApplicationService(db, actor, clock)
    with written_whole(target) as part:
        with writing(db):  # one snapshot of the list and the figures
            figures = dashboard(db, actor, clock, period)
            count = _write(db, service, figures, part, full_personal_data, lang, progress, cancel)
        _audit(db, actor, clock, count, period, full_personal_data)
    log.info("exported %d applications to Excel", count)
    return ExportResult(target, count, XLSX_COLUMNS)


def _write(
    db: sqlite_utils.Database,
    service: ApplicationService,
    figures: Dashboard,
    part: Path,
    full: bool,
    lang: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(i18n.translate("XLSX_SHEET_APPLICATIONS", lang))
    sheet.append(_bold(sheet, [i18n.translate(f"EXPORT_COL_{c}", lang) for c in XLSX_COLUMNS]))
    query = figures.list_query()
    total, done = service.count(query), 0
    repo = Repositories(db) if full else None
    while done < total:
        if cancel is not None and cancel():
            raise ExportError("EXPORT_CANCELLED")
        rows = service.page(query, done, BATCH)
        if not rows:
            break
        for row in rows:
            detail = service.detail(row.id)  # masked
            if repo is not None:
                detail = repo.application_detail(row.id) or detail
            sheet.append(_cells(sheet, application_cells(detail, full, lang), XLSX_COLUMNS))
        done += len(rows)
        if progress is not None:
            progress("export", done, total)
    _dashboard_sheet(book, figures, lang)
    book.save(part)
    with open(part, "rb+") as out:
        os.fsync(out.fileno())
    return done


def application_cells(d: ApplicationDetail, full: bool, lang: str | None) -> list[Any]:
    """One row, typed for Excel; personal data masked unless ``full``."""
    removed = access.is_purged(d)
    gone = i18n.translate("EXPORT_PERSONAL_DATA_REMOVED", lang)
    name = d.customer.name if full else mask_name(d.customer.name)
    return [
        d.row.id,
        _local(d.row.created_at),
        d.store_code,
        d.operator_name,
        gone if removed else name,
        gone if removed else d.customer.id_number,
        gone if removed else d.customer.phone,
        labels.scenario_text(d.row.scenario, lang),
        yuan(d.row.order_total_fen),
        yuan(d.terms.down_payment_fen),
        yuan(d.row.principal_fen),
        d.terms.term_months,
        labels.method_text(d.terms.method, lang),
        yuan(d.row.first_payment_fen),
        yuan(d.total_repayment_fen),
        d.annual_rate,
        d.apr,
        labels.status_text(d.row.status, lang),
        d.delivery_city,
    ]


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _local(iso: str) -> datetime | str:
    try:
        return datetime.fromisoformat(iso).astimezone().replace(tzinfo=None, microsecond=0)
    except ValueError:
        return iso


def _cell(sheet: Any, value: Any, column: str = "") -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"  # text, never a formula
    elif column in _RATES:
        cell.number_format = _RATE
    elif isinstance(value, Decimal):
        cell.number_format = _MONEY
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def _cells(sheet: Any, values: list[Any], columns: tuple[str, ...]) -> list[WriteOnlyCell]:
    return [_cell(sheet, v, c) for v, c in zip(values, columns, strict=True)]


def _bold(sheet: Any, values: list[Any]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = _cell(sheet, value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _dashboard_sheet(book: Workbook, d: Dashboard, lang: str | None) -> None:
    sheet = book.create_sheet(i18n.translate("XLSX_SHEET_DASHBOARD", lang))
    t = i18n.translate
    sheet.append(_bold(sheet, [t("XLSX_PERIOD", lang)]) + [d.period.first, d.period.last])
    for title, rows in (
        ("XLSX_TOTAL", [d.totals]),
        ("XLSX_BY_scenario", d.by_scenario),
        ("XLSX_BY_salesperson", d.by_salesperson),
        ("XLSX_BY_store", d.by_store),
    ):
        sheet.append([])
        sheet.append(_bold(sheet, [t(title, lang)]))
        sheet.append(_bold(sheet, [t(f"XLSX_COL_{c}", lang) for c in FIGURE_COLUMNS]))
        for f in rows:
            label = t("XLSX_TOTAL", lang) if f is d.totals else _label(title, f, lang)
            sheet.append(_cells(sheet, figure_cells(f, label), FIGURE_COLUMNS))
    sheet.append([])
    sheet.append(_bold(sheet, [t("XLSX_STUCK", lang)]))
    for kind in ("waiting", "returned", "in_review", "kept_aside"):
        sheet.append([t(f"XLSX_STUCK_{kind}", lang), getattr(d.stuck, kind)])


def _label(title: str, f: Figures, lang: str | None) -> str:
    return labels.scenario_text(f.key, lang) if title == "XLSX_BY_scenario" else f.label


def figure_cells(f: Figures, label: str) -> list[Any]:
    rate = f.approval_rate
    return [
        label,
        f.applications,
        yuan(f.order_total_fen),
        yuan(f.principal_fen),
        yuan(f.approved_amount_fen),
        f.decisions.get("approved", 0),
        f.decisions.get("declined", 0),
        f.decisions.get("review", 0),
        float(rate) if rate is not None else None,
        f.prescreen.get("PASS", 0),
        f.prescreen.get("REFER", 0),
        f.prescreen.get("DECLINE", 0),
    ]


def _audit(
    db: sqlite_utils.Database, actor: Actor, clock: Clock, count: int, period: Period, full: bool
) -> None:
    with writing(db):
        Repositories(db).audit(
            iso_now(clock),
            actor.operator_id,
            "exported",
            "export",
            uuid7(),
            detail={
                "format": "xlsx",
                "count": count,
                "columns": list(XLSX_COLUMNS),
                "personal_data": "full" if full else "masked",
                "period": [period.first.isoformat(), period.last.isoformat()],
            },
        )
