"""Chinese for the application detail view (ui/detail.py, ui/history_model.py,
ui/reveal_reason.py, ui/decision_view.py) and its printouts (ui/printing/)."""

ZH: dict[str, str] = {
    "Sync (automatic)": "同步（自动）",
    "Sync (%1)": "同步（%1）",
    "ID number": "身份证号",
    "mobile phone": "手机号",
    "Why show the full value?": "为何查看完整信息？",
    "You are about to see the customer's full %1. Pick the reason; it is recorded in the "
    "audit log under your name.": "即将查看客户完整的%1。请选择原因，"
    "系统会以您的名义记入审计日志。",
    "Revised:": "决定变更：",
    "Head office changed its decision on %1. Before: %2": "总部已于 %1 变更审批结果。变更前：%2",
    " (%1)": "（%1）",
    "Part of a ring of applications sharing phones or IDs": "与其他申请共用手机号或身份证，"
    "疑似团伙",
    "Phone used with several ID numbers": "同一手机号对应多个身份证号",
    "ID number used under another name": "同一身份证号以其他姓名申请",
    "ID number used at several stores": "同一身份证号在多家门店申请",
    "Delivery address shared by several customers": "多名客户使用同一送货地址",
    "Goods filed under the wrong category": "商品类别填写不符",
    "Price above the catalog price": "售价高于目录价",
    "Price above other stores' prices": "售价高于其他门店",
    "Goods not in the catalog: price unverified": "商品不在目录中，价格无法核实",
    "Many applications by a new salesperson": "新销售员申请量异常",
    "Salesperson's volume far above usual": "销售员申请量远高于平时",
    "Store's volume far above usual": "门店申请量远高于平时",
    "Due date": "还款日",
    "&Print / PDF…": "打印 / PDF(&P)…",
    "Repayment plan, application summary and consent form for the customer": "给客户的还款计划、"
    "申请摘要和授权书",
    "Print – application %1": "打印 – 申请 %1",
    "Repayment plan": "还款计划",
    "Application summary": "申请摘要",
    "Consent form": "授权书",
    "Print:": "打印：",
    "&Print…": "打印(&P)…",
    "&Keep a PDF copy with the application": "随申请保存 PDF 副本(&K)",
    "The PDF is stored encrypted with the application, like its photos": (
        "PDF 与照片一样加密保存在申请中"
    ),
    "PDF copy kept with the application": "PDF 副本已随申请保存",
}
