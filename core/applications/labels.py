"""Chinese and English names of the domain's codes (statuses, scenarios, methods,
storage problems), registered in the i18n catalog."""

from __future__ import annotations

from core import i18n

i18n.register(
    {
        "STATUS_draft": {"zh_CN": "已保存", "en": "Saved"},
        "STATUS_prescreened": {"zh_CN": "已预审", "en": "Pre-screened"},
        "STATUS_queued": {"zh_CN": "待上传", "en": "Queued"},
        "STATUS_submitted": {"zh_CN": "已上传", "en": "Submitted"},
        "STATUS_approved": {"zh_CN": "已批准", "en": "Approved"},
        "STATUS_declined": {"zh_CN": "已拒绝", "en": "Declined"},
        "STATUS_review": {"zh_CN": "人工审核中", "en": "Manual review"},
        "STATUS_cancelled": {"zh_CN": "已取消", "en": "Cancelled"},
        "SCENARIO_appliance": {"zh_CN": "家电", "en": "Appliance"},
        "SCENARIO_furniture": {"zh_CN": "家具", "en": "Furniture"},
        "METHOD_equal_installment": {"zh_CN": "等额本息", "en": "Equal installments"},
        "METHOD_equal_principal": {"zh_CN": "等额本金", "en": "Equal principal"},
        "ACTION_created": {"zh_CN": "创建", "en": "Created"},
        "ACTION_status": {"zh_CN": "状态变更", "en": "Status change"},
        "ACTION_cancelled": {"zh_CN": "取消", "en": "Cancelled"},
        "ACTION_catalog_loaded": {"zh_CN": "导入商品目录", "en": "Catalog loaded"},
        "ACTION_upload_withdrawn": {
            "zh_CN": "已撤回未上传的数据",
            "en": "Unsent upload withdrawn",
        },
        "ACTION_personal_data_purged": {
            "zh_CN": "个人信息已按保留期限删除",
            "en": "Personal data removed (retention period)",
        },
        "STORAGE_ERROR": {
            "zh_CN": "无法读写本地数据文件：{detail}",
            "en": "The local data file cannot be read or written: {detail}",
        },
        "STORAGE_DISK_FULL": {
            "zh_CN": "磁盘已满，申请未保存。请清理磁盘空间后再点保存，表单内容已保留。",
            "en": "The disk is full and the application was not saved. Free some disk space "
            "and press Save again; the form is kept.",
        },
        "STORAGE_LOCKED": {
            "zh_CN": "数据文件被另一个程序占用。请关闭其他 LoanDesk 窗口后重试。",
            "en": "The data file is in use by another program. Close other LoanDesk windows "
            "and try again.",
        },
        "STORAGE_CORRUPT": {
            "zh_CN": "数据文件已损坏。请联系 IT，备份在 backups 文件夹中。",
            "en": "The data file is damaged. Call IT; backups are in the backups folder.",
        },
        "STORAGE_RECEIPT_MISMATCH": {
            "zh_CN": "此申请的预审记录与保存的申请数据不符（申请在保存后被改动过）。"
            "预审记录不予显示。请联系 IT。",
            "en": "This application's pre-screen receipt does not match the application as "
            "stored (the application was changed after it was saved), so it is not shown. "
            "Call IT.",
        },
        "STORAGE_READ_ONLY": {
            "zh_CN": "数据文件夹不可写。请联系 IT 检查文件夹权限。",
            "en": "The data folder is read-only. Ask IT to check the folder permissions.",
        },
        "STORAGE_TOO_NEW": {
            "zh_CN": "此数据库是由更新版本的 LoanDesk 创建或升级的（其中记录了本版本不认识的"
            "升级步骤：{detail}）。本版本不能打开它，也没有对它做任何改动。请安装该版本或更新"
            "版本的 LoanDesk 后再打开；不要删除数据文件。",
            "en": "This database was made by a newer version of LoanDesk (it records the "
            "upgrade step {detail}, which this version does not know). This version cannot "
            "open it and has changed nothing in it. Install that version of LoanDesk or a "
            "newer one to open it; do not delete the data file.",
        },
        "TRANSITION_NOT_ALLOWED": {
            "zh_CN": "状态为“{status}”的申请不能执行此操作",
            "en": "This cannot be done to an application whose status is “{status}”",
        },
        "APPLICATION_NOT_FOUND": {
            "zh_CN": "找不到申请 {id}",
            "en": "Application {id} was not found",
        },
        "CANCEL_REASON_UNKNOWN": {
            "zh_CN": "取消原因须从列表中选择",
            "en": "Choose the reason for cancelling from the list",
        },
        "OPERATOR_ROLE_UNKNOWN": {
            "zh_CN": "未知的角色，请选择门店专员、区域经理或管理员",
            "en": "Unknown role: choose store clerk, field manager or administrator",
        },
        "OPERATOR_NOT_FOUND": {
            "zh_CN": "找不到操作员 {id}",
            "en": "Operator {id} was not found",
        },
    }
)


def status_text(status: str, lang: str | None = None) -> str:
    return i18n.translate(f"STATUS_{status}", lang)


def scenario_text(scenario: str, lang: str | None = None) -> str:
    return i18n.translate(f"SCENARIO_{scenario}", lang)


def method_text(method: str, lang: str | None = None) -> str:
    return i18n.translate(f"METHOD_{method}", lang)
