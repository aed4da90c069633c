"""Texts of the pre-screen reason codes, for the clerk: what happened, what to do.

Registered with :mod:`core.i18n` under ``REASON_<CODE>`` (some codes have variants,
``REASON_<CODE>.<variant>``, chosen from the reason's facts by :func:`message_key`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core import i18n
from core.applications import labels
from core.clock import CHINA_TZ

UNKNOWN_RULE = "REASON_UNKNOWN_RULE"

MESSAGES: dict[str, dict[str, str]] = {
    UNKNOWN_RULE: {
        "zh_CN": "未通过风控规则 {code}，请转人工审核",
        "en": "Rule {code} was not met; refer to manual review.",
    },
    # --- system ------------------------------------------------------------------------------
    "REASON_RULES_STALE.missing": {
        "zh_CN": "本机没有可用的风控规则包，请转人工审核，并请 IT 载入最新规则包",
        "en": "No rule pack is installed on this PC; refer to manual review and ask IT to load "
        "the current one.",
    },
    "REASON_RULES_STALE.expired": {
        "zh_CN": "风控规则包（第{pack_version}版）已于{valid_until}过期，请转人工审核，"
        "并尽快联网同步或用U盘更新规则包",
        "en": "The rule pack (version {pack_version}) expired on {valid_until}; refer to manual "
        "review and update the rules (sync, or load a pack from a USB stick).",
    },
    "REASON_RULES_STALE.not_yet": {
        "zh_CN": "风控规则包（第{pack_version}版）要到{valid_from}才生效，请转人工审核，并请 IT "
        "检查电脑日期",
        "en": "The rule pack (version {pack_version}) is valid only from {valid_from}; refer to "
        "manual review and ask IT to check this PC's date.",
    },
    "REASON_RULES_ERROR": {
        "zh_CN": "风控规则包（第{pack_version}版）运行出错，请转人工审核，并联系 IT",
        "en": "The rule pack (version {pack_version}) failed; refer to manual review and call IT.",
    },
    "REASON_RULES_ERROR.blacklist": {
        "zh_CN": "黑名单查询出错，请转人工审核，并联系 IT",
        "en": "The blacklist could not be checked; refer to manual review and call IT.",
    },
    "REASON_RULES_ERROR.store": {
        "zh_CN": "读取风控规则包出错，请转人工审核，并联系 IT",
        "en": "The rule pack could not be read; refer to manual review and call IT.",
    },
    "REASON_RULES_NO_SCENARIO": {
        "zh_CN": "当前规则包没有“{scenario}”类订单的规则，请转人工审核",
        "en": "The rule pack has no rules for {scenario} orders; refer to manual review.",
    },
    # --- the product and the store's limits --------------------------------------------------
    "REASON_TERM_NOT_OFFERED": {
        "zh_CN": "此类商品不提供{term_months}期分期，可选：{allowed_terms}期，请修改期数",
        "en": "{term_months} months is not offered for this product; choose {allowed_terms} "
        "months.",
    },
    "REASON_TERM_NOT_OFFERED.graph": {
        "zh_CN": "此类商品不提供{term_months}期分期，请修改期数",
        "en": "{term_months} months is not offered for this product; choose another term.",
    },
    "REASON_DOWN_PAYMENT_LOW": {
        "zh_CN": "首付比例{down_pct}%低于此类商品最低{min_pct}%，请提高首付，否则请转人工审核",
        "en": "The down payment is {down_pct}% of the order, below the {min_pct}% this product "
        "needs; raise it, or refer to manual review.",
    },
    "REASON_DOWN_PAYMENT_LOW.graph": {
        "zh_CN": "首付比例{down_pct}%偏低，请提高首付，否则请转人工审核",
        "en": "The down payment ({down_pct}% of the order) is low; raise it, or refer to manual "
        "review.",
    },
    "REASON_DOWN_PAYMENT_HIGH": {
        "zh_CN": "首付比例{down_pct}%高于{max_pct}%，请转人工审核",
        "en": "The down payment is {down_pct}% of the order, above {max_pct}%; refer to manual "
        "review.",
    },
    "REASON_DOWN_PAYMENT_HIGH.graph": {
        "zh_CN": "首付比例{down_pct}%偏高，请转人工审核",
        "en": "The down payment ({down_pct}% of the order) is unusually high; refer to manual "
        "review.",
    },
    "REASON_AMOUNT_OVER": {
        "zh_CN": "贷款金额{principal}元超过此类商品上限{max_principal}元，请提高首付或减少商品",
        "en": "The loan amount ¥{principal} is above this product's limit of ¥{max_principal}; "
        "raise the down payment or reduce the order.",
    },
    "REASON_AMOUNT_OVER.graph": {
        "zh_CN": "贷款金额{principal}元超过此类商品上限，请提高首付或减少商品",
        "en": "The loan amount ¥{principal} is above this product's limit; raise the down payment "
        "or reduce the order.",
    },
    "REASON_AMOUNT_UNDER": {
        "zh_CN": "贷款金额{principal}元低于分期最低金额{min_principal}元，请减少首付",
        "en": "The loan amount ¥{principal} is below the minimum of ¥{min_principal}; lower the "
        "down payment.",
    },
    "REASON_AMOUNT_UNDER.graph": {
        "zh_CN": "贷款金额{principal}元低于分期最低金额，请减少首付",
        "en": "The loan amount ¥{principal} is below the minimum; lower the down payment.",
    },
    "REASON_LONG_TERM_LARGE": {
        "zh_CN": "金额较大且期数较长（{principal}元，{term_months}期），请转人工审核",
        "en": "A large amount over a long term (¥{principal}, {term_months} months); refer to "
        "manual review.",
    },
    # --- the borrower (the default pack's decision graph) ------------------------------------
    "REASON_AGE_UNDER": {
        "zh_CN": "客户{age}岁，未达到申请年龄，本笔分期不能办理",
        "en": "The customer is {age}, below the minimum age; this application cannot go ahead.",
    },
    "REASON_AGE_OVER": {
        "zh_CN": "客户{age}岁，超过申请年龄上限，本笔分期不能办理",
        "en": "The customer is {age}, above the maximum age; this application cannot go ahead.",
    },
    "REASON_AGE_REFER": {
        "zh_CN": "客户{age}岁，年龄较大，请转人工审核",
        "en": "The customer is {age}; at this age refer to manual review.",
    },
    "REASON_INCOME_MISSING": {
        "zh_CN": "未填写月收入，本笔分期不能办理；请填写客户月收入",
        "en": "No monthly income was given; enter the customer's monthly income.",
    },
    "REASON_INCOME_LOW": {
        "zh_CN": "客户月收入{monthly_income}元偏低，请转人工审核",
        "en": "The customer's monthly income (¥{monthly_income}) is low; refer to manual review.",
    },
    "REASON_PTI_DECLINE": {
        "zh_CN": "月供占月收入{pti_pct}%，超出承受能力，不能办理；可提高首付或延长期数后重试",
        "en": "The monthly installment is {pti_pct}% of monthly income, more than the customer "
        "can carry; raise the down payment or choose a longer term.",
    },
    "REASON_PTI_REFER": {
        "zh_CN": "月供占月收入{pti_pct}%，偏高，请转人工审核；也可提高首付或延长期数",
        "en": "The monthly installment is {pti_pct}% of monthly income, which is high; refer to "
        "manual review, or raise the down payment or choose a longer term.",
    },
    "REASON_STORE_PRINCIPAL_LIMIT": {
        "zh_CN": "贷款金额{principal}元超过本店单笔上限{max_principal}元，请转人工审核",
        "en": "The loan amount ¥{principal} is above this store's limit of ¥{max_principal} per "
        "application; refer to manual review.",
    },
    "REASON_STORE_DAILY_LIMIT": {
        "zh_CN": "本店今日贷款已达{today_total}元，"
        "加上本笔{principal}元将超过每日上限{max_daily_total}元，请转人工审核",
        "en": "This store has ¥{today_total} in loans today; with this ¥{principal} it passes the "
        "daily limit of ¥{max_daily_total}; refer to manual review.",
    },
    # --- blacklist ---------------------------------------------------------------------------
    "REASON_BLACKLIST_ID": {
        "zh_CN": "客户身份证号在黑名单中，本笔分期不能办理",
        "en": "The customer's ID number is on the blacklist; this application cannot go ahead.",
    },
    "REASON_BLACKLIST_PHONE": {
        "zh_CN": "客户手机号在黑名单中，本笔分期不能办理",
        "en": "The customer's phone number is on the blacklist; this application cannot go ahead.",
    },
    "REASON_BLACKLIST_DEVICE": {
        "zh_CN": "本机在风险设备名单中，请转人工审核，并联系 IT",
        "en": "This PC is on the risk list of devices; refer to manual review and call IT.",
    },
    # --- velocity ----------------------------------------------------------------------------
    # Store-side reasons tell the clerk what to check, never the exact limit (a limit
    # shown at the counter is a limit to stay just under); the limits are in the facts,
    # for field managers.
    "REASON_VELOCITY_ID": {
        "zh_CN": "同一身份证号近{window_days}天已有{count}笔申请（含本笔），请核对是否为客户本人、"
        "是否重复录入，再转人工审核",
        "en": "{count} applications with this ID number in the last {window_days} days (this one "
        "included): check it is the customer in person and not a duplicate, then refer to "
        "manual review.",
    },
    "REASON_VELOCITY_PHONE": {
        "zh_CN": "同一手机号近{window_days}天已有{count}笔申请（含本笔），请当面拨打核实手机号"
        "归属，再转人工审核",
        "en": "{count} applications with this phone number in the last {window_days} days (this "
        "one included): call the number in front of the customer, then refer to manual review.",
    },
    "REASON_VELOCITY_DEVICE": {
        "zh_CN": "本机近{window_days}天录入的申请异常多，请转人工审核，并请店长核实",
        "en": "Unusually many applications were entered on this PC in the last {window_days} "
        "days; refer to manual review and ask the store manager to check.",
    },
    # --- the merchant side -------------------------------------------------------------------
    "REASON_SALESPERSON_SPIKE": {
        "zh_CN": "该销售员今日已录入{today}笔申请（含本笔），明显多于平时，请店长核实今日客户"
        "均已到店，再转人工审核",
        "en": "This salesperson has entered {today} applications today (this one included), far "
        "more than usual: the store manager checks today's customers were all here in person, "
        "then refer to manual review.",
    },
    "REASON_STORE_SPIKE": {
        "zh_CN": "本店今日已有{today}笔申请（含本笔），明显多于平时，请店长核实，再转人工审核",
        "en": "This store has {today} applications today (this one included), far more than "
        "usual: the store manager checks them, then refer to manual review.",
    },
    "REASON_NEW_SALESPERSON_CAP": {
        "zh_CN": "新销售员今日已录入{today}笔申请（含本笔），请店长核实客户均已到店、"
        "账号为本人使用，再转人工审核",
        "en": "A new salesperson has entered {today} applications today (this one included): "
        "the store manager checks the customers were here in person and the login is theirs, "
        "then refer to manual review.",
    },
    "REASON_PRICE_DEVIATION": {
        "zh_CN": "商品 {sku} 单价{price}元与目录价{catalog_price}元差距过大，请核对发票和实物，"
        "否则请转人工审核",
        "en": "Item {sku} is priced ¥{price}, far from the catalog price ¥{catalog_price}: check "
        "the invoice and the goods, or refer to manual review.",
    },
    "REASON_PRICE_UNVERIFIABLE": {
        "zh_CN": "商品 {sku}（{amount}元）不在本机商品目录中（或本机还没有目录），价格无法核对："
        "请核对发票和实物、联网同步商品目录，否则请转人工审核",
        "en": "Item {sku} (¥{amount}) is not in this PC's catalog (or the PC has no catalog yet), "
        "so its price cannot be checked: check the invoice and the goods, sync the catalog, or "
        "refer to manual review.",
    },
    "REASON_SHARED_PHONE": {
        "zh_CN": "该手机号近{window_days}天被{count}个不同身份证号使用，请当面拨打核实手机号"
        "归属和客户关系，再转人工审核",
        "en": "This phone number was given for {count} different ID numbers in the last "
        "{window_days} days: call it in front of the customer and ask how they are related, "
        "then refer to manual review.",
    },
    "REASON_SHARED_DELIVERY_ADDRESS": {
        "zh_CN": "该送货地址近{window_days}天有{count}位不同客户，请核对地址和客户与该地址的关系，"
        "否则请转人工审核",
        "en": "{count} different customers gave this delivery address in the last {window_days} "
        "days: check the address and how the customer lives there, or refer to manual review.",
    },
    # --- consistency of the flows ------------------------------------------------------------
    "REASON_DELIVERY_CITY_MISMATCH.home": {
        "zh_CN": "送货城市（{delivery_city}）与客户居住城市（{home_city}）不一致，请核对送货地址",
        "en": "The delivery city ({delivery_city}) differs from the customer's home city "
        "({home_city}); check the delivery address.",
    },
    "REASON_DELIVERY_CITY_MISMATCH.store": {
        "zh_CN": "送货城市（{delivery_city}）与本店所在城市（{store_city}）不一致，请核对送货地址",
        "en": "The delivery city ({delivery_city}) differs from this store's city ({store_city}); "
        "check the delivery address.",
    },
    "REASON_DELIVERY_CITY_MISMATCH.home+store": {
        "zh_CN": "送货城市（{delivery_city}）与客户居住城市（{home_city}）、"
        "本店所在城市（{store_city}）都不一致，请核对送货地址",
        "en": "The delivery city ({delivery_city}) differs from both the customer's home city "
        "({home_city}) and this store's city ({store_city}); check the delivery address.",
    },
    "REASON_DATA_INCONSISTENT": {
        "zh_CN": "申请数据前后不一致（{problems}），请重新录入后再提交",
        "en": "The application does not add up ({problems}); enter it again.",
    },
}

_PROBLEM_NAMES: dict[str, dict[str, str]] = {
    "lines": {"zh_CN": "商品明细", "en": "order lines"},
    "order_total": {"zh_CN": "订单金额与明细合计", "en": "order total vs lines"},
    "down_payment": {"zh_CN": "首付与订单金额", "en": "down payment vs order total"},
    "id_number": {"zh_CN": "身份证号", "en": "ID number"},
    "monthly_income": {"zh_CN": "月收入", "en": "monthly income"},
}

i18n.register(MESSAGES)
import core.prescreen.decision_messages  # noqa: E402,F401  (head office's codes, same catalog)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def render(code: str, severity: str, facts: Mapping[str, Any], lang: str | None) -> str:
    """The reason's text in ``lang``. A graph row's reason lacks the pack limits the
    code-side one carries, so a ``.graph`` variant is used when a field is missing;
    a code nobody wrote text for (a newer pack) gets a generic line."""
    lang = i18n.normalize_language(lang)
    key = message_key(code, facts)
    params = message_params(facts, lang)
    texts = MESSAGES.get(key)
    if texts is None:
        if i18n.has(key):  # registered elsewhere
            return i18n.translate(key, lang, **params)
        texts, params = MESSAGES[UNKNOWN_RULE], {"code": code, "severity": severity}
    template = texts[lang]
    if not _fields(template) <= params.keys() and f"{key}.graph" in MESSAGES:
        template = MESSAGES[f"{key}.graph"][lang]
    return template.format_map(_Blank(params))


def message_key(code: str, facts: Mapping[str, Any]) -> str:
    """The catalog key for a reason: its code, or a variant chosen by its facts."""
    if code == "RULES_STALE":
        if facts.get("state") != "stale":
            return "REASON_RULES_STALE.missing"
        now, start = facts.get("effective_now"), facts.get("valid_from")
        if isinstance(now, str) and isinstance(start, str) and now < start:
            return "REASON_RULES_STALE.not_yet"
        return "REASON_RULES_STALE.expired"
    if code == "RULES_ERROR" and facts.get("source") in ("blacklist", "store"):
        return f"REASON_RULES_ERROR.{facts['source']}"
    if code == "DELIVERY_CITY_MISMATCH":
        return f"REASON_DELIVERY_CITY_MISMATCH.{facts.get('against', 'home')}"
    return f"REASON_{code}"


def _local_date(value: str) -> str:
    try:
        return datetime.fromisoformat(value).astimezone(CHINA_TZ).date().isoformat()
    except ValueError:
        return value


def message_params(facts: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """Facts made readable in ``lang``: dates, scenario names, lists."""
    lang = i18n.normalize_language(lang)
    params = dict(facts)
    for key in ("valid_from", "valid_until"):
        if isinstance(params.get(key), str):
            params[key] = _local_date(params[key])
    if isinstance(params.get("scenario"), str):
        params["scenario"] = labels.scenario_text(params["scenario"], lang)
    if isinstance(params.get("problems"), list):
        sep = "、" if lang == "zh_CN" else ", "
        params["problems"] = sep.join(
            _PROBLEM_NAMES.get(p, {}).get(lang, str(p)) for p in params["problems"]
        )
    for ratio, pct in (("down_payment_ratio", "down_pct"), ("pti", "pti_pct")):
        if ratio in params and pct not in params:
            try:
                params[pct] = f"{float(params[ratio]) * 100:.1f}".removesuffix(".0")
            except (TypeError, ValueError):
                params[pct] = str(params[ratio])
    for money in ("monthly_income", "principal"):
        if isinstance(params.get(money), float | int) and not isinstance(params[money], bool):
            params[money] = f"{params[money]:.2f}"
    return params


def reason_codes() -> list[str]:
    """Every reason code this module has text for (variants folded)."""
    return sorted({k.removeprefix("REASON_").split(".")[0] for k in MESSAGES} - {"UNKNOWN_RULE"})


def graph_codes_without_text(codes: list[str]) -> list[str]:
    """Of a pack's graph codes, those that would get only the generic line."""
    return [c for c in codes if f"REASON_{c}" not in MESSAGES]
