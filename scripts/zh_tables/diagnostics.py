"""Chinese for the Help menu, About, Diagnostics and the crash dialog (ui/help_menu.py,
ui/diagnostics_dialog.py, ui/crash.py)."""

ZH: dict[str, str] = {
    # Help menu
    "&Help": "帮助(&H)",
    "&About LoanDesk": "关于 LoanDesk(&A)",
    "Version, data folder, rule pack, last sync": "版本、数据文件夹、规则包、最近同步",
    "&Diagnostics": "诊断(&D)",
    "Check this PC's LoanDesk, as IT would": "像 IT 一样检查本机的 LoanDesk",
    "&Export diagnostics…": "导出诊断文件(&E)…",
    "Save a zip file for IT: logs and checks, no customer data": "为 IT 保存一个 zip 文件：日志和检查结果，不含客户资料",
    "Export diagnostics": "导出诊断文件",
    "Zip files (*.zip);;All files (*)": "Zip 文件 (*.zip);;所有文件 (*)",
    "Exporting diagnostics…": "正在导出诊断文件…",
    "Diagnostics saved to %1 – send this file to IT; it holds no customer data": "诊断文件已保存到 %1 —— 请把它发给 IT；其中不含客户资料",
    # About
    "About LoanDesk": "关于 LoanDesk",
    "LoanDesk - Store Installments": "LoanDesk 门店分期助手",
    "Data folder:": "数据文件夹：",
    "Log file:": "日志文件：",
    "Rule pack:": "规则包：",
    "Last sync:": "最近同步：",
    "Sync result:": "同步结果：",
    "Store:": "门店：",
    "Last hard crash:": "最近一次崩溃：",
    "System:": "系统：",
    "none installed – applications are referred": "未安装 —— 申请一律转人工",
    "%1, version %2, valid until %3": "%1，第 %2 版，有效期至 %3",
    " – out of date, applications are referred": " —— 已过期，申请一律转人工",
    "never completed (last try %1)": "从未成功（最近一次尝试 %1）",
    "never": "从未",
    "%1 – enrolled with %2": "%1 —— 已注册到 %2",
    "%1 – not enrolled": "%1 —— 未注册",
    "none": "无",
    "%1 (see %2)": "%1（见 %2）",
    "&Copy to clipboard": "复制到剪贴板(&C)",
    "Copied.": "已复制。",
    # Diagnostics
    "Diagnostics": "诊断",
    "Result": "结果",
    "Check": "检查项",
    "Detail": "详情",
    "Check &again": "重新检查(&A)",
    "Save a zip file for IT: logs and these checks, no customer data": "为 IT 保存一个 zip 文件：日志和这些检查结果，不含客户资料",
    "Checking…": "正在检查…",
    "OK": "正常",
    "FAIL": "异常",
    "All checks passed": "全部检查通过",
    "The checks could not run: %1": "无法进行检查：%1",
    # crash dialog
    "Something went wrong": "出了点问题",
    "Something went wrong and the last action was not completed.": "出了点问题，刚才的操作没有完成。",
    "Applications that were already saved are safe. You can go on working; if this happens "
    "again, call IT and tell them the reference below.": "已保存的申请不受影响，可以继续工作；如果再次出现，请联系 IT 并告诉他们下面的编号。",
    "Reference: %1": "编号：%1",
    "The details are in the log file:\n%1": "详细信息已记录在日志文件中：\n%1",
    "Error: %1": "错误类型：%1",
    "&Copy details": "复制详情(&C)",
    "Copy the reference and the error for IT (no customer data)": "复制编号和错误信息给 IT（不含客户资料）",
}

PLURALS: dict[str, tuple[list[str], list[str]]] = {
    "%n check(s) failed – tell IT what they say": (
        ["有 %n 项检查未通过 —— 请把内容告诉 IT"],
        ["%n check failed – tell IT what they say", "%n checks failed – tell IT what they say"],
    ),
}
