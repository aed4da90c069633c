"""The texts of the audit log and its checkpoint (``main.py check`` and history), zh_CN
and en. Importing this module registers them."""

from __future__ import annotations

from core import i18n

i18n.register(
    {
        "ACTION_decision": {"zh_CN": "总部决定更新", "en": "Head-office decision updated"},
        "ACTION_checkpoint_reset": {
            "zh_CN": "审计检查点由 IT 重置",
            "en": "Audit checkpoint reset by IT",
        },
        "AUDIT_NOT_CHAINED": {
            "zh_CN": "审计日志尚未加上哈希链（有待执行的数据库迁移）",
            "en": "The audit log is not hash-chained yet (a database migration is pending)",
        },
        "AUDIT_NOT_VERIFIED": {
            "zh_CN": "无法核对审计日志：{why}",
            "en": "The audit log could not be verified: {why}",
        },
        "AUDIT_NO_INSTALL_ID": {
            "zh_CN": "数据文件中没有安装编号，找不到对应的密钥",
            "en": "the data file has no install id, so its keys cannot be found",
        },
        "AUDIT_CHECKPOINT_AT": {
            "zh_CN": "{report}；检查点：第 {seq} 条",
            "en": "{report}; checkpoint at row {seq}",
        },
        "AUDIT_CHECKPOINT_FROM_KEYRING": {
            "zh_CN": "{report}；检查点：第 {seq} 条（取自操作系统密钥库中的副本；"
            "检查点文件 {file} 不见了或较旧，LoanDesk 下次启动时会重写）",
            "en": "{report}; checkpoint at row {seq} (from its copy in the OS keyring: the "
            "file {file} is missing or older, and LoanDesk rewrites it at its next start)",
        },
        "AUDIT_CHECKPOINT_NO_KEYRING_COPY": {
            "zh_CN": "{report}；检查点：第 {seq} 条（操作系统密钥库中的副本缺失或较旧，"
            "LoanDesk 下次启动时会更新；若一直如此，请查看日志）",
            "en": "{report}; checkpoint at row {seq} (its copy in the OS keyring is missing "
            "or older: LoanDesk updates it at its next start; if this persists, see the log)",
        },
        "AUDIT_CUT_BELOW_KEYRING_CHECKPOINT": {
            "zh_CN": "{report}（操作系统密钥库中的检查点副本记到第 {seq} 条；"
            "检查点文件 {file} 不见了或较旧）",
            "en": "{report} (the checkpoint's copy in the OS keyring is at row {seq}; the "
            "file {file} is missing or older)",
        },
        "AUDIT_CHECKPOINT_MISSING": {
            "zh_CN": "审计日志链本身完整（已核对 {checked} 条），但还没有检查点"
            "（检查点文件 {file} 和操作系统密钥库中的副本都没有），无法排除最新的记录被删除。"
            "启动一次 LoanDesk 即会写下第一个检查点。",
            "en": "The audit chain itself is intact ({checked} rows checked) but there is no "
            "checkpoint yet (neither the file {file} nor its copy in the OS keyring), so "
            "removal of the newest rows cannot be ruled out. Starting LoanDesk once writes "
            "the first one.",
        },
        "AUDIT_CHECKPOINT_LOST": {
            "zh_CN": "此前已为本安装写过审计检查点，但检查点文件 {file} 和操作系统密钥库中的副本"
            "（LoanDesk / {name}）现在都不见了：最新的审计记录可能被删除了（现有的 {checked} 条"
            "核对无误）。LoanDesk 不会自行重建检查点；请 IT 查明原因后再重置。",
            "en": "An audit checkpoint was written for this install before, but neither the "
            "file {file} nor its copy in the OS keyring (LoanDesk / {name}) is there now: "
            "the newest audit rows may have been removed (the {checked} rows left check "
            "out). LoanDesk does not make a new checkpoint by itself; IT resets it after "
            "finding out what happened.",
        },
        "AUDIT_CHECKPOINT_INVALID": {
            "zh_CN": "审计检查点文件 {file} 已损坏或被改动（{detail}）",
            "en": "The audit checkpoint file {file} is damaged or was altered ({detail})",
        },
        "AUDIT_CHECKPOINT_KEYRING_INVALID": {
            "zh_CN": "操作系统密钥库中的审计检查点副本（LoanDesk / {name}）已损坏（{detail}）",
            "en": "The audit checkpoint's copy in the OS keyring (LoanDesk / {name}) is "
            "damaged ({detail})",
        },
        "AUDIT_CHECKPOINT_KEYRING_UNREADABLE": {
            "zh_CN": "无法读取操作系统密钥库中的审计检查点副本（LoanDesk / {name}）：{detail}",
            "en": "The audit checkpoint's copy in the OS keyring (LoanDesk / {name}) could "
            "not be read: {detail}",
        },
    }
)
