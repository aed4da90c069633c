"""The rollout settings' problems and outcomes in Chinese and English (registered with
core.i18n on import)."""

from __future__ import annotations

from core import i18n

MESSAGES: dict[str, dict[str, str]] = {
    "ROLLOUT_FILE_UNREADABLE": {
        "zh_CN": "部署配置文件 {where} 无法读取：{detail}",
        "en": "The rollout file {where} cannot be read: {detail}",
    },
    "ROLLOUT_FILE_ENCODING": {
        "zh_CN": "部署配置文件 {where} 不是可识别的文本（请在记事本中“另存为”，编码选 UTF-8）",
        "en": "The rollout file {where} is not readable text (in Notepad use Save As with "
        "the encoding UTF-8)",
    },
    "ROLLOUT_FILE_SYNTAX": {
        "zh_CN": "部署配置文件 {where} 第 {line} 行看不懂：{detail}（每行应为 键 = 值）",
        "en": "The rollout file {where} cannot be understood at line {line}: {detail} "
        "(each line should be key = value)",
    },
    "ROLLOUT_FILE_MISNAMED": {
        "zh_CN": "找到了 {found}，但没有使用：请把它改名为 {name}（记事本可能自动加了 .txt）",
        "en": "Found {found} but did not use it: rename it to {name} (Notepad may have added .txt)",
    },
    "ROLLOUT_FILE_MISSING": {
        "zh_CN": "环境变量 {where} 指向的部署配置文件不存在：{path}",
        "en": "The rollout file named by {where} does not exist: {path}",
    },
    "ROLLOUT_UNKNOWN_SECTION": {
        "zh_CN": "{where}：不认识的小节 [{section}]，只应有 [loandesk]",
        "en": "{where}: unknown section [{section}]; only [loandesk] is expected",
    },
    "ROLLOUT_UNKNOWN_KEY": {
        "zh_CN": "{where}：不认识的设置项“{key}”{hint_zh}。可用的有：{known}",
        "en": '{where}: unknown key "{key}"{hint}. Known keys: {known}',
    },
    "ROLLOUT_DUPLICATE_KEY": {
        "zh_CN": "{where}：“{key}”写了不止一次，请只保留一行",
        "en": '{where}: "{key}" is given more than once; keep one line',
    },
    "ROLLOUT_VALUE_EMPTY": {
        "zh_CN": "{where}：值是空的（不需要时请删去这一行）",
        "en": "{where}: the value is empty (delete the line if it is not needed)",
    },
    "ROLLOUT_URL_INVALID": {
        "zh_CN": "{where}：服务器地址“{value}”无效，应形如 https://central.example.cn",
        "en": '{where}: the server address "{value}" is not valid; it should look like '
        "https://central.example.cn",
    },
    "ROLLOUT_URL_PLAIN_HTTP": {
        "zh_CN": "{where}：服务器地址“{value}”使用明文 http://，设备令牌和客户个人信息会以明文传输；"
        "请改用 https://（http:// 只允许本机 127.0.0.1 / localhost）",
        "en": '{where}: the server address "{value}" uses plain http://, so the device token '
        "and customers' personal data would travel unencrypted; use https:// (http:// is "
        "accepted only for this PC itself, 127.0.0.1 / localhost)",
    },
    "ROLLOUT_STORE_INVALID": {
        "zh_CN": "{where}：门店编码“{value}”无效（最多 {max} 个字符，不能有空格）",
        "en": '{where}: the store code "{value}" is not valid (at most {max} characters, '
        "no spaces)",
    },
    "ROLLOUT_CODE_INVALID": {
        "zh_CN": "{where}：注册码长度不对（应为 {min}–{max} 个字符，共 {length} 个）",
        "en": "{where}: the enrollment code has the wrong length ({length} characters; "
        "{min}–{max} expected)",
    },
    "ROLLOUT_LANGUAGE_INVALID": {
        "zh_CN": "{where}：语言“{value}”无效，只能是 zh_CN 或 en",
        "en": '{where}: the language "{value}" is not valid; use zh_CN or en',
    },
    "ROLLOUT_DATA_DIR_INVALID": {
        "zh_CN": "{where}：数据文件夹“{value}”无效：{detail}",
        "en": '{where}: the data folder "{value}" is not valid: {detail}',
    },
    "ROLLOUT_DATA_DIR_UNUSABLE": {
        "zh_CN": "{where}：数据文件夹 {path} 无法创建或写入：{detail}",
        "en": "{where}: the data folder {path} cannot be created or written: {detail}",
    },
    "ROLLOUT_INCOMPLETE": {
        "zh_CN": "{where} 只给了自动注册所需的一部分，还缺：{missing}。本机不会自动注册。",
        "en": "{where} gives only part of what automatic enrollment needs; missing: "
        "{missing}. This PC will not enroll by itself.",
    },
    # outcomes of an enrollment from here
    "ROLLOUT_ENROLLED": {
        "zh_CN": "本机已注册到 {server}，门店 {store} {name}。",
        "en": "This PC is enrolled with {server} as store {store} {name}.",
    },
    "ROLLOUT_ALREADY_ENROLLED": {
        "zh_CN": "本机已注册到 {server}，门店 {store}；无需再注册。",
        "en": "This PC is already enrolled with {server} as store {store}; nothing to do.",
    },
    "ROLLOUT_NOT_CONFIGURED": {
        "zh_CN": "没有部署配置（服务器地址、门店编码、注册码），不自动注册。",
        "en": "No rollout settings (server address, store code, enrollment code): no "
        "automatic enrollment.",
    },
    "ROLLOUT_NOT_ATTEMPTED": {
        "zh_CN": "部署配置有问题，没有尝试注册：{problems}",
        "en": "The rollout settings have problems, so enrollment was not tried: {problems}",
    },
    "ROLLOUT_REFUSED_BEFORE": {
        "zh_CN": "这组服务器、门店和注册码在 {at} 已被拒绝（{reason}），不会再自动尝试。"
        "请改正配置文件中的注册码，或手动注册。",
        "en": "These server, store and code were refused at {at} ({reason}) and are not "
        "tried again by themselves. Correct the code in the rollout file, or enroll by hand.",
    },
    "ROLLOUT_FAILED": {
        "zh_CN": "注册失败：{reason}",
        "en": "Enrollment failed: {reason}",
    },
}
i18n.register(MESSAGES)
