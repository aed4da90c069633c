"""Chinese for the new-application form's checks, draft, photos and signature
(ui/new_application/)."""

ZH: dict[str, str] = {
    # camera
    "Take a photo": "拍照",
    "&Take photo": "拍照(&T)",
    # signature
    "Sign on the &pad…": "在签名板上签名(&P)…",
    "The customer signs on screen instead of on the printed form": (
        "客户在屏幕上签名，代替纸质授权书"
    ),
    "Recorded %1, version %2, signed on the pad.": "已记录：%1，版本 %2，签名板签名。",
    "Customer signature": "客户签名",
    "The customer signs below to consent to personal-information processing and to "
    "credit queries (consent version %1).": (
        "客户在下方签名，授权个人信息处理和征信查询（授权书版本 %1）。"
    ),
    "C&lear": "清除(&L)",
    "&Use this signature": "使用此签名(&U)",
    # schedule and terms
    "Due date": "还款日",
    "First payment date:": "首期还款日：",
    "&First payment date:": "首期还款日(&F)：",
    "Loans from ¥%1 to ¥%2 can be offered.": "可办理的分期金额为 ¥%1 至 ¥%2。",
    # the draft
    "%1 left an unsaved application on %2.": "%1 于 %2 留下了一份未保存的申请。",
    "An unsaved application was left on %1.": "%1 留下了一份未保存的申请。",
    "An unsaved application was left from an earlier session.": "上次留下了一份未保存的申请。",
    "Customer: %1.": "客户：%1。",
    "Continue it?": "是否继续填写？",
    "&Continue": "继续填写(&C)",
    "&Start a new one (delete it)": "新建申请（删除草稿）(&S)",
    "Discard th&e draft…": "放弃草稿(&E)…",
    "Delete what was typed for this customer (the saved draft) and close": (
        "删除为该客户填写的内容（已保存的草稿）并关闭"
    ),
    "Discard the application": "放弃申请",
    "Delete everything typed for this customer, and the saved draft? This cannot be undone.": (
        "删除为该客户填写的全部内容和已保存的草稿？此操作无法撤销。"
    ),
    "Discard": "放弃",
    # photos
    "Photos and signature": "照片和签名",
    "From &file…": "从文件选择(&F)…",
    "From file…": "从文件选择…",
    "Camera…": "拍照…",
    "Attached ✓": "已附上 ✓",
    "Required, missing": "必需，尚未附上",
    "Not attached": "未附上",
    "Everything the rules require is attached.": "风控规则要求的材料已全部附上。",
    "The rules require no photos for this application.": "按风控规则，本申请无需照片。",
    "Choose a photo": "选择照片",
    "Images (%1)": "图片 (%1)",
    "The file could not be read: %1": "无法读取该文件：%1",
}
