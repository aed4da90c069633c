"""Chinese for the applications list's reference column and search hints
(ui/applications_model.py, ui/list_hint.py), the window titles and the lock screen."""

ZH: dict[str, str] = {
    "Reference": "申请编号",
    "Full customer name, phone (last 4 digits or all 11), ID number, or reference": (
        "客户全名、手机号（后 4 位或完整 11 位）、身份证号或申请编号"
    ),
    "No application with the customer name “%1”. Names are stored encrypted, so only the "
    "whole name matches, not a part of it: type the full name as on the ID card (e.g. "
    "王芳, not 王).": (
        "没有客户姓名为“%1”的申请。姓名加密保存，只能按完整姓名查找，不能只输入一部分："
        "请输入身份证上的完整姓名（例如“王芳”，而不是“王”）。"
    ),
    "No application matches “%1”. A phone number is searched by its last 4 digits or all "
    "11 digits; an ID number by all 18 characters.": (
        "没有与“%1”相符的申请。手机号请输入后 4 位或完整 11 位；身份证号请输入全部 18 位。"
    ),
    "No application matches “%1”.": "没有与“%1”相符的申请。",
    "You can search by the full name, the phone (last 4 digits or all 11), the ID number, "
    "or the reference the customer was given (e.g. S001-20261204-0007).": (
        "可以按完整姓名、手机号（后 4 位或完整 11 位）、身份证号，或告诉客户的申请编号"
        "（例如 S001-20261204-0007）查找。"
    ),
    "Only status “%1” is searched: choose All to search every status.": (
        "当前只查找状态为“%1”的申请：选择“全部”可查找所有状态。"
    ),
    # window titles: Qt adds " — LoanDesk" itself
    "Store Installments": "门店分期助手",
    "Log in": "登录",
    "First start": "首次使用",
    # the lock screen asks for the password only
    "Wrong password": "密码不正确",
}
