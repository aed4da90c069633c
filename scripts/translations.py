"""Update the UI translations: lupdate over ui/, fill Chinese from the table below, lrelease.

    python scripts/translations.py          (what `make translations` runs)

The .ts files and the compiled .qm files both live in resources/translations/ and are
committed, so a machine running the app or the tests never needs lupdate. English is
the source language; loandesk_en.ts only carries plural forms ("1 application").
Exits 1 and lists the texts when a source text has no Chinese translation yet.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent

# Natural, short store-counter Chinese. Mnemonics follow the zh_CN convention "文字(&X)".
ZH: dict[str, str] = {
    # waiting on the database lane
    "Saving… the database is busy (another program is using it); waiting.": (
        "正在保存…数据库正被其他程序使用，请稍候。"
    ),
    "Pre-screening…": "正在预审…",
    # the customer's consent on the form
    "Customer consent (version %1)": "客户授权（版本 %1）",
    "Before the pre-screen: the customer reads and signs the printed consent to "
    "personal-information processing and to credit queries (version %1).": (
        "预审之前：请客户阅读并签署纸质《个人信息处理授权书》和《征信查询授权书》（版本 %1）。"
    ),
    "Show the &texts…": "查看授权书(&T)…",
    "The customer has &signed the printed consent form": "客户已签署纸质授权书(&S)",
    "Withdraw consent": "撤回授权",
    "The customer withdraws consent: what this form holds of them (the saved draft, "
    "photos) is deleted. Continue?": (
        "客户撤回授权：本表单中该客户的资料（已保存的草稿、照片）将被删除。是否继续？"
    ),
    "Withdraw": "撤回",
    "Keep consent": "保留授权",
    "Not recorded yet: no pre-screen and no saving without it.": (
        "尚未登记授权：未授权不能预审，也不能保存。"
    ),
    "Recorded %1, version %2, signed on paper.": "已于 %1 登记，版本 %2，纸质签署。",
    "Consent texts, version %1": "授权书，版本 %1",
    # main window
    "LoanDesk - Store Installments": "LoanDesk 门店分期助手",
    "&Application": "申请(&A)",
    "&New application": "新建申请(&N)",
    "Start a new installment application (Ctrl+N)": "新建一笔分期申请 (Ctrl+N)",
    "&Open": "查看(&O)",
    "Show the selected application (Enter or double-click)": "查看选中的申请（回车或双击）",
    "&Refresh": "刷新(&R)",
    "Reload the list (F5)": "重新加载列表 (F5)",
    "&Cancel application": "取消申请(&C)",
    "Cancel the selected application": "取消选中的申请",
    "E&xit": "退出(&X)",
    "Actions": "操作",
    "&Search:": "搜索(&S)：",
    "Full customer name, phone (last 4 digits or all 11), ID number, or application id": "客户全名、手机号（后 4 位或完整 11 位）、身份证号或申请编号",
    "S&tatus:": "状态(&T)：",
    "All": "全部",
    "Unsaved application": "未保存的申请",
    "Continue the unsaved application?": "是否继续填写上次未保存的申请？",
    "Continue": "继续填写",
    "Start a new one": "重新开始",
    "Application saved, number %1": "申请已保存，编号 %1",
    # list columns
    "Created": "创建时间",
    "Customer": "客户",
    "Phone": "手机号",
    "Category": "商品类别",
    "Order total": "订单金额",
    "Loan amount": "分期金额",
    "Term": "期数",
    "Monthly payment": "月供",
    "Status": "状态",
    "%1 mo.": "%1 期",
    # new application: frame
    "New application": "新建申请",
    "&Back": "上一步(&B)",
    "&Next": "下一步(&N)",
    "&Save": "保存(&S)",
    "Cancel": "取消",
    "Continuing the unsaved application.": "正在继续填写未保存的申请。",
    "Draft saved.": "草稿已保存。",
    "Close the form": "关闭表单",
    "Close the application form? What you typed is kept as a draft; choose New application "
    "to continue it.": "关闭申请表单吗？已填写的内容会保存为草稿，点“新建申请”可继续填写。",
    "Close": "关闭",
    "Keep editing": "继续编辑",
    # customer step
    "18 characters, as on the ID card": "18 位，与身份证一致",
    "11-digit mobile number": "11 位手机号",
    "e.g. 8000": "例如 8000",
    "Street, building, house number": "街道、楼栋、门牌号",
    "&ID number:": "身份证号(&I)：",
    "N&ame:": "姓名(&A)：",
    "&Mobile phone:": "手机号(&M)：",
    "Monthly inc&ome (yuan):": "月收入（元）(&O)：",
    "Home &city:": "居住城市(&C)：",
    "Home a&ddress:": "居住地址(&D)：",
    "Enter the customer's details exactly as on the ID card.": "请按身份证如实填写客户信息。",
    # order step
    "Items": "商品",
    "Scan the barcode or type the SKU, then Enter": "扫描条码或输入商品编码后按回车",
    "&Add": "添加(&A)",
    "&Remove line": "删除行(&R)",
    "Same as the customer's &home address": "与客户居住地址相同(&H)",
    "&Category:": "商品类别(&C)：",
    "S&KU:": "商品编码(&K)：",
    "Delivery": "配送",
    "Delivery c&ity:": "配送城市(&I)：",
    "Delivery a&ddress:": "配送地址(&D)：",
    "Same item scanned again: quantity increased.": "同一商品再次扫描：数量已加 1。",
    "SKU not in the catalog: type the item name and price in the table.": "商品目录中没有此编码：请在表格中填写商品名称和单价。",
    "Added: %1": "已添加：%1",
    "Order total: %1 yuan": "订单金额：%1 元",
    "Line %1: ": "第 %1 行：",
    "SKU": "商品编码",
    "Item": "商品名称",
    "Unit price (yuan)": "单价（元）",
    "Qty": "数量",
    "Amount (yuan)": "金额（元）",
    # terms step
    "Terms": "分期方案",
    "&Down payment (yuan):": "首付（元）(&D)：",
    "&Term:": "期数(&T)：",
    "Repayment &method:": "还款方式(&M)：",
    "%1 months": "%1 期",
    "Repayment schedule:": "还款计划：",
    "Summary": "汇总",
    "Monthly payment:": "月供：",
    "First month payment:": "首月还款：",
    "Order total (yuan):": "订单金额（元）：",
    "Loan amount (yuan):": "分期金额（元）：",
    "Total interest (yuan):": "利息合计（元）：",
    "Fees (yuan):": "费用合计（元）：",
    "Total repayment (yuan):": "还款总额（元）：",
    "Nominal annual rate:": "名义年利率：",
    "APR (annual percentage rate):": "年化利率(APR)：",
    "Period": "期次",
    "Payment": "还款额",
    "Principal": "本金",
    "Interest": "利息",
    "Fee": "费用",
    "Balance": "剩余本金",
    # review step
    "Review": "确认",
    "Check every detail with the customer, then press Save.": "请与客户逐项核对后点“保存”。",
    "ID number:": "身份证号：",
    "Name:": "姓名：",
    "Mobile phone:": "手机号：",
    "Monthly income (yuan):": "月收入（元）：",
    "Home address:": "居住地址：",
    "Category:": "商品类别：",
    "Delivery address:": "配送地址：",
    "Down payment (yuan):": "首付（元）：",
    "Term:": "期数：",
    "Repayment method:": "还款方式：",
    # detail
    "Application %1": "申请 %1",
    "Sc&hedule": "还款计划(&H)",
    "H&istory": "状态记录(&I)",
    "Reference:": "申请编号：",
    "System id:": "系统编号：",
    "Status:": "状态：",
    "Created:": "创建：",
    "Items (delivery: %1)": "商品（配送至：%1）",
    "Cancel application": "取消申请",
    "Cancel this application? This cannot be undone.": "确定取消这笔申请吗？取消后无法恢复。",
    "Keep it": "不取消",
    "Time": "时间",
    "Operator": "操作人",
    "Action": "操作",
    "&Pre-screen": "预审(&P)",
    "Pre-screen:": "预审结果：",
    "The decision receipt saved with the application: the outcome and reasons the store saw, "
    "the rule pack used and a digest of the inputs, so the credit centre can replay the "
    "decision.": "随申请保存的预审凭据：门店看到的结果和原因、所用规则包以及输入数据摘要，"
    "审批中心可据此复核门店的预审结果。",
    "No pre-screen receipt: this application was saved before pre-screening existed.": "没有预审凭据：这笔申请保存于预审功能上线之前。",
    "No receipt": "无凭据",
    # detail: masked personal data, reveal, retention; permissions
    "removed (retention)": "已按保留期限删除",
    "Show": "显示",
    "Show the full value; this is recorded in the audit log under your name": "显示完整内容；此操作将以您的名义记入审计日志",
    "Your role may not cancel this application": "您的角色无权取消此申请",
    "Only a field manager or an administrator can load a rule pack.": "只有区域经理或管理员可以加载规则包。",
    "Only an administrator can change these settings.": "只有管理员可以修改这些设置。",
    # export of the list
    "E&xport list…": "导出列表(&X)…",
    "Save the applications listed (with the current search and filter) to a CSV file; ID "
    "numbers and phones are masked": "将当前列表（按当前搜索和筛选）保存为 CSV 文件；身份证号和手机号已打码",
    "Exporting the list…": "正在导出列表…",
    "Export list": "导出列表",
    "CSV files (*.csv);;All files (*)": "CSV 文件 (*.csv);;所有文件 (*)",
    "Exporting the list… %1 of %2": "正在导出列表… %1 / %2",
    # pre-screen outcome (review step and detail)
    "&Save (declined)": "保存（拒绝）(&S)",
    "The pre-screen declines this application; saving keeps the record.": "预审结果为拒绝；保存后留有记录。",
    "Pass": "通过",
    "Refer": "转人工",
    "Decline": "拒绝",
    "Store": "门店",
    "Data": "数据",
    "System": "系统",
    "Rule pack: none in use (out of date or missing)": "规则包：无可用规则包（已过期或缺失）",
    "Rule pack %1 v%2": "规则包 %1 v%2",
    "This application cannot go ahead. Tell the customer the reasons below; save it anyway "
    "to keep the record.": "本笔分期不能办理。请向客户说明以下原因；仍请保存，以留存记录。",
    "Rules out of date – refer. This is not an error: save the application as usual; it goes "
    "to manual review.": "规则包已过期，转人工。这不是故障：照常保存申请即可，申请将转人工审核。",
    "Save the application; it goes to manual review for the reasons below.": "请保存申请；因以下原因，申请将转人工审核。",
    "The pre-screen found nothing against this application.": "预审未发现问题。",
    "Rules out of date – refer": "规则包已过期，转人工",
    "Pre-screen": "预审",
    "Inputs SHA-256:": "输入数据 SHA-256：",
    "The digest of what the rules saw: the credit centre uses it to replay this decision.": "规则所见输入数据的摘要，审批中心据此复核本次预审。",
    "No pre-screen yet.": "尚未预审。",
    "The pre-screen runs once every step is complete; Save shows what is missing.": "各步骤填写完整后才会预审；点“保存”可查看缺少的内容。",
    "The pre-screen could not run: %1": "预审无法进行：%1",
    # rules page
    "&Tools": "工具(&T)",
    "&Rules…": "规则包(&R)…",
    "Show the active rule pack; load a new one from a file": "查看当前规则包；从文件载入新规则包",
    "Rules out of date – applications are referred": "规则包已过期，申请将转人工",
    "Tools > Rules… shows why": "在“工具 > 规则包…”中查看原因",
    "Rule pack": "规则包",
    "Active rule pack": "当前规则包",
    "Pack:": "规则包：",
    "Version:": "版本：",
    "Valid from:": "生效时间：",
    "Valid until:": "失效时间：",
    "Validity:": "有效性：",
    "Signature:": "签名：",
    "Signing key:": "签名密钥：",
    "Categories:": "商品类别：",
    "Source:": "来源：",
    "Installed:": "安装时间：",
    "SHA-256:": "SHA-256：",
    "&Load pack from file…": "从文件载入规则包(&L)…",
    "Install a signed rule pack (.json), e.g. from a USB stick. A pack that fails the checks "
    "is refused and the current one stays active.": "安装已签名的规则包（.json），例如 U 盘中的文件。未通过校验的规则包会被拒绝，"
    "当前规则包继续有效。",
    "No rule pack installed — applications will be referred (RULES_STALE). Load a pack from "
    "a file.": "未安装规则包——申请将转人工（RULES_STALE）。请从文件载入规则包。",
    "✗ Expired": "✗ 已过期",
    "✗ Not valid yet (check this PC's date)": "✗ 尚未生效（请检查电脑日期）",
    "✓ Valid now": "✓ 当前有效",
    "✓ Verified": "✓ 签名有效",
    "✗ Does not verify": "✗ 签名无效",
    "The installed rule pack fails verification — applications will be referred "
    "(RULES_STALE). Load a correctly signed pack.": "已安装的规则包未通过校验——申请将转人工（RULES_STALE）。请载入签名正确的规则包。",
    "The rule pack has expired — applications will be referred (RULES_STALE). Load a newer "
    "pack.": "规则包已过期——申请将转人工（RULES_STALE）。请载入更新的规则包。",
    "The rule pack is not valid yet — applications will be referred (RULES_STALE). Ask IT to "
    "check this PC's date.": "规则包尚未生效——申请将转人工（RULES_STALE）。请 IT 检查电脑日期。",
    "Applications are pre-screened with this rule pack.": "申请按此规则包进行预审。",
    "Shipped with the program": "随软件安装",
    "Loaded from a file": "从文件载入",
    "From the server": "服务器下发",
    "Load rule pack": "载入规则包",
    "Rule packs (*.json);;All files (*)": "规则包 (*.json);;所有文件 (*)",
    "The file cannot be read: %1": "无法读取文件：%1",
    "Rule pack %1 v%2 is already active; nothing changed.": "规则包 %1 v%2 已在使用中，未作更改。",
    "Rule pack %1 v%2 is now active.": "规则包 %1 v%2 已启用。",
    "The rule pack was not loaded: %1": "规则包未载入：%1",
    "Details: %1": "详情：%1",
    "No rule pack was active before and none is now; applications are still referred "
    "(RULES_STALE).": "之前没有可用的规则包，现在仍然没有；申请继续转人工（RULES_STALE）。",
    "The current rule pack %1 v%2 stays active.": "当前规则包 %1 v%2 继续有效。",
    # texts of the PACK_* refusal codes (core registers none)
    "the file is not a rule pack (damaged, or not a pack file).": "文件不是有效的规则包（已损坏或不是规则包文件）。",
    "the signature does not match: the file was altered or damaged.": "签名不符：文件已被修改或损坏。",
    "it is signed with a key this program does not trust.": "签名密钥不受本软件信任。",
    "it is correctly signed, but its content is incomplete or wrong.": "签名正确，但内容不完整或有误。",
    "it is correctly signed, but one of its decisions cannot be run.": "签名正确，但其中的决策规则无法运行。",
    "it is not newer than the rule pack this PC uses (or has already used).": (
        "版本不比本机正在使用（或曾经用过）的规则包新。"
    ),
    "it has already expired.": "该规则包已过期。",
    "it has no rules for a product category.": "缺少某类商品的规则。",
    "this program's list of trusted keys is missing or damaged; call IT.": "本软件的受信任密钥列表缺失或损坏，请联系 IT。",
    "it was refused (%1).": "被拒绝（%1）。",
    # sync: toolbar, status bar, sync panel
    "S&ync now": "立即同步(&Y)",
    "Send queued applications to head office and fetch decisions (F9)": "把排队的申请发送到总部并取回审批结果 (F9)",
    "Sync &panel": "同步面板(&P)",
    "Syncing…": "正在同步…",
    "Sync state unreadable": "无法读取同步状态",
    "To upload: %1": "待上传：%1 份",
    "%1 need attention": "%1 份需处理",
    "Applications head office returned or that were kept aside: open the sync panel": "总部退回或暂放一边的申请：点此打开同步面板",
    "Last sync: %1": "上次同步：%1",
    "Never synced": "尚未同步",
    "Sync paused – ask IT": "同步已暂停——请联系 IT",
    "Not enrolled – sync is off": "本机未注册——不同步",
    "Sync stopped – this PC was revoked": "同步已停止——本机已被停用",
    "Sync paused – enroll this PC again": "同步已暂停——需重新注册本机",
    "Not synced yet": "尚未同步",
    "● Online": "● 在线",
    "● Offline": "● 离线",
    "Connected to head office (%1)": "已连接总部服务器（%1）",
    "Head office could not be reached at the last sync; applications stay queued here.": "上次同步时连不上总部服务器；申请在本机排队等待上传。",
    "Click for the sync panel.": "点击打开同步面板。",
    "Sync with head office": "与总部同步",
    "&Sync now": "立即同步(&S)",
    "Send queued applications and fetch decisions now": "现在发送排队的申请并取回审批结果",
    "Stop after the current batch; what was sent stays sent": "当前这一批完成后停止；已发送的不受影响",
    "No sync since LoanDesk started.": "本次启动后尚未同步。",
    "Last sync": "上次同步",
    "Head office refused these applications; they are not sent again. Tell your field "
    "manager the reason shown.": "总部退回了以下申请，不会再次发送。请把显示的原因告知区域经理。",
    "&Retry": "重新发送(&R)",
    "Send the selected application again (after IT fixed the cause)": "重新发送选中的申请（IT 排除原因之后）",
    "&Export for IT…": "导出给 IT(&E)…",
    "Save every kept-aside application to a file for IT": "把所有暂放一边的申请保存到文件，交给 IT",
    "Connected to %1 as store %2. Waiting to upload: %3.": "已连接 %1，门店编码 %2。待上传：%3 份。",
    "Returned by head office (%1)": "总部退回（%1）",
    "Kept aside after repeated failures (%1)": "多次失败、暂放一边（%1）",
    "Starting…": "正在开始…",
    "Sending applications…": "正在发送申请…",
    "Fetching decisions…": "正在取回审批结果…",
    "Checking the rule pack…": "正在检查规则包…",
    "Updating the product catalog…": "正在更新商品目录…",
    "Updating the blacklists…": "正在更新黑名单…",
    "Reporting to head office…": "正在向总部报告状态…",
    "Nothing to do.": "没有需要同步的内容。",
    "Queued again; it goes out with the next sync.": "已重新排队，下次同步时发送。",
    "This item was no longer kept aside.": "这份申请已不再暂放一边。",
    "Export kept-aside applications": "导出暂放一边的申请",
    "JSON lines (*.jsonl);;All files (*)": "JSON 行文件 (*.jsonl);;所有文件 (*)",
    "Exporting…": "正在导出…",
    "%1 application(s) written to %2": "已将 %1 份申请写入 %2",
    "The file could not be written: %1": "无法写入文件：%1",
    "Application": "申请编号",
    "%1 – returned by head office": "%1（总部退回）",
    "Saved": "保存时间",
    "Reason": "原因",
    # head-office decision (detail dialog)
    "Head-office decision": "总部审批结果",
    "Decision:": "结果：",
    "Approved amount (yuan):": "批准金额（元）：",
    "Score:": "评分：",
    "Reasons:": "原因：",
    "Decided:": "审批时间：",
    "None (cancelled in the store)": "无（已在门店取消）",
    "Sent – waiting for head office's decision": "已上传——等待总部审批",
    "Not sent yet – it goes out with the next sync": "尚未上传——下次同步时发送",
    "Young applicant (21 or under)": "申请人年龄偏小（21 岁及以下）",
    "Applicant aged 56 to 65": "申请人年龄 56 至 65 岁",
    "Applicant over 65": "申请人超过 65 岁",
    "Monthly income under 3,000 yuan": "月收入低于 3,000 元",
    "Installment is 30–40% of income": "月供占收入 30%–40%",
    "Installment is over 40% of income": "月供超过收入的 40%",
    "Down payment under 10%": "首付低于 10%",
    "The store's pre-screen referred it": "门店预审为转人工",
    "The store's pre-screen declined it": "门店预审为拒绝",
    "No store pre-screen": "没有门店预审",
    "On a blacklist": "命中黑名单",
    # settings
    "&Settings…": "设置(&S)…",
    "Enroll this PC with head office; language": "将本机注册到总部服务器；界面语言",
    "Settings": "设置",
    "Head office": "总部服务器",
    "e.g. https://api.example.cn": "例如 https://api.example.cn",
    "One-time code from IT": "IT 提供的一次性注册码",
    "&Enroll this PC": "注册本机(&E)",
    "Enrolling…": "正在注册…",
    "&Server address:": "服务器地址(&S)：",
    "S&tore code:": "门店编码(&T)：",
    "Enrollment &code:": "注册码(&C)：",
    "Same as the system": "跟随系统",
    "Forgot your password? Your administrator sets a new one; an administrator asks IT.": "忘记密码？请管理员为您重设；管理员忘记密码请联系 IT。",
    " min": " 分钟",
    " days": " 天",
    "Privacy": "隐私保护",
    "Lock the screen after &idle:": "无操作自动锁屏(&I)：",
    "&Keep customers' personal data for:": "客户个人资料保留(&K)：",
    "Counted from head office's decision; after that the ID number, name, phone and "
    "addresses of synced, decided applications are removed from this PC.": "自总部审批结果起计；期满后，已同步且已有结果的申请的身份证号、姓名、手机号和地址"
    "将从本机删除。",
    "Saved. The new lock time applies the next time someone signs in.": "已保存。新的锁屏时间在下次登录时生效。",
    "Saved. Data past the new period is removed the next time LoanDesk starts.": "已保存。超过新期限的资料将在下次启动 LoanDesk 时删除。",
    "The setting could not be saved: %1": "设置未能保存：%1",
    "Language": "语言",
    "&Interface language:": "界面语言(&I)：",
    "The enrollment state cannot be read.": "无法读取注册状态。",
    "This PC is not enrolled: applications are kept here and not sent to head office.": "本机尚未注册：申请保存在本机，不会发送到总部。",
    "Enrolled with %1 as store %2.": "已注册到 %1，门店编码 %2。",
    "Fill in the server address, the store code and the enrollment code IT gave you.": "请填写 IT 提供的服务器地址、门店编码和注册码。",
    "This PC is now enrolled with %1 as store %2 %3. Queued applications go to head office "
    "with the next sync.": "本机已注册到 %1，门店 %2 %3。排队的申请将在下次同步时发送到总部。",
    "Enrolling failed because of a program error (%1); the details are in the log file.": "程序出错，注册未完成（%1）；详细信息已写入日志文件。",
    "Not enrolled: %1": "未注册：%1",
    "The language could not be saved: %1": "无法保存语言设置：%1",
    "Saved. The new language applies the next time LoanDesk starts.": "已保存。新的界面语言在下次启动 LoanDesk 时生效。",
    # operators: setup, login, idle lock, account menu, operators dialog
    "Try again in %1 s": "请 %1 秒后再试",
    "LoanDesk - Log in": "LoanDesk 登录",
    "&Log in": "登录(&L)",
    "&User name:": "用户名(&U)：",
    "&Password:": "密码(&P)：",
    "Log in with your own account. The PC locks itself when nobody uses it for a while.": "请用自己的账户登录。一段时间无人操作时，本机会自动锁定。",
    "Enter your user name.": "请输入用户名。",
    "LoanDesk - First start": "LoanDesk 首次使用",
    "&Create administrator": "创建管理员(&C)",
    "Nobody can use LoanDesk on this PC yet. Create the administrator account: the "
    "administrator then adds an account for each member of staff. At least 8 characters "
    "with letters and digits.": "本机尚未设置任何账户。请先创建管理员账户，再由管理员为每位员工添加账户。"
    "密码至少 8 位，需同时包含字母和数字。",
    "&Name:": "姓名(&N)：",
    "&Repeat password:": "再次输入密码(&R)：",
    "The two passwords are not the same.": "两次输入的密码不一致。",
    "Locked": "已锁定",
    "Signed in: %1. Type your password to continue.": "当前登录：%1。请输入密码继续。",
    "&Unlock": "解锁(&U)",
    "Sign &out": "退出登录(&O)",
    "&Lock now": "立即锁定(&L)",
    "Hide customer data until you type your password again (Ctrl+L)": "隐藏客户资料，重新输入密码后才能继续 (Ctrl+L)",
    "Sign out so that another member of staff can log in": "退出登录，让其他员工登录",
    "&Operators…": "操作员管理(&O)…",
    "Add staff accounts, disable them, reset passwords (administrators)": "添加、停用员工账户，重设密码（管理员）",
    "A&ccount": "账户(&C)",
    "New operator": "新增操作员",
    "R&ole:": "角色(&O)：",
    "Store clerks may use a PIN of at least 6 digits; field managers and administrators "
    "need at least 8 characters with letters and digits.": "门店专员可使用至少 6 位数字的 PIN 码；区域经理和管理员的密码至少 8 位，"
    "需同时包含字母和数字。",
    "&Set password": "设置密码(&S)",
    "New password for %1": "为 %1 设置新密码",
    "Disabled": "已停用",
    "Active": "正常",
    "No password yet": "尚未设置密码",
    "User name": "用户名",
    "Name": "姓名",
    "Role": "角色",
    "State": "状态",
    "Operators": "操作员",
    "&Add…": "添加(&A)…",
    "&Disable": "停用(&D)",
    "&Enable": "启用(&E)",
    "&Reset password…": "重设密码(&R)…",
    "Each member of staff logs in with an account of their own. A disabled account cannot "
    "log in; its history is kept.": "每位员工使用自己的账户登录。停用的账户不能登录，其操作记录会保留。",
    # dialogs
    "LoanDesk": "LoanDesk",  # a dialog's title: Qt adds nothing to the bare name
    "Something went wrong and the action was not completed. Saved applications are safe. "
    "If it happens again, tell IT; the details are in the log file.\n\n(%1)": "出现意外错误，操作未完成。已保存的申请不受影响。如果再次出现，请联系 IT，"
    "详细信息已写入日志文件。\n\n（%1）",
}
# Plural texts: {source: (zh forms, en forms)}; Chinese has one form.
PLURALS: dict[str, tuple[list[str], list[str]]] = {
    "%n application(s)": (["共 %n 条"], ["%n application", "%n applications"]),
    "%n application(s) exported to %1": (
        ["已导出 %n 条申请到 %1"],
        ["%n application exported to %1", "%n applications exported to %1"],
    ),
}


def _more_tables() -> None:
    """Each screen area may keep its Chinese in scripts/zh_tables/<area>.py (a ZH dict
    and, optionally, a PLURALS dict), so that parallel work does not collide here."""
    import importlib.util

    for path in sorted((ROOT / "scripts" / "zh_tables").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"zh_tables.{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        ZH.update(getattr(module, "ZH", {}))
        PLURALS.update(getattr(module, "PLURALS", {}))


def _run(tool: str, *args: str) -> None:
    subprocess.run([str(BIN / tool), *args], check=True, cwd=ROOT)


def _fill(ts: Path, *, lang: str) -> list[str]:
    """Set every translation the tables know; returns the source texts still missing."""
    tree = ET.parse(ts)
    missing: list[str] = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if message.get("numerus") == "yes":
            forms = PLURALS.get(source, ([], []))[0 if lang == "zh_CN" else 1]
            if forms:
                for old in list(translation):
                    translation.remove(old)
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
                translation.text = None
                translation.attrib.pop("type", None)
                continue
        elif lang == "zh_CN" and source in ZH:
            translation.text = ZH[source]
            translation.attrib.pop("type", None)
            continue
        if translation.get("type") == "unfinished":
            missing.append(source)
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return missing


def main() -> int:
    _more_tables()
    OUT.mkdir(parents=True, exist_ok=True)
    zh_ts, en_ts = OUT / "loandesk_zh_CN.ts", OUT / "loandesk_en.ts"
    common = ["-extensions", "py", "-locations", "relative", "-no-obsolete", "-silent", "ui"]
    _run("pyside6-lupdate", *common, "-target-language", "zh_CN", "-ts", str(zh_ts))
    _run("pyside6-lupdate", *common, "-pluralonly", "-target-language", "en", "-ts", str(en_ts))
    missing = _fill(zh_ts, lang="zh_CN") + _fill(en_ts, lang="en")
    for ts in (zh_ts, en_ts):
        _run("pyside6-lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm")))
    if missing:
        print("No translation yet for:", file=sys.stderr)
        for text in missing:
            print(f"  {text!r}", file=sys.stderr)
        return 1
    print(f"translations written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
