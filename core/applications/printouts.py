"""What is printed for the customer, as HTML the screens lay out on paper: the repayment
plan (each period's due date and amounts, the total interest and fees, the nominal rate
and the APR), the application summary (the customer's data masked, except the signature
block, where the customer signs beside their name) and the consent form (the texts of
the version the customer consented to), in Chinese or English.

Pure: no Qt, no database; every value is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core import i18n
from core.applications import labels
from core.consent.texts import ConsentVersion
from core.models import ApplicationDetail
from core.money import Schedule, format_fen

PLAN, SUMMARY, CONSENT = "plan", "summary", "consent"
KINDS = (PLAN, SUMMARY, CONSENT)
PAGE_BREAK = '<div style="page-break-before: always;"></div>'

i18n.register(
    {
        "PRINT_PLAN_TITLE": {"zh_CN": "分期还款计划", "en": "Repayment plan"},
        "PRINT_SUMMARY_TITLE": {"zh_CN": "分期申请摘要", "en": "Application summary"},
        "PRINT_CONSENT_TITLE": {"zh_CN": "客户授权书", "en": "Customer consent"},
        "PRINT_APPLICATION": {"zh_CN": "申请编号", "en": "Application number"},
        "PRINT_STORE": {"zh_CN": "门店", "en": "Store"},
        "PRINT_PRINCIPAL": {"zh_CN": "分期金额（元）", "en": "Loan amount (yuan)"},
        "PRINT_TERM": {"zh_CN": "期数", "en": "Term"},
        "PRINT_MONTHS": {"zh_CN": "{n} 期", "en": "{n} months"},
        "PRINT_METHOD": {"zh_CN": "还款方式", "en": "Repayment method"},
        "PRINT_RATE": {"zh_CN": "名义年利率", "en": "Nominal annual rate"},
        "PRINT_APR": {
            "zh_CN": "年化利率（APR，含全部费用）",
            "en": "APR (annual percentage rate, all fees included)",
        },
        "PRINT_TOTAL_REPAYMENT": {"zh_CN": "还款总额（元）", "en": "Total repayment (yuan)"},
        "PRINT_TOTAL_INTEREST": {"zh_CN": "利息合计（元）", "en": "Total interest (yuan)"},
        "PRINT_TOTAL_FEES": {"zh_CN": "费用合计（元）", "en": "Total fees (yuan)"},
        "PRINT_PERIOD": {"zh_CN": "期次", "en": "Period"},
        "PRINT_DUE_DATE": {"zh_CN": "还款日", "en": "Due date"},
        "PRINT_PAYMENT": {"zh_CN": "应还金额", "en": "Payment"},
        "PRINT_PRINCIPAL_PART": {"zh_CN": "本金", "en": "Principal"},
        "PRINT_INTEREST": {"zh_CN": "利息", "en": "Interest"},
        "PRINT_FEE": {"zh_CN": "费用", "en": "Fee"},
        "PRINT_BALANCE": {"zh_CN": "剩余本金", "en": "Balance"},
        "PRINT_NO_DATES": {
            "zh_CN": "此申请保存时尚无还款日，请以合同约定为准。",
            "en": "This application was saved before due dates existed; the contract's "
            "dates apply.",
        },
        "PRINT_NO_SCHEDULE": {
            "zh_CN": "无法生成还款计划。",
            "en": "The repayment plan cannot be shown.",
        },
        "PRINT_CUSTOMER": {"zh_CN": "客户", "en": "Customer"},
        "PRINT_NAME": {"zh_CN": "姓名", "en": "Name"},
        "PRINT_ID_NUMBER": {"zh_CN": "身份证号", "en": "ID number"},
        "PRINT_PHONE": {"zh_CN": "手机号", "en": "Mobile phone"},
        "PRINT_ADDRESS": {"zh_CN": "居住地址", "en": "Home address"},
        "PRINT_DELIVERY": {"zh_CN": "送货地址", "en": "Delivery address"},
        "PRINT_GOODS": {"zh_CN": "商品", "en": "Goods"},
        "PRINT_QTY": {"zh_CN": "数量", "en": "Qty"},
        "PRINT_UNIT_PRICE": {"zh_CN": "单价（元）", "en": "Unit price (yuan)"},
        "PRINT_ORDER_TOTAL": {"zh_CN": "订单金额（元）", "en": "Order total (yuan)"},
        "PRINT_DOWN_PAYMENT": {"zh_CN": "首付（元）", "en": "Down payment (yuan)"},
        "PRINT_CATEGORY": {"zh_CN": "商品类别", "en": "Category"},
        "PRINT_MASKED_NOTE": {
            "zh_CN": "为保护个人信息，本摘要中的客户信息已部分隐藏。",
            "en": "The customer's data is partly hidden on this summary to protect it.",
        },
        "PRINT_SIGN_HERE": {
            "zh_CN": "本人已阅读并确认以上内容。客户签名：",
            "en": "I have read and confirm the above. Customer's signature:",
        },
        "PRINT_SIGN_NAME": {"zh_CN": "客户姓名：", "en": "Customer's name:"},
        "PRINT_DATE": {"zh_CN": "日期：", "en": "Date:"},
        "PRINT_CONSENT_VERSION": {
            "zh_CN": "授权书版本：{version}",
            "en": "Consent version: {version}",
        },
        "PRINT_CONSENT_UNKNOWN": {
            "zh_CN": "此申请未记录授权书版本，无法打印授权书。",
            "en": "No consent version is recorded for this application: no consent form to print.",
        },
    }
)


@dataclass(frozen=True)
class PrintFacts:
    """What the printouts say about one application: the detail as core hands it to
    the screens (ID number and phone masked), its stored schedule (with due dates) and
    the consent version the customer agreed to (None: none recorded)."""

    detail: ApplicationDetail
    schedule: Schedule | None
    consent: ConsentVersion | None
    consent_version: str | None


def _t(code: str, lang: str, **params: object) -> str:
    return html.escape(i18n.translate(code, lang, **params))


def _e(text: object) -> str:
    return html.escape(str(text))


def percent(fraction: Decimal) -> str:
    """0.1298 -> "12.98%"."""
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def mask_name(name: str) -> str:
    """王秀英 -> 王*英, 王芳 -> 王*, Zhang San -> Z********"""
    if len(name) <= 1:
        return name
    if len(name) == 2 or not re.search(r"[\u4e00-\u9fff]", name):
        return name[0] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_address(address: str) -> str:
    """The first few characters (district level) and stars for the rest."""
    keep = min(6, len(address) // 2)
    return address[:keep] + "*" * min(8, len(address) - keep)


_STYLE = (
    "<style>h1 { font-size: 16pt; } td, th { padding: 3px 6px; } "
    "th { background: #eeeeee; } .num { text-align: right; } "
    ".note { color: #555555; font-size: 9pt; }</style>"
)


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{k}</td><td><b>{v}</b></td></tr>" for k, v in pairs)
    return f'<table cellspacing="0" cellpadding="3">{cells}</table>'


def _head(title_code: str, facts: PrintFacts, lang: str) -> str:
    d = facts.detail
    return (
        f"<h1>{_t(title_code, lang)}</h1>"
        f"<p>{_t('PRINT_APPLICATION', lang)}: {_e(d.row.id)}<br/>"
        f"{_t('PRINT_STORE', lang)}: {_e(d.store_code)}</p>"
    )


def plan_html(facts: PrintFacts, lang: str) -> str:
    """The repayment plan: the terms, the totals, the APR and each period."""
    d, schedule = facts.detail, facts.schedule
    out = [_head("PRINT_PLAN_TITLE", facts, lang)]
    interest = sum(r.interest_fen for r in schedule.rows) if schedule else 0
    fees = (sum(r.fee_fen for r in schedule.rows) if schedule else 0) + d.upfront_fee_fen
    out.append(
        _rows(
            [
                (_t("PRINT_PRINCIPAL", lang), _e(format_fen(d.row.principal_fen))),
                (_t("PRINT_TERM", lang), _t("PRINT_MONTHS", lang, n=d.terms.term_months)),
                (_t("PRINT_METHOD", lang), _e(labels.method_text(d.terms.method, lang))),
                (_t("PRINT_RATE", lang), _e(percent(d.annual_rate))),
                (_t("PRINT_APR", lang), _e(percent(d.apr))),
                (_t("PRINT_TOTAL_INTEREST", lang), _e(format_fen(interest))),
                (_t("PRINT_TOTAL_FEES", lang), _e(format_fen(fees))),
                (_t("PRINT_TOTAL_REPAYMENT", lang), _e(format_fen(d.total_repayment_fen))),
            ]
        )
    )
    if schedule is None:
        out.append(f"<p>{_t('PRINT_NO_SCHEDULE', lang)}</p>")
        return _STYLE + "".join(out)
    heads: tuple[str, ...] = ("PRINT_PERIOD", "PRINT_DUE_DATE", "PRINT_PAYMENT")
    heads += ("PRINT_PRINCIPAL_PART", "PRINT_INTEREST", "PRINT_FEE", "PRINT_BALANCE")
    rows = [
        "<tr>" + "".join(f"<th>{_t(h, lang)}</th>" for h in heads) + "</tr>",
    ]
    for r in schedule.rows:
        due = r.due_date.isoformat() if r.due_date is not None else "—"
        amounts = (r.payment_fen, r.principal_fen, r.interest_fen, r.fee_fen, r.balance_fen)
        cells = "".join(f'<td class="num">{_e(format_fen(v))}</td>' for v in amounts)
        rows.append(f'<tr><td class="num">{r.period}</td><td>{due}</td>{cells}</tr>')
    out.append(
        '<p></p><table border="1" cellspacing="0" cellpadding="3" width="100%">'
        + "".join(rows)
        + "</table>"
    )
    if not schedule.due_dates:
        out.append(f'<p class="note">{_t("PRINT_NO_DATES", lang)}</p>')
    return _STYLE + "".join(out)


def _signature(name: str, lang: str) -> str:
    line = "_" * 24
    return (
        f"<p><br/>{_t('PRINT_SIGN_HERE', lang)} {line}</p>"
        f"<p>{_t('PRINT_SIGN_NAME', lang)} {_e(name)}　　{_t('PRINT_DATE', lang)} {line}</p>"
    )


def summary_html(facts: PrintFacts, lang: str) -> str:
    """The application with the customer's data masked, and the signature block (the
    one place with the customer's full name)."""
    d = facts.detail
    c = d.customer
    out = [_head("PRINT_SUMMARY_TITLE", facts, lang)]
    out.append(f"<h3>{_t('PRINT_CUSTOMER', lang)}</h3>")
    out.append(
        _rows(
            [
                (_t("PRINT_NAME", lang), _e(mask_name(c.name))),
                (_t("PRINT_ID_NUMBER", lang), _e(c.id_number)),  # masked by core
                (_t("PRINT_PHONE", lang), _e(c.phone)),  # masked by core
                (_t("PRINT_ADDRESS", lang), _e(f"{c.home_city} {mask_address(c.home_address)}")),
                (
                    _t("PRINT_DELIVERY", lang),
                    _e(f"{d.delivery_city} {mask_address(d.delivery_address)}"),
                ),
            ]
        )
    )
    out.append(f"<h3>{_t('PRINT_GOODS', lang)}</h3>")
    goods = "".join(
        f"<tr><td>{_e(ln.name)}</td><td class='num'>{ln.quantity}</td>"
        f"<td class='num'>{_e(format_fen(ln.unit_price_fen))}</td></tr>"
        for ln in d.lines
    )
    heads = (_t("PRINT_GOODS", lang), _t("PRINT_QTY", lang), _t("PRINT_UNIT_PRICE", lang))
    out.append(
        '<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>'
        + "".join(f"<th>{h}</th>" for h in heads)
        + f"</tr>{goods}</table><p></p>"
    )
    out.append(
        _rows(
            [
                (_t("PRINT_CATEGORY", lang), _e(labels.scenario_text(d.row.scenario, lang))),
                (_t("PRINT_ORDER_TOTAL", lang), _e(format_fen(d.row.order_total_fen))),
                (_t("PRINT_DOWN_PAYMENT", lang), _e(format_fen(d.terms.down_payment_fen))),
                (_t("PRINT_PRINCIPAL", lang), _e(format_fen(d.row.principal_fen))),
                (_t("PRINT_TERM", lang), _t("PRINT_MONTHS", lang, n=d.terms.term_months)),
                (_t("PRINT_APR", lang), _e(percent(d.apr))),
                (_t("PRINT_TOTAL_REPAYMENT", lang), _e(format_fen(d.total_repayment_fen))),
            ]
        )
    )
    out.append(f'<p class="note">{_t("PRINT_MASKED_NOTE", lang)}</p>')
    out.append(_signature(c.name, lang))
    return _STYLE + "".join(out)


