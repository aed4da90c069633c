<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>ApplicationsTableModel</name>
        <message>
            <location filename="../../ui/applications_model.py" line="+72" />
            <source>Created</source>
            <translation>创建时间</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Phone</source>
            <translation>手机号</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Category</source>
            <translation>商品类别</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Order total</source>
            <translation>订单金额</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Loan amount</source>
            <translation>分期金额</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Term</source>
            <translation>期数</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly payment</source>
            <translation>月供</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location line="+2" />
            <source>%1 mo.</source>
            <translation>%1 期</translation>
        </message>
    </context>
    <context>
        <name>CustomerPage</name>
        <message>
            <location filename="../../ui/new_application/customer_page.py" line="+28" />
            <source>18 characters, as on the ID card</source>
            <translation>18 位，与身份证一致</translation>
        </message>
        <message>
            <location line="+5" />
            <source>11-digit mobile number</source>
            <translation>11 位手机号</translation>
        </message>
        <message>
            <location line="+2" />
            <source>e.g. 8000</source>
            <translation>例如 8000</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Street, building, house number</source>
            <translation>街道、楼栋、门牌号</translation>
        </message>
        <message>
            <location line="+12" />
            <source>&amp;ID number:</source>
            <translation>身份证号(&amp;I)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>N&amp;ame:</source>
            <translation>姓名(&amp;A)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Mobile phone:</source>
            <translation>手机号(&amp;M)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly inc&amp;ome (yuan):</source>
            <translation>月收入（元）(&amp;O)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home &amp;city:</source>
            <translation>居住城市(&amp;C)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home a&amp;ddress:</source>
            <translation>居住地址(&amp;D)：</translation>
        </message>
        <message>
            <location line="+22" />
            <source>Enter the customer's details exactly as on the ID card.</source>
            <translation>请按身份证如实填写客户信息。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
    </context>
    <context>
        <name>DetailDialog</name>
        <message>
            <location filename="../../ui/detail.py" line="+64" />
            <source>Application %1</source>
            <translation>申请 %1</translation>
        </message>
        <message>
            <location line="+19" />
            <source>&amp;Application</source>
            <translation>申请(&amp;A)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sc&amp;hedule</source>
            <translation>还款计划(&amp;H)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>H&amp;istory</source>
            <translation>状态记录(&amp;I)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Cancel application</source>
            <translation>取消申请(&amp;C)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Application number:</source>
            <translation>申请编号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Status:</source>
            <translation>状态：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Created:</source>
            <translation>创建：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+5" />
            <source>ID number:</source>
            <translation>身份证号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name:</source>
            <translation>姓名：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Mobile phone:</source>
            <translation>手机号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly income (yuan):</source>
            <translation>月收入（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home address:</source>
            <translation>居住地址：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Terms</source>
            <translation>分期方案</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Category:</source>
            <translation>商品类别：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Order total (yuan):</source>
            <translation>订单金额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Down payment (yuan):</source>
            <translation>首付（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Loan amount (yuan):</source>
            <translation>分期金额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Term:</source>
            <translation>期数：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Repayment method:</source>
            <translation>还款方式：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>First month payment:</source>
            <translation>首月还款：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Total repayment (yuan):</source>
            <translation>还款总额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Nominal annual rate:</source>
            <translation>名义年利率：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>APR (annual percentage rate):</source>
            <translation>年化利率(APR)：</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Items (delivery: %1)</source>
            <translation>商品（配送至：%1）</translation>
        </message>
        <message>
            <location line="+30" />
            <location line="+2" />
            <source>Cancel application</source>
            <translation>取消申请</translation>
        </message>
        <message>
            <location line="-1" />
            <source>Cancel this application? This cannot be undone.</source>
            <translation>确定取消这笔申请吗？取消后无法恢复。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Keep it</source>
            <translation>不取消</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <location filename="../../ui/app.py" line="+100" />
            <location filename="../../ui/widgets.py" line="+91" />
            <source>LoanDesk</source>
            <translation>LoanDesk 门店分期助手</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Something went wrong and the action was not completed. Saved applications are safe. If it happens again, tell IT; the details are in the log file.

(%1)</source>
            <translation>出现意外错误，操作未完成。已保存的申请不受影响。如果再次出现，请联系 IT，详细信息已写入日志文件。

