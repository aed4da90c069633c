"""The Excel export opened with openpyxl and checked cell by cell: masked personal data,
typed numbers and dates, the dashboard sheet, the audit row, who may export what."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.applications import labels
from core.context import AppContext
from core.exports.xlsx import XLSX_COLUMNS, _cell, export_xlsx, yuan
from core.field.dashboard import Period, dashboard
from core.operators.actor import Actor
from core.security.permissions import PermissionDenied, Role, mask_name

PERIOD = Period.between(date(2026, 2, 1), date(2026, 2, 28))


def _audits(ctx: AppContext) -> list[dict[str, object]]:
    rows = ctx.db.execute("SELECT detail FROM audit_log WHERE action = 'exported'").fetchall()
    return [json.loads(r[0]) for r in rows]


def test_every_cell_of_the_workbook(ctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "february.xlsx"
    result = export_xlsx(ctx.db, ctx.actor, ctx.clock, PERIOD, target, lang="zh_CN")
    book = load_workbook(target)
    assert book.sheetnames == ["申请", "看板"]
    sheet = book["申请"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("申请编号", "创建时间", "门店", "经办人", "客户", "身份证号", "手机号",
                       "商品类别", "订单金额（元）", "首付（元）", "分期金额（元）", "期数",
                       "还款方式", "首月还款（元）", "还款总额（元）", "名义年利率",
                       "年化利率（APR）", "状态", "送货城市")  # fmt: skip
    d = dashboard(ctx.db, ctx.actor, ctx.clock, PERIOD)
    expected_ids = [r.id for r in ctx.applications.page(d.list_query(), 0, 10_000)]
    assert [r[0] for r in rows[1:]] == expected_ids and result.count == len(expected_ids) > 20
    for row in rows[1:]:
        full = ctx.applications._full_detail(str(row[0]))  # the unmasked truth
        assert row[1] == datetime.fromisoformat(full.row.created_at).astimezone().replace(
            tzinfo=None, microsecond=0
        )
        assert row[2] == full.store_code and row[3] == full.operator_name
        assert row[4] == mask_name(full.customer.name) != full.customer.name
        assert row[5] == full.customer.id_number[:6] + "********" + full.customer.id_number[-4:]
        assert row[6] == full.customer.phone[:3] + "****" + full.customer.phone[-4:]
        assert row[7] == labels.scenario_text(full.row.scenario, "zh_CN")
        money = (full.row.order_total_fen, full.terms.down_payment_fen, full.row.principal_fen)
        assert [Decimal(str(v)) for v in row[8:11]] == [yuan(f) for f in money]
        assert row[11] == full.terms.term_months
        assert row[12] == labels.method_text(full.terms.method, "zh_CN")
        assert Decimal(str(row[13])) == yuan(full.row.first_payment_fen)
        assert Decimal(str(row[14])) == yuan(full.total_repayment_fen)
        assert Decimal(str(row[15])) == full.annual_rate and Decimal(str(row[16])) == full.apr
        assert row[17] == labels.status_text(full.row.status, "zh_CN")
        assert row[18] == full.delivery_city
    first = sheet["I2"]
    assert first.number_format == "#,##0.00" and sheet["P2"].number_format == "0.00%"

    dash = list(book["看板"].iter_rows(values_only=True))
    assert dash[0][:3] == ("期间", datetime(2026, 2, 1), datetime(2026, 2, 28))
    total = dash[dash.index(("合计",) + (None,) * 11) + 2]
    assert total[0] == "合计" and total[1] == d.totals.applications == len(expected_ids)
    assert Decimal(str(total[3])) == yuan(d.totals.principal_fen)
    assert total[5:8] == tuple(
        d.totals.decisions.get(k, 0) for k in ("approved", "declined", "review")
    )
    by_person = dash.index(("按销售员",) + (None,) * 11)
    people = {r[0]: r[1] for r in dash[by_person + 2 : by_person + 2 + len(d.by_salesperson)]}
    assert people == {f.label: f.applications for f in d.by_salesperson}
    stuck = {r[0]: r[1] for r in dash if r[0] in ("等待过久", "总部退回", "审核中", "同步暂存")}
    assert stuck == {"等待过久": d.stuck.waiting, "总部退回": 1, "审核中": 50, "同步暂存": 1}

    (audit,) = _audits(ctx)
    assert audit["format"] == "xlsx" and audit["count"] == result.count
    assert audit["personal_data"] == "masked" and audit["columns"] == list(XLSX_COLUMNS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["february.xlsx", "pc"]  # no .part


def test_full_personal_data_only_for_roles_that_may_see_it(ctx: AppContext, tmp_path: Path) -> None:
    manager = Actor(ctx.actor.store_id, ctx.actor.operator_id, Role.FIELD_MANAGER)
    export_xlsx(ctx.db, manager, ctx.clock, PERIOD, tmp_path / "full.xlsx", full_personal_data=True)
    row = next(
        load_workbook(tmp_path / "full.xlsx").worksheets[0].iter_rows(min_row=2, values_only=True)
    )
    full = ctx.applications._full_detail(str(row[0]))
    assert (row[4], row[5], row[6]) == (
        full.customer.name,
        full.customer.id_number,
        full.customer.phone,
    )
    assert _audits(ctx)[-1]["personal_data"] == "full"

    clerk = Actor(ctx.actor.store_id, ctx.actor.operator_id, Role.CLERK)
    with pytest.raises(PermissionDenied):
        export_xlsx(ctx.db, clerk, ctx.clock, PERIOD, tmp_path / "clerk.xlsx")
    assert not (tmp_path / "clerk.xlsx").exists() and len(_audits(ctx)) == 1


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append([_cell(sheet, '=HYPERLINK("http://x")'), _cell(sheet, "@SUM(1)")])
    book.save(tmp_path / "t.xlsx")
    cells = next(load_workbook(tmp_path / "t.xlsx")["t"].iter_rows())
    assert [c.data_type for c in cells] == ["s", "s"]
    assert cells[0].value == '=HYPERLINK("http://x")'


def test_export_xlsx_command(tmp_path: Path, shared_keyring: object) -> None:
    import subprocess
    import sys

    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data import seed_demo
    from tests.core.fieldmgr.conftest import NOW

    ctx = open_context(resolve_paths(tmp_path / "pc"))
    seed_demo(ctx.applications, 30, 3, NOW, salespeople=2, days=10)
    ctx.close()
    root = Path(__file__).resolve().parents[3]
    args = [sys.executable, "main.py", "--data-dir", str(tmp_path / "pc"), "export-xlsx"]
    done = subprocess.run(
        [*args, "--out", str(tmp_path / "x.xlsx"), "--from", "2026-03-01", "--to", "2026-03-31"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(tmp_path / "x.xlsx").worksheets[0]
    assert sheet.max_row - 1 == int(done.stdout.split()[0]) > 0
    bad = subprocess.run(
        [*args, "--out", str(tmp_path / "y.xlsx"), "--from", "March"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "not a date" in bad.stderr
