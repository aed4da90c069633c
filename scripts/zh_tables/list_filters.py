# ruff: noqa: E501  (one translation a line reads best)
"""Chinese for the applications list's filter bar and salesperson column
(ui/list_filters.py, ui/applications_model.py)."""

ZH: dict[str, str] = {
    # columns that cannot be sorted say why
    "Not sortable: names are stored encrypted": "不能排序：姓名加密保存",
    "Not sortable: sorting by salesperson would read every application; choose a salesperson in the filter instead": "不能排序：按销售员排序需要读取全部申请；请在上方筛选中选择销售员",
    "Not sortable: the phone is masked": "不能排序：手机号已遮盖",
    # the filter bar
    "Any": "不限",
    "“Any”: no limit. Press Delete to empty it.": "“不限”：不限日期。按 Delete 键清空。",
    "Saved &from:": "保存日期(&F)：",
    "Today": "今天",
    "This week": "本周",
    "This month": "本月",
    "Salesperso&n:": "销售员(&N)：",
    "&Pre-screen:": "预审(&P)：",
    "Passed": "通过",
    "Referred": "转人工",
    "C&lear filters": "清除筛选(&L)",
    "Also from the dashboard: %1": "看板的其他筛选：%1",
}