（%1）</translation>
        </message>
    </context>
    <context>
        <name>DraftKeeper</name>
        <message>
            <location filename="../../ui/new_application/draft.py" line="+79" />
            <source>Draft saved.</source>
            <translation>草稿已保存。</translation>
        </message>
    </context>
    <context>
        <name>HistoryModel</name>
        <message>
            <location filename="../../ui/history_model.py" line="+23" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Operator</source>
            <translation>操作人</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>LinesModel</name>
        <message>
            <location filename="../../ui/new_application/lines_model.py" line="+45" />
            <source>SKU</source>
            <translation>商品编码</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Item</source>
            <translation>商品名称</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Unit price (yuan)</source>
            <translation>单价（元）</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Qty</source>
            <translation>数量</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Amount (yuan)</source>
            <translation>金额（元）</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/main_window.py" line="+48" />
            <source>LoanDesk - Store Installments</source>
            <translation>LoanDesk 门店分期助手</translation>
        </message>
        <message>
            <location line="+22" />
            <source>&amp;New application</source>
            <translation>新建申请(&amp;N)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Start a new installment application (Ctrl+N)</source>
            <translation>新建一笔分期申请 (Ctrl+N)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Open</source>
            <translation>查看(&amp;O)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Show the selected application (Enter or double-click)</source>
            <translation>查看选中的申请（回车或双击）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Refresh</source>
            <translation>刷新(&amp;R)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Reload the list (F5)</source>
            <translation>重新加载列表 (F5)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Cancel application</source>
            <translation>取消申请(&amp;C)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Cancel the selected application</source>
            <translation>取消选中的申请</translation>
        </message>
        <message>
            <location line="+3" />
            <source>E&amp;xit</source>
            <translation>退出(&amp;X)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Actions</source>
            <translation>操作</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Application</source>
            <translation>申请(&amp;A)</translation>
        </message>
        <message>
            <location line="+11" />
            <source>&amp;Search:</source>
            <translation>搜索(&amp;S)：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Customer name, last 4 digits of the phone, or application id</source>
            <translation>客户姓名、手机号后 4 位或申请编号</translation>
        </message>
        <message>
            <location line="+5" />
            <source>S&amp;tatus:</source>
            <translation>状态(&amp;T)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message numerus="yes">
            <location line="+57" />
            <source>%n application(s)</source>
            <translation>
                <numerusform>共 %n 条</numerusform>
            </translation>
        </message>
        <message>
            <location line="+36" />
            <source>Unsaved application</source>
            <translation>未保存的申请</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Continue the unsaved application?</source>
            <translation>是否继续填写上次未保存的申请？</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Continue</source>
            <translation>继续填写</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Start a new one</source>
            <translation>重新开始</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Application saved, number %1</source>
            <translation>申请已保存，编号 %1</translation>
        </message>
        <message>
            <location line="+30" />
            <location line="+2" />
            <source>Cancel application</source>
            <translation>取消申请</translation>
        </message>
        <message>
            <location line="-1" />
            <source>Cancel this application? This cannot be undone.</source>
            <translation>确定取消这笔申请吗？取消后无法恢复。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Keep it</source>
            <translation>不取消</translation>
        </message>
    </context>
    <context>
        <name>NewApplicationDialog</name>
        <message>
            <location filename="../../ui/new_application/dialog.py" line="+52" />
            <source>New application</source>
            <translation>新建申请</translation>
        </message>
        <message>
            <location line="+17" />
            <source>&amp;Back</source>
            <translation>上一步(&amp;B)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Next</source>
            <translation>下一步(&amp;N)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+197" />
            <source>Continuing the unsaved application.</source>
            <translation>正在继续填写未保存的申请。</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Close the form</source>
            <translation>关闭表单</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Close the application form? What you typed is kept as a draft; choose New application to continue it.</source>
            <translation>关闭申请表单吗？已填写的内容会保存为草稿，点“新建申请”可继续填写。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Keep editing</source>
            <translation>继续编辑</translation>
        </message>
    </context>
    <context>
        <name>OrderPage</name>
        <message>
            <location filename="../../ui/new_application/order_page.py" line="+70" />
            <source>Scan the barcode or type the SKU, then Enter</source>
            <translation>扫描条码或输入商品编码后按回车</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Add</source>
            <translation>添加(&amp;A)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Remove line</source>
            <translation>删除行(&amp;R)</translation>
        </message>
        <message>
            <location line="+31" />
            <source>Same as the customer's &amp;home address</source>
            <translation>与客户居住地址相同(&amp;H)</translation>
        </message>
        <message>
            <location line="+16" />
            <source>&amp;Category:</source>
            <translation>商品类别(&amp;C)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>S&amp;KU:</source>
            <translation>商品编码(&amp;K)：</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Delivery</source>
            <translation>配送</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Delivery c&amp;ity:</source>
            <translation>配送城市(&amp;I)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Delivery a&amp;ddress:</source>
            <translation>配送地址(&amp;D)：</translation>
        </message>
        <message>
            <location line="+29" />
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <location line="+30" />
            <source>Same item scanned again: quantity increased.</source>
            <translation>同一商品再次扫描：数量已加 1。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>SKU not in the catalog: type the item name and price in the table.</source>
            <translation>商品目录中没有此编码：请在表格中填写商品名称和单价。</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Added: %1</source>
            <translation>已添加：%1</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Order total: %1 yuan</source>
            <translation>订单金额：%1 元</translation>
        </message>
        <message>
            <location line="+42" />
            <source>Line %1: </source>
            <translation>第 %1 行：</translation>
        </message>
    </context>
    <context>
        <name>ReviewPage</name>
        <message>
            <location filename="../../ui/new_application/review_page.py" line="+40" />
            <source>Check every detail with the customer, then press Save.</source>
            <translation>请与客户逐项核对后点“保存”。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Review</source>
            <translation>确认</translation>
        </message>
        <message>
            <location line="+32" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+1" />
            <source>ID number:</source>
            <translation>身份证号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name:</source>
            <translation>姓名：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mobile phone:</source>
            <translation>手机号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly income (yuan):</source>
            <translation>月收入（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home address:</source>
            <translation>居住地址：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Category:</source>
            <translation>商品类别：</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Delivery address:</source>
            <translation>配送地址：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Terms</source>
            <translation>分期方案</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Down payment (yuan):</source>
            <translation>首付（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Term:</source>
            <translation>期数：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Repayment method:</source>
            <translation>还款方式：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Loan amount (yuan):</source>
            <translation>分期金额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>First month payment:</source>
            <translation>首月还款：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Total interest (yuan):</source>
            <translation>利息合计（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Fees (yuan):</source>
            <translation>费用合计（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Total repayment (yuan):</source>
            <translation>还款总额（元）：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>APR (annual percentage rate):</source>
            <translation>年化利率(APR)：</translation>
        </message>
    </context>
    <context>
        <name>ScheduleModel</name>
        <message>
            <location filename="../../ui/schedule_model.py" line="+22" />
            <source>Period</source>
            <translation>期次</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Payment</source>
            <translation>还款额</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Principal</source>
            <translation>本金</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Interest</source>
            <translation>利息</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Fee</source>
            <translation>费用</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Balance</source>
            <translation>剩余本金</translation>
        </message>
    </context>
    <context>
        <name>TermsPage</name>
        <message>
            <location filename="../../ui/new_application/terms_page.py" line="+60" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+11" />
            <source>&amp;Down payment (yuan):</source>
            <translation>首付（元）(&amp;D)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Term:</source>
            <translation>期数(&amp;T)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Repayment &amp;method:</source>
            <translation>还款方式(&amp;M)：</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Repayment schedule:</source>
            <translation>还款计划：</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Summary</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location line="+4" />
            <location line="+96" />
            <source>Monthly payment:</source>
            <translation>月供：</translation>
        </message>
        <message>
            <location line="-81" />
            <source>APR (annual percentage rate):</source>
            <translation>年化利率(APR)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Order total (yuan):</source>
            <translation>订单金额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Loan amount (yuan):</source>
            <translation>分期金额（元）：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Total interest (yuan):</source>
            <translation>利息合计（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Fees (yuan):</source>
            <translation>费用合计（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Total repayment (yuan):</source>
            <translation>还款总额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Nominal annual rate:</source>
            <translation>名义年利率：</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Terms</source>
            <translation>分期方案</translation>
        </message>
        <message>
            <location line="+54" />
            <source>First month payment:</source>
            <translation>首月还款：</translation>
        </message>
    </context>
</TS>
