"""Clerk-facing text for the codes in :mod:`core.validation.application` (zh_CN and en).

Each message says what is wrong and what to do. Parameters are filled with
``str.format`` names; amounts arrive already formatted as yuan text ("3,999.00").
:mod:`core.validation.application` registers this catalog with :func:`core.i18n.register` on import.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "SECTION_MISSING": {
        "zh_CN": "申请资料缺少“{section}”部分，请返回表单补全后再提交",
        "en": "The application is missing its “{section}” section; complete the form and retry",
    },
    # Resident ID (GB 11643-1999)
    "ID_EMPTY": {
        "zh_CN": "请填写身份证号",
        "en": "Please enter the ID number",
    },
    "ID_LENGTH": {
        "zh_CN": "身份证号应为 18 位，当前为 {length} 位，请核对；15 位的第一代身份证已停用，"
        "请使用第二代身份证",
        "en": "The ID number must have 18 characters (got {length}); please re-check it. "
        "15-digit first-generation ID cards are no longer valid; use the second-generation card",
    },
    "ID_CHARS": {
        "zh_CN": "身份证号只能包含数字，最后一位可以是 X，请核对",
        "en": "The ID number may contain only digits, with X allowed as the last character; "
        "please re-check it",
    },
    "ID_BIRTH_DATE": {
        "zh_CN": "身份证号中的出生日期（第 7–14 位）不正确，请核对",
        "en": "The birth date in the ID number (characters 7–14) is not a valid date; "
        "please re-check it",
    },
    "ID_CHECKSUM": {
        "zh_CN": "身份证号校验位不正确，请核对最后一位及其他各位",
        "en": "The check digit (last character) is wrong; please re-check the ID number",
    },
    "AGE_UNDER_MIN": {
        "zh_CN": "客户年龄 {age} 岁，低于最低 {min_age} 岁，无法办理分期",
        "en": "The customer is {age}, below the minimum age of {min_age}; "
        "an installment plan cannot be offered",
    },
    # Phone
    "PHONE_EMPTY": {
        "zh_CN": "请填写手机号",
        "en": "Please enter the mobile number",
    },
    "PHONE_INVALID": {
        "zh_CN": "手机号不正确，请填写 11 位中国大陆手机号（如 138 0013 8000）",
        "en": "This is not a valid mainland China mobile number; enter 11 digits, "
        "e.g. 138 0013 8000",
    },
    # Name
    "NAME_EMPTY": {
        "zh_CN": "请填写客户姓名",
        "en": "Please enter the customer's name",
    },
    "NAME_LENGTH": {
        "zh_CN": "姓名应为 {min}–{max} 个字，请按身份证填写",
        "en": "The name must be {min}–{max} characters; enter it as shown on the ID card",
    },
    "NAME_CHARS": {
        "zh_CN": "姓名只能包含汉字、字母、空格和间隔号“·”，请按身份证填写",
        "en": "The name may contain only Chinese characters, letters, spaces and the "
        "middle dot “·”; enter it as shown on the ID card",
    },
    # City and address
    "CITY_EMPTY": {
        "zh_CN": "请填写城市",
        "en": "Please enter the city",
    },
    "CITY_INVALID": {
        "zh_CN": "城市名称应为 {min}–{max} 个字且不含数字，如“北京”或“苏州市”",
        "en": "The city must be {min}–{max} characters without digits, e.g. “北京” or “Suzhou”",
    },
    "ADDRESS_EMPTY": {
        "zh_CN": "请填写详细地址",
        "en": "Please enter the street address",
    },
    "ADDRESS_LENGTH": {
        "zh_CN": "详细地址应为 {min}–{max} 个字，请填写到门牌号",
        "en": "The address must be {min}–{max} characters; include the street and house number",
    },
    "ADDRESS_INVALID": {
        "zh_CN": "详细地址不能只有数字或符号，请填写街道和门牌号",
        "en": "The address cannot be only digits or symbols; enter the street and house number",
    },
    # Income
    "INCOME_EMPTY": {
        "zh_CN": "请填写月收入（元）",
        "en": "Please enter the monthly income (yuan)",
    },
    "INCOME_INVALID": {
        "zh_CN": "月收入格式不正确，请只填写金额数字，如 8000 或 8000.50",
        "en": "The monthly income is not a valid amount; enter a number such as 8000 or 8000.50",
    },
    "INCOME_ZERO": {
        "zh_CN": "月收入必须大于 0，请填写客户的实际月收入",
        "en": "The monthly income must be more than 0; enter the customer's actual income",
    },
    "INCOME_TOO_LARGE": {
        "zh_CN": "月收入不能超过 {max} 元，请检查是否多输了位数",
        "en": "The monthly income cannot exceed ¥{max}; check for extra digits",
    },
    # Order lines
    "LINES_EMPTY": {
        "zh_CN": "订单中没有商品，请至少添加一件商品",
        "en": "The order has no items; add at least one item",
    },
    "LINES_TOO_MANY": {
        "zh_CN": "一张订单最多 {max} 行商品（当前 {count} 行），请拆分订单",
        "en": "An order can have at most {max} item lines (this one has {count}); "
        "split it into several orders",
    },
    "SKU_INVALID": {
        "zh_CN": "商品编码应为 1–{max} 个字符且不含空格，请扫码或核对后重新输入",
        "en": "The SKU must be 1–{max} characters without spaces; scan or re-enter it",
    },
    "ITEM_NAME_INVALID": {
        "zh_CN": "请填写商品名称（最多 {max} 个字）",
        "en": "Enter the item name (at most {max} characters)",
    },
    "PRICE_INVALID": {
        "zh_CN": "单价格式不正确，请填写金额数字，如 3999 或 3999.00",
        "en": "The unit price is not a valid amount; enter a number such as 3999 or 3999.00",
    },
    "PRICE_TOO_LARGE": {
        "zh_CN": "单价超过可分期的上限：分期金额最高 {max_principal} 元、首付最多 {max_pct}%，"
        "订单金额不能超过 {max} 元；请核对价格（是否多输了位数）",
        "en": "The unit price is above what can be financed: at most ¥{max_principal} "
        "on loan with at most {max_pct}% down, so an order of at most ¥{max}; check the "
        "price for extra digits",
    },
    "PRICE_ZERO": {
        "zh_CN": "单价必须大于 0，请核对商品价格",
        "en": "The unit price must be more than 0; check the item's price",
    },
    "QUANTITY_INVALID": {
        "zh_CN": "数量应为 1–{max} 的整数，请修改",
        "en": "The quantity must be a whole number from 1 to {max}",
    },
    # Scenario and terms
    "SCENARIO_INVALID": {
        "zh_CN": "请选择商品类别（家电或家具）",
        "en": "Please choose the product category (appliance or furniture)",
    },
    "METHOD_INVALID": {
        "zh_CN": "请选择还款方式（等额本息或等额本金）",
        "en": "Please choose the repayment method (equal installments or equal principal)",
    },
    "TERM_NOT_ALLOWED": {
        "zh_CN": "该分期期数不可选，请从 {allowed} 期中选择",
        "en": "This term is not offered; choose one of {allowed} months",
    },
    "FIRST_DUE_DATE_INVALID": {
        "zh_CN": "首期还款日应为日期，格式如 2025-03-15",
        "en": "The first payment date must be a date such as 2025-03-15",
    },
    "FIRST_DUE_DATE_RANGE": {
        "zh_CN": "首期还款日应在 {min} 至 {max} 之间",
        "en": "The first payment date must be between {min} and {max}",
    },
    "DOWN_PAYMENT_INVALID": {
        "zh_CN": "首付金额格式不正确，请填写金额数字（无首付请填 0）",
        "en": "The down payment is not a valid amount; enter a number (0 for no down payment)",
    },
    "DOWN_PAYMENT_RANGE": {
        "zh_CN": "首付应在 {min}–{max} 元之间（订单金额的 {min_pct}%–{max_pct}%），请调整首付",
        "en": "The down payment must be between ¥{min} and ¥{max} "
        "({min_pct}%–{max_pct}% of the order total); please adjust it",
    },
    "PRINCIPAL_RANGE": {
        "zh_CN": "分期金额 {principal} 元不在可办理范围 {min}–{max} 元内，请调整首付或商品",
        "en": "The amount to finance, ¥{principal}, is outside the allowed range "
        "¥{min}–¥{max}; adjust the down payment or the items",
    },
}
