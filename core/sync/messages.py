"""Chinese and English text for the sync codes (registered with core.i18n on import)."""

from __future__ import annotations

from core import i18n

MESSAGES: dict[str, dict[str, str]] = {
    # audit actions written by saving and syncing
    "ACTION_queued": {"zh_CN": "排队待上传", "en": "Queued for upload"},
    "ACTION_submitted": {"zh_CN": "已上传至总部", "en": "Sent to head office"},
    "ACTION_decided": {"zh_CN": "总部决定", "en": "Head-office decision"},
    # the device and its enrollment
    "SYNC_NOT_ENROLLED": {
        "zh_CN": "本机尚未注册到总部服务器。请 IT 运行：loandesk enroll --server 地址 "
        "--store 门店编码 --code 注册码。申请照常录入并在本机排队。",
        "en": "This PC is not enrolled with the central server. Ask IT to run: loandesk "
        "enroll --server URL --store CODE --code CODE. Applications are still captured "
        "and queued here.",
    },
    "SYNC_REENROLL_NEEDED": {
        "zh_CN": "总部服务器不再接受本机的令牌（401），同步已暂停。请 IT 重新注册本机；"
        "在此期间申请照常录入，数据都保留在本机。",
        "en": "The central server no longer accepts this PC's token (401), so sync is "
        "paused. Ask IT to enroll this PC again; meanwhile applications are still captured "
        "and kept here.",
    },
    "SYNC_DEVICE_REVOKED": {
        "zh_CN": "本机已被总部停用（403），同步已停止。本机数据全部保留。请联系 IT 或区域经理。",
        "en": "This PC was revoked by head office (403), so sync has stopped. All data on "
        "this PC is kept. Contact IT or your field manager.",
    },
    "SYNC_KEYRING_UNAVAILABLE": {
        "zh_CN": "无法使用系统密钥库保存设备令牌（{detail}）。IT：Windows 请确认凭据管理器可用；"
        "Linux 请安装并解锁 Secret Service（如 gnome-keyring），或用环境变量 "
        "PYTHON_KEYRING_BACKEND 指定安全的后端。令牌绝不会以明文保存。",
        "en": "The system keyring cannot hold the device token ({detail}). IT: on Windows "
        "check that Credential Manager works; on Linux install and unlock a Secret Service "
        "(e.g. gnome-keyring) or choose a secure backend with PYTHON_KEYRING_BACKEND. The "
        "token is never stored in plain text.",
    },
    "SYNC_ENROLL_REFUSED": {
        "zh_CN": "服务器拒绝注册（{status}）：{detail}。请核对门店编码和一次性注册码。",
        "en": "The server refused the enrollment ({status}): {detail}. Check the store code "
        "and the one-time enrollment code.",
    },
    "SYNC_SERVER_URL_INVALID": {
        "zh_CN": "服务器地址无效：{url}（应以 https:// 或 http:// 开头）",
        "en": "Invalid server address: {url} (it must start with https:// or http://)",
    },
    # transport
    "SYNC_UNREACHABLE": {
        "zh_CN": "连接不上总部服务器（{detail}）。申请已在本机排队，网络恢复后自动上传。",
        "en": "The central server cannot be reached ({detail}). Applications stay queued "
        "here and go out when the network is back.",
    },
    "SYNC_TLS_ERROR": {
        "zh_CN": "与服务器的安全连接失败（{detail}）。请 IT 检查证书或 ca_bundle 设置。",
        "en": "The secure connection to the server failed ({detail}). Ask IT to check the "
        "certificate or the ca_bundle setting.",
    },
    "SYNC_OUTCOME_UNKNOWN": {
        "zh_CN": "服务器没有给出完整答复（{detail}），稍后会重发，总部不会重复收件。",
        "en": "The server gave no complete answer ({detail}); the items will be resent "
        "later and head office will not receive them twice.",
    },
    "SYNC_MALFORMED_RESPONSE": {
        "zh_CN": "服务器答复格式不对（{detail}），本机数据未作任何改动。",
        "en": "The server's answer was malformed ({detail}); nothing was changed here.",
    },
    "SYNC_RETRY_AFTER": {
        "zh_CN": "服务器繁忙，要求 {seconds} 秒后再试。",
        "en": "The server is busy and asked to retry in {seconds} s.",
    },
    "SYNC_SERVER_ERROR": {
        "zh_CN": "服务器出错（HTTP {status}），稍后重试。",
        "en": "The server failed (HTTP {status}); will retry later.",
    },
    "SYNC_BAD_REQUEST": {
        "zh_CN": "服务器不接受这批数据（HTTP {status}），正在逐条排查。",
        "en": "The server refused the batch (HTTP {status}); looking for the bad item.",
    },
    "SYNC_NOT_FOUND": {
        "zh_CN": "服务器上没有这个接口（{path}）。请 IT 核对服务器地址。",
        "en": "The server has no such endpoint ({path}). Ask IT to check the server address.",
    },
    "SYNC_WAITING": {
        "zh_CN": "按服务器要求等待，{seconds} 秒后再同步。",
        "en": "Waiting as the server asked; next sync in {seconds} s.",
    },
    "SYNC_CANCELLED": {"zh_CN": "同步已取消。", "en": "Sync was cancelled."},
    # items
    "SYNC_ITEM_INVALID": {
        "zh_CN": "总部退回了这份申请：{reasons}",
        "en": "Head office returned this application: {reasons}",
    },
    "SYNC_ITEM_CONFLICT": {
        "zh_CN": "总部的版本（{server_rev}）比本机新，未覆盖。请联系区域经理核对。",
        "en": "Head office holds a newer version ({server_rev}); nothing was overwritten. "
        "Ask your field manager to check.",
    },
    "SYNC_ITEM_QUARANTINED": {
        "zh_CN": "这份申请单独发送失败 {failures} 次，已暂放一边保存，其余申请继续上传。"
        "可导出后交给 IT。",
        "en": "This application failed {failures} times when sent alone; it is kept aside "
        "and the rest of the queue moves on. Export it for IT.",
    },
    "SYNC_ITEM_RETRY": {
        "zh_CN": "总部要求稍后重发这份申请。",
        "en": "Head office asked to send this application again later.",
    },
    "SYNC_ITEM_MISSING": {
        "zh_CN": "总部的答复里没有这份申请，稍后重发。",
        "en": "Head office's answer did not mention this application; it will be resent.",
    },
    "SYNC_ERROR": {"zh_CN": "同步出错：{detail}", "en": "Sync problem: {detail}"},
    # pulls
    "SYNC_CURSOR_EXPIRED": {
        "zh_CN": "总部决定的进度已过期，已重新完整同步。",
        "en": "The decisions cursor expired; decisions were fetched again in full.",
    },
    "SYNC_PACK_REFUSED": {
        "zh_CN": "服务器下发的规则包未采用（{pack_code}：{detail}），继续使用当前规则包。",
        "en": "The server's rule pack was not installed ({pack_code}: {detail}); the current "
        "pack stays in use.",
    },
    "SYNC_BLACKLIST_MISMATCH": {
        "zh_CN": "黑名单“{name}”校验不一致，已重新下载完整名单。",
        "en": "Blacklist “{name}” did not match its checksum; the full list was fetched.",
    },
    "SYNC_BLACKLIST_BROKEN": {
        "zh_CN": "黑名单“{name}”完整下载后仍校验不一致，保留原名单。",
        "en": "Blacklist “{name}” still did not match after a full fetch; the old list is kept.",
    },
    "SYNC_EPOCH_CHANGED": {
        "zh_CN": "总部服务器已从备份恢复，{count} 份尚无决定的申请将重新上传。",
        "en": "The central server was restored from a backup; {count} applications without "
        "a decision are sent again.",
    },
    "SYNC_CLOCK_SKEW": {
        "zh_CN": "本机时钟与服务器相差约 {minutes} 分钟，请 IT 校准时间。同步照常进行。",
        "en": "This PC's clock is about {minutes} minutes off the server's; ask IT to set "
        "the time. Sync goes on.",
    },
}

i18n.register(MESSAGES)

PAUSE_CODES = ("SYNC_REENROLL_NEEDED", "SYNC_DEVICE_REVOKED")
