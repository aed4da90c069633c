"""Chinese and English text for the bundle codes (registered with core.i18n on import).

The codes head office answers with (``server/bundles.py``) are the same codes, so the
field manager's PC shows them in the user's language."""

from __future__ import annotations

from core import i18n

MESSAGES: dict[str, dict[str, str]] = {
    "ACTION_bundle_exported": {"zh_CN": "导出离线同步包", "en": "Offline bundle exported"},
    "ACTION_bundle_relayed": {"zh_CN": "代传离线同步包", "en": "Offline bundle relayed"},
    "ACTION_bundle_imported": {"zh_CN": "导入总部回执包", "en": "Return bundle imported"},
    "BUNDLE_NOT_ENROLLED": {
        "zh_CN": "BUNDLE_NOT_ENROLLED：本机尚未注册到总部，不能制作离线同步包。请 IT 先在有网络时"
        "注册本机一次（loandesk enroll）。",
        "en": "BUNDLE_NOT_ENROLLED: this PC is not enrolled with head office, so it cannot "
        "make an offline bundle. Ask IT to enroll it once while it has a network "
        "(loandesk enroll).",
    },
    "BUNDLE_RELAY_NOT_ENROLLED": {
        "zh_CN": "BUNDLE_RELAY_NOT_ENROLLED：本机（代传电脑）尚未注册到总部，无法代传同步包。"
        "请先注册本机（loandesk enroll）。文件未做任何改动。",
        "en": "BUNDLE_RELAY_NOT_ENROLLED: this PC (the relay) is not enrolled with head "
        "office, so it cannot pass the bundle on. Enroll it first (loandesk enroll). The "
        "file was not changed.",
    },
    "BUNDLE_NO_HEAD_OFFICE_KEY": {
        "zh_CN": "BUNDLE_NO_HEAD_OFFICE_KEY：找不到总部的公钥（resources/keys/"
        "head_office_keys.json，{detail}），安装可能不完整。请 IT 重新安装本软件。",
        "en": "BUNDLE_NO_HEAD_OFFICE_KEY: head office's public key is missing or damaged "
        "(resources/keys/head_office_keys.json, {detail}); the installation may be "
        "incomplete. Ask IT to reinstall LoanDesk.",
    },
    "BUNDLE_DEVICE_KEY_DAMAGED": {
        "zh_CN": "BUNDLE_DEVICE_KEY_DAMAGED：系统密钥库中本机的设备密钥已损坏。请联系 IT。",
        "en": "BUNDLE_DEVICE_KEY_DAMAGED: this PC's device key in the system keyring is "
        "damaged. Contact IT.",
    },
    "BUNDLE_FILE_UNREADABLE": {
        "zh_CN": "BUNDLE_FILE_UNREADABLE：无法读取文件 {file}（{detail}）。请检查 U 盘后重试。",
        "en": "BUNDLE_FILE_UNREADABLE: the file {file} cannot be read ({detail}). Check the "
        "USB stick and try again.",
    },
    "BUNDLE_NOT_A_BUNDLE": {
        "zh_CN": "BUNDLE_NOT_A_BUNDLE：{file} 不是 LoanDesk 离线同步包（{detail}）。",
        "en": "BUNDLE_NOT_A_BUNDLE: {file} is not a LoanDesk offline bundle ({detail}).",
    },
    "BUNDLE_TAMPERED": {
        "zh_CN": "BUNDLE_TAMPERED：同步包 {file} 在制作后被改动过或已损坏（签名不符：{detail}），"
        "已拒绝，未导入任何内容。请让对方重新导出。",
        "en": "BUNDLE_TAMPERED: the bundle {file} was changed or damaged after it was made "
        "(the signature does not match: {detail}); refused, nothing was imported. Ask for "
        "a new export.",
    },
    "BUNDLE_UNTRUSTED": {
        "zh_CN": "BUNDLE_UNTRUSTED：回执包 {file} 不是由总部签发的（签名密钥 {signer} 不受信任），"
        "已拒绝。",
        "en": "BUNDLE_UNTRUSTED: the return bundle {file} was not issued by head office "
        "(signing key {signer} is not trusted); refused.",
    },
    "BUNDLE_OTHER_STORE": {
        "zh_CN": "BUNDLE_OTHER_STORE：这个同步包属于门店 {theirs}，不是本店（{ours}），已拒绝，"
        "未导入任何内容。请确认 U 盘里的文件。",
        "en": "BUNDLE_OTHER_STORE: this bundle belongs to store {theirs}, not this one "
        "({ours}); refused, nothing was imported. Check the file on the USB stick.",
    },
    "BUNDLE_OTHER_DEVICE": {
        "zh_CN": "BUNDLE_OTHER_DEVICE：这个回执包是给本店另一台电脑（{theirs}）的，不是本机，"
        "已拒绝。请在那台电脑上导入。",
        "en": "BUNDLE_OTHER_DEVICE: this return bundle is for another PC of the store "
        "({theirs}), not this one; refused. Import it on that PC.",
    },
    "BUNDLE_OLDER": {
        "zh_CN": "BUNDLE_OLDER：这是一个较旧的同步包（序号 {seq}，已处理到 {last}），已拒绝，"
        "未做任何改动。请使用最新导出的文件。",
        "en": "BUNDLE_OLDER: this is an older bundle (number {seq}; number {last} was "
        "already handled); refused, nothing changed. Use the newest export.",
    },
    "BUNDLE_ALREADY_IMPORTED": {
        "zh_CN": "这个回执包（序号 {seq}）已经导入过，本次没有任何改动。",
        "en": "This return bundle (number {seq}) was imported before; nothing changed.",
    },
    "BUNDLE_UNKNOWN_RECIPIENT": {
        "zh_CN": "BUNDLE_UNKNOWN_RECIPIENT：同步包是为另一把总部密钥（{detail}）加密的，"
        "总部无法打开。请门店升级软件后重新导出。",
        "en": "BUNDLE_UNKNOWN_RECIPIENT: the bundle is encrypted to another head-office key "
        "({detail}), which head office cannot open. Update LoanDesk at the store and "
        "export again.",
    },
    "BUNDLE_DEVICE_UNKNOWN": {
        "zh_CN": "BUNDLE_DEVICE_UNKNOWN：总部不认识制作该同步包的门店电脑，或它已被停用"
        "（{detail}）。请 IT 重新注册那台电脑。",
        "en": "BUNDLE_DEVICE_UNKNOWN: head office does not know the store PC that made this "
        "bundle, or it was revoked ({detail}). Ask IT to enroll that PC again.",
    },
    "BUNDLE_KEY_CHANGED": {
        "zh_CN": "BUNDLE_KEY_CHANGED：门店电脑的设备密钥与总部登记的不一致。"
        "请 IT 重新注册那台电脑。",
        "en": "BUNDLE_KEY_CHANGED: the store PC's device key differs from the one head "
        "office holds for it. Ask IT to enroll that PC again.",
    },
    "BUNDLE_REFUSED": {
        "zh_CN": "BUNDLE_REFUSED：总部拒绝了同步包（{status} {detail}）。文件保持不变，请联系 IT。",
        "en": "BUNDLE_REFUSED: head office refused the bundle ({status} {detail}). The file "
        "is unchanged; contact IT.",
    },
    "BUNDLE_RELAY_FAILED": {
        "zh_CN": "BUNDLE_RELAY_FAILED：无法把同步包送到总部（{detail}）。已送达的部分不会重复，"
        "请联网后再导入一次同一个文件。",
        "en": "BUNDLE_RELAY_FAILED: the bundle could not be passed to head office "
        "({detail}). What arrived is not doubled: import the same file again once the "
        "network is back.",
    },
    "BUNDLE_WRITE_FAILED": {
        "zh_CN": "BUNDLE_WRITE_FAILED：文件 {file} 无法写入（{detail}）。请换一个位置或检查 U 盘，"
        "未生成任何文件。",
        "en": "BUNDLE_WRITE_FAILED: the file {file} could not be written ({detail}). Choose "
        "another place or check the USB stick; no file was made.",
    },
}

i18n.register(MESSAGES)
