"""Words for head office's reason codes in a decision (the detail view's decision box):
its cross-store fraud signals (``HO_*``, server/signals) and the scorecard's signal
factor. Registered with :mod:`core.i18n` under the code itself; each says what to
check, not the threshold."""

from __future__ import annotations

from core import i18n

MESSAGES: dict[str, dict[str, str]] = {
    "SC_FRAUD_SIGNALS": {
        "zh_CN": "总部或门店发现风险信号，需人工审核",
        "en": "Head office or the store found fraud signals; a person reviews it",
    },
    "HO_PHONE_SHARED": {
        "zh_CN": "总部：该手机号被多位客户使用，请核实手机号归属",
        "en": "Head office: this phone is used by several customers; check whose it is",
    },
    "HO_ID_OTHER_NAME": {
        "zh_CN": "总部：该身份证号出现过其他姓名，请当面核对身份证",
        "en": "Head office: this ID number appeared under another name; check the ID card",
    },
    "HO_ID_MANY_STORES": {
        "zh_CN": "总部：该身份证号近期在多家门店申请，请核实",
        "en": "Head office: this ID number applied at several stores recently; check why",
    },
    "HO_ADDRESS_SHARED": {
        "zh_CN": "总部：该送货地址有多位客户，请核实客户与地址的关系",
        "en": "Head office: many customers gave this delivery address; check who lives there",
    },
    "HO_RING": {
        "zh_CN": "总部：该客户与其他多笔申请通过手机号、身份证或地址相连，请整组核查",
        "en": "Head office: this customer is linked to several others by phone, ID or address; "
        "the whole group is checked",
    },
    "HO_SALESPERSON_SPIKE": {
        "zh_CN": "总部：该销售员当天申请量异常，请核查当天申请",
        "en": "Head office: this salesperson's day is unusually busy; check that day's files",
    },
    "HO_NEW_SALESPERSON_VOLUME": {
        "zh_CN": "总部：新销售员申请量异常，请核实账号和客户",
        "en": "Head office: a new salesperson filed unusually many; check the login and customers",
    },
    "HO_STORE_SPIKE": {
        "zh_CN": "总部：本店当天申请量异常，请核查",
        "en": "Head office: the store's day is unusually busy; check it",
    },
    "HO_PRICE_OVER_CATALOG": {
        "zh_CN": "总部：商品价格明显高于目录价，请核对发票",
        "en": "Head office: a price is well over the catalog price; check the invoice",
    },
    "HO_CATEGORY_MISMATCH": {
        "zh_CN": "总部：商品类别与申请类型不符，请核对实际交付的商品",
        "en": "Head office: an item's category is not the application's; check the goods",
    },
    "HO_PRICE_OVER_PEERS": {
        "zh_CN": "总部：目录外商品价格明显高于其他门店，请核对发票",
        "en": "Head office: an item outside the catalog costs far more than at other stores; "
        "check the invoice",
    },
    "HO_SKU_UNVERIFIABLE": {
        "zh_CN": "总部：目录外商品价格无法核对，请核对发票和实物",
        "en": "Head office: an item outside the catalog cannot be priced; check invoice and goods",
    },
    "HO_REPRICED_TO_PASS": {
        "zh_CN": "总部：预审多次修改金额或商品后才通过，请核查",
        "en": "Head office: amounts or items were changed between pre-screens until it passed; "
        "check why",
    },
    "HO_EVIDENCE_PENDING": {
        "zh_CN": "总部：所需照片尚未上传完成，收到后自动重新审批；请保持联网同步",
        "en": "Head office: the required photos have not all arrived; it decides again once "
        "they are uploaded, so keep the PC syncing",
    },
}

i18n.register(MESSAGES)