def _markdown(text: str) -> str:
    """The consent texts' Markdown (headings and paragraphs) as HTML."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        line = block.strip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            level = len(heading.group(1)) + 1
            out.append(f"<h{level}>{_e(heading.group(2))}</h{level}>")
        else:
            out.append(f"<p>{_e(line).replace(chr(10), '<br/>')}</p>")
    return "".join(out)


def consent_html(facts: PrintFacts, lang: str) -> str:
    """Each document of the consent version recorded with the application, and a
    signature block after each."""
    version = facts.consent
    if version is None:
        return _STYLE + f"<p>{_t('PRINT_CONSENT_UNKNOWN', lang)}</p>"
    parts = []
    for doc in version.documents:
        parts.append(
            f'<p class="note">{_t("PRINT_CONSENT_VERSION", lang, version=version.version)}</p>'
            + _markdown(doc.text[lang])
            + _signature(facts.detail.customer.name, lang)
        )
    return _STYLE + PAGE_BREAK.join(parts)


def printout_html(facts: PrintFacts, kinds: Sequence[str], lang: str) -> str:
    """The documents of ``kinds`` (PLAN, SUMMARY, CONSENT), each from a new page."""
    makers = {PLAN: plan_html, SUMMARY: summary_html, CONSENT: consent_html}
    return PAGE_BREAK.join(makers[k](facts, lang) for k in kinds)
