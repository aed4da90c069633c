"""Chinese for the first-run screen's enrollment part (ui/first_run.py)."""

ZH: dict[str, str] = {
    "Connect to head office (optional)": "连接总部（可选）",
    "e.g. S001": "例如 S001",
    "one-time code from head office": "总部提供的一次性注册码",
    "&Enroll": "注册(&E)",
    "Opening this PC's data…": "正在打开本机数据…",
    "Enrolling is optional: LoanDesk works offline and keeps applications here until this "
    "PC is enrolled (later in Settings).": "注册不是必须的：未注册时 LoanDesk 照常离线使用，申请先保存在本机，"
    "以后可在“设置”中注册。",
    "Ser&ver address:": "服务器地址(&V)：",
    "S&tore code:": "门店编码(&T)：",
    "Enrollment c&ode:": "注册码(&O)：",
    "Settings read from %1.": "已读取部署配置：%1。",
    "No rollout file (%1).": "没有部署配置文件（%1）。",
    "Environment variables in effect: %1.": "生效的环境变量：%1。",
    "Enrolling automatically with %1 as store %2…": "正在自动注册到 %1，门店 %2…",
    "Fill this in.": "请填写此项。",
    "Enrolling with %1 as store %2…": "正在注册到 %1，门店 %2…",
    "This PC is not enrolled yet.": "本机尚未注册到总部。",
    "Enrolling failed because of a program error (%1); the details are in the log file.": "注册时程序出错（%1），详情见日志文件。",
}
