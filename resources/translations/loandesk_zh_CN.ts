<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AboutDialog</name>
        <message>
            <location filename="../../ui/diagnostics_dialog.py" line="+60" />
            <source>About LoanDesk</source>
            <translation>关于 LoanDesk</translation>
        </message>
        <message>
            <location line="+2" />
            <source>LoanDesk - Store Installments</source>
            <translation>LoanDesk 门店分期助手</translation>
        </message>
        <message>
            <location line="+21" />
            <source>&amp;Copy to clipboard</source>
            <translation>复制到剪贴板(&amp;C)</translation>
        </message>
        <message>
            <location line="+35" />
            <source>none installed – applications are referred</source>
            <translation>未安装 —— 申请一律转人工</translation>
        </message>
        <message>
            <location line="+3" />
            <source>%1, version %2, valid until %3</source>
            <translation>%1，第 %2 版，有效期至 %3</translation>
        </message>
        <message>
            <location line="+6" />
            <source> – out of date, applications are referred</source>
            <translation> —— 已过期，申请一律转人工</translation>
        </message>
        <message>
            <location line="+4" />
            <source>never completed (last try %1)</source>
            <translation>从未成功（最近一次尝试 %1）</translation>
        </message>
        <message>
            <location line="+4" />
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <location line="+3" />
            <source>%1 – enrolled with %2</source>
            <translation>%1 —— 已注册到 %2</translation>
        </message>
        <message>
            <location line="+5" />
            <source>%1 – not enrolled</source>
            <translation>%1 —— 未注册</translation>
        </message>
        <message>
            <location line="+3" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location line="+3" />
            <source>%1 (see %2)</source>
            <translation>%1（见 %2）</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Version:</source>
            <translation>版本：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Data folder:</source>
            <translation>数据文件夹：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Log file:</source>
            <translation>日志文件：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Rule pack:</source>
            <translation>规则包：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last sync:</source>
            <translation>最近同步：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync result:</source>
            <translation>同步结果：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Store:</source>
            <translation>门店：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last hard crash:</source>
            <translation>最近一次崩溃：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>System:</source>
            <translation>系统：</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Copied.</source>
            <translation>已复制。</translation>
        </message>
    </context>
    <context>
        <name>AddOperatorDialog</name>
        <message>
            <location filename="../../ui/operator_forms.py" line="+109" />
            <source>&amp;Add</source>
            <translation>添加(&amp;A)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>New operator</source>
            <translation>新增操作员</translation>
        </message>
        <message>
            <location line="+16" />
            <source>&amp;User name:</source>
            <translation>用户名(&amp;U)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Name:</source>
            <translation>姓名(&amp;N)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>R&amp;ole:</source>
            <translation>角色(&amp;O)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Store clerks may use a PIN of at least 6 digits; field managers and administrators need at least 8 characters with letters and digits.</source>
            <translation>门店专员可使用至少 6 位数字的 PIN 码；区域经理和管理员的密码至少 8 位，需同时包含字母和数字。</translation>
        </message>
    </context>
    <context>
        <name>ApplicationsTableModel</name>
        <message>
            <location filename="../../ui/applications_model.py" line="+104" />
            <source>Created</source>
            <translation>创建时间</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reference</source>
            <translation>申请编号</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Salesperson</source>
            <translation>销售员</translation>
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
            <location line="+3" />
            <source>Not sortable: names are stored encrypted</source>
            <translation>不能排序：姓名加密保存</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not sortable: sorting by salesperson would read every application; choose a salesperson in the filter instead</source>
            <translation>不能排序：按销售员排序需要读取全部申请；请在上方筛选中选择销售员</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Not sortable: the phone is masked</source>
            <translation>不能排序：手机号已遮盖</translation>
        </message>
        <message>
            <location line="+2" />
            <source>%1 mo.</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+2" />
            <source>%1 – returned by head office</source>
            <translation>%1（总部退回）</translation>
        </message>
    </context>
    <context>
        <name>CameraDialog</name>
        <message>
            <location filename="../../ui/new_application/camera.py" line="+48" />
            <source>Take a photo</source>
            <translation>拍照</translation>
        </message>
        <message>
            <location line="+13" />
            <source>&amp;Take photo</source>
            <translation>拍照(&amp;T)</translation>
        </message>
    </context>
    <context>
        <name>CatalogDialog</name>
        <message>
            <location filename="../../ui/catalog_page.py" line="+111" />
            <source>Product catalog</source>
            <translation>商品目录</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Search:</source>
            <translation>搜索(&amp;S)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>SKU or name (any case, full- or half-width)</source>
            <translation>商品编码或名称（不分大小写、全角半角）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Category:</source>
            <translation>商品类别(&amp;C)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Price (yuan):</source>
            <translation>价格（元）(&amp;P)：</translation>
        </message>
        <message>
            <location line="+12" />
            <source>to</source>
            <translation>至</translation>
        </message>
        <message>
            <location line="+5" />
            <location line="+11" />
            <source>SKU</source>
            <translation>商品编码</translation>
        </message>
        <message>
            <location line="-11" />
            <source>Item name</source>
            <translation>商品名称</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Category</source>
            <translation>商品类别</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Price (yuan)</source>
            <translation>价格（元）</translation>
        </message>
        <message>
            <location line="+6" />
            <location line="+95" />
            <source>Change history: whole catalog</source>
            <translation>变更记录：全部商品</translation>
        </message>
        <message>
            <location line="-91" />
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Change</source>
            <translation>变更</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Before</source>
            <translation>变更前</translation>
        </message>
        <message>
            <location line="+1" />
            <source>After</source>
            <translation>变更后</translation>
        </message>
        <message>
            <location line="+33" />
            <source>any</source>
            <translation>不限</translation>
        </message>
        <message numerus="yes">
            <location line="+42" />
            <source>%n item(s)</source>
            <translation>
                <numerusform>共 %n 项</numerusform>
            </translation>
        </message>
        <message>
            <location line="+10" />
            <source>Change history: %1</source>
            <translation>变更记录：%1</translation>
        </message>
        <message>
            <location line="+13" />
            <source>added</source>
            <translation>新增</translation>
        </message>
        <message>
            <location line="+1" />
            <source>changed</source>
            <translation>修改</translation>
        </message>
        <message>
            <location line="+1" />
            <source>removed</source>
            <translation>删除</translation>
        </message>
    </context>
    <context>
        <name>ConsentBox</name>
        <message>
            <location filename="../../ui/new_application/consent_box.py" line="+75" />
            <source>Customer consent (version %1)</source>
            <translation>客户授权（版本 %1）</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Before the pre-screen: the customer reads and signs the printed consent to personal-information processing and to credit queries (version %1).</source>
            <translation>预审之前：请客户阅读并签署纸质《个人信息处理授权书》和《征信查询授权书》（版本 %1）。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Show the &amp;texts…</source>
            <translation>查看授权书(&amp;T)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Sign on the &amp;pad…</source>
            <translation>在签名板上签名(&amp;P)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The customer signs on screen instead of on the printed form</source>
            <translation>客户在屏幕上签名，代替纸质授权书</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The customer has &amp;signed the printed consent form</source>
            <translation>客户已签署纸质授权书(&amp;S)</translation>
        </message>
        <message>
            <location line="+53" />
            <source>Withdraw consent</source>
            <translation>撤回授权</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The customer withdraws consent: what this form holds of them (the saved draft, photos) is deleted. Continue?</source>
            <translation>客户撤回授权：本表单中该客户的资料（已保存的草稿、照片）将被删除。是否继续？</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Withdraw</source>
            <translation>撤回</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Keep consent</source>
            <translation>保留授权</translation>
        </message>
        <message>
            <location line="+32" />
            <source>Not recorded yet: no pre-screen and no saving without it.</source>
            <translation>尚未登记授权：未授权不能预审，也不能保存。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Recorded %1, version %2, signed on the pad.</source>
            <translation>已记录：%1，版本 %2，签名板签名。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Recorded %1, version %2, signed on paper.</source>
            <translation>已于 %1 登记，版本 %2，纸质签署。</translation>
        </message>
    </context>
    <context>
        <name>ConsentTextDialog</name>
        <message>
            <location line="-150" />
            <source>Consent texts, version %1</source>
            <translation>授权书，版本 %1</translation>
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <location filename="../../ui/crash_dialog.py" line="+29" />
            <source>Something went wrong</source>
            <translation>出了点问题</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Something went wrong and the last action was not completed.</source>
            <translation>出了点问题，刚才的操作没有完成。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Applications that were already saved are safe. You can go on working; if this happens again, call IT and tell them the reference below.</source>
            <translation>已保存的申请不受影响，可以继续工作；如果再次出现，请联系 IT 并告诉他们下面的编号。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Reference: %1</source>
            <translation>编号：%1</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The details are in the log file:
%1</source>
            <translation>详细信息已记录在日志文件中：
%1</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Error: %1</source>
            <translation>错误类型：%1</translation>
        </message>
        <message>
            <location line="+14" />
            <source>&amp;Copy details</source>
            <translation>复制详情(&amp;C)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Copy the reference and the error for IT (no customer data)</source>
            <translation>复制编号和错误信息给 IT（不含客户资料）</translation>
        </message>
        <message>
            <location line="+24" />
            <source>Copied.</source>
            <translation>已复制。</translation>
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
        <name>DashboardWindow</name>
        <message>
            <location filename="../../ui/dashboard/window.py" line="+87" />
            <source>Dashboard</source>
            <translation>经营看板</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Re&amp;fresh</source>
            <translation>刷新(&amp;F)</translation>
        </message>
        <message>
            <location line="+12" />
            <source>The period's figures</source>
            <translation>本期数据</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+130" />
            <location line="+59" />
            <source>Applications</source>
            <translation>申请数</translation>
        </message>
        <message>
            <location line="-188" />
            <source>Financed (yuan)</source>
            <translation>分期金额（元）</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+136" />
            <source>Approved</source>
            <translation>批准</translation>
        </message>
        <message>
            <location line="-135" />
            <location line="+136" />
            <source>Declined</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location line="-135" />
            <location line="+136" />
            <source>In review</source>
            <translation>人工审核</translation>
        </message>
        <message>
            <location line="-135" />
            <source>Approval rate</source>
            <translation>批准率</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+141" />
            <source>Pre-screen passed</source>
            <translation>预审通过</translation>
        </message>
        <message>
            <location line="-140" />
            <location line="+141" />
            <source>Pre-screen referred</source>
            <translation>预审转人工</translation>
        </message>
        <message>
            <location line="-140" />
            <location line="+141" />
            <source>Pre-screen declined</source>
            <translation>预审拒绝</translation>
        </message>
        <message>
            <location line="-134" />
            <source>Stuck, whatever their date</source>
            <translation>待处理（不限日期）</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>Waiting over %n day(s)</source>
            <translation>
                <numerusform>等待超过 %n 天</numerusform>
            </translation>
        </message>
        <message>
            <location line="+1" />
            <source>Returned by head office</source>
            <translation>总部退回</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+133" />
            <source>In review at head office</source>
            <translation>总部审核中</translation>
        </message>
        <message>
            <location line="-132" />
            <source>Kept aside by sync</source>
            <translation>同步暂存</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Outcomes</source>
            <translation>结果</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Outcome</source>
            <translation>结果</translation>
        </message>
        <message>
            <location line="+1" />
            <source>By scenario</source>
            <translation>按场景</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Scenario</source>
            <translation>场景</translation>
        </message>
        <message>
            <location line="+1" />
            <source>By salesperson</source>
            <translation>按销售员</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Salesperson</source>
            <translation>销售员</translation>
        </message>
        <message>
            <location line="+1" />
            <source>By store</source>
            <translation>按门店</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Store</source>
            <translation>门店</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Days are China time; the approval rate is approved among approved and declined. Click a figure, a bar or a row to open the list of those applications.</source>
            <translation>日期按北京时间计算；批准率 = 批准数 ÷（批准数 + 拒绝数）。点击数字、柱条或表格行，即可打开对应申请的列表。</translation>
        </message>
        <message>
            <location line="+93" />
            <source>Not decided yet</source>
            <translation>尚未审批</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Not pre-screened</source>
            <translation>未预审</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Approved by head office</source>
            <translation>总部批准</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Declined by head office</source>
            <translation>总部拒绝</translation>
        </message>
    </context>
    <context>
        <name>DatedScheduleModel</name>
        <message>
            <location filename="../../ui/new_application/dated_schedule.py" line="+20" />
            <source>Due date</source>
            <translation>还款日</translation>
        </message>
    </context>
    <context>
        <name>DayBound</name>
        <message>
            <location filename="../../ui/list_filters.py" line="+57" />
            <source>Any</source>
            <translation>不限</translation>
        </message>
        <message>
            <location line="+2" />
            <source>“Any”: no limit. Press Delete to empty it.</source>
            <translation>“不限”：不限日期。按 Delete 键清空。</translation>
        </message>
    </context>
    <context>
        <name>Decision</name>
        <message>
            <location filename="../../ui/decision_view.py" line="+30" />
            <source>Young applicant (21 or under)</source>
            <translation>申请人年龄偏小（21 岁及以下）</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Applicant aged 56 to 65</source>
            <translation>申请人年龄 56 至 65 岁</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Applicant over 65</source>
            <translation>申请人超过 65 岁</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly income under 3,000 yuan</source>
            <translation>月收入低于 3,000 元</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Installment is 30–40% of income</source>
            <translation>月供占收入 30%–40%</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Installment is over 40% of income</source>
            <translation>月供超过收入的 40%</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Down payment under 10%</source>
            <translation>首付低于 10%</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The store's pre-screen referred it</source>
            <translation>门店预审为转人工</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The store's pre-screen declined it</source>
            <translation>门店预审为拒绝</translation>
        </message>
        <message>
            <location line="+1" />
            <source>No store pre-screen</source>
            <translation>没有门店预审</translation>
        </message>
        <message>
            <location line="+1" />
            <source>On a blacklist</source>
            <translation>命中黑名单</translation>
        </message>
    </context>
    <context>
        <name>DecisionBox</name>
        <message>
            <location line="+11" />
            <source>Head-office decision</source>
            <translation>总部审批结果</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Decision:</source>
            <translation>结果：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Approved amount (yuan):</source>
            <translation>批准金额（元）：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Score:</source>
            <translation>评分：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reasons:</source>
            <translation>原因：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Decided:</source>
            <translation>审批时间：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Revised:</source>
            <translation>决定变更：</translation>
        </message>
        <message>
            <location line="+48" />
            <source>Head office changed its decision on %1. Before: %2</source>
            <translation>总部已于 %1 变更审批结果。变更前：%2</translation>
        </message>
        <message>
            <location line="+6" />
            <source> (%1)</source>
            <translation>（%1）</translation>
        </message>
        <message>
            <location line="+5" />
            <source>None (cancelled in the store)</source>
            <translation>无（已在门店取消）</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sent – waiting for head office's decision</source>
            <translation>已上传——等待总部审批</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Not sent yet – it goes out with the next sync</source>
            <translation>尚未上传——下次同步时发送</translation>
        </message>
    </context>
    <context>
        <name>DetailDialog</name>
        <message>
            <location filename="../../ui/detail.py" line="+81" />
            <source>Application %1</source>
            <translation>申请 %1</translation>
        </message>
        <message>
            <location line="+27" />
            <source>&amp;Application</source>
            <translation>申请(&amp;A)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Pre-screen</source>
            <translation>预审(&amp;P)</translation>
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
            <source>&amp;Print / PDF…</source>
            <translation>打印 / PDF(&amp;P)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Repayment plan, application summary and consent form for the customer</source>
            <translation>给客户的还款计划、申请摘要和授权书</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+32" />
            <source>Reference:</source>
            <translation>申请编号：</translation>
        </message>
        <message>
            <location line="+5" />
            <source>System id:</source>
            <translation>系统编号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Status:</source>
            <translation>状态：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Pre-screen:</source>
            <translation>预审结果：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Created:</source>
            <translation>创建：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+4" />
            <source>ID number:</source>
            <translation>身份证号：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Name:</source>
            <translation>姓名：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Mobile phone:</source>
            <translation>手机号：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Monthly income (yuan):</source>
            <translation>月收入（元）：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Home address:</source>
            <translation>居住地址：</translation>
        </message>
        <message>
            <location line="+2" />
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
            <location line="+2" />
            <source>Term:</source>
            <translation>期数：</translation>
        </message>
        <message>
            <location line="+0" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+26" />
            <source>Items (delivery: %1)</source>
            <translation>商品（配送至：%1）</translation>
        </message>
        <message>
            <location line="+13" />
            <source>removed (retention)</source>
            <translation>已按保留期限删除</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Show</source>
            <translation>显示</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Show the full value; this is recorded in the audit log under your name</source>
            <translation>显示完整内容；此操作将以您的名义记入审计日志</translation>
        </message>
        <message>
            <location line="+14" />
            <source>ID number</source>
            <translation>身份证号</translation>
        </message>
        <message>
            <location line="+0" />
            <source>mobile phone</source>
            <translation>手机号</translation>
        </message>
        <message>
            <location line="+30" />
            <source>The decision receipt saved with the application: the outcome and reasons the store saw, the rule pack used and a digest of the inputs, so the credit centre can replay the decision.</source>
            <translation>随申请保存的预审凭据：门店看到的结果和原因、所用规则包以及输入数据摘要，审批中心可据此复核门店的预审结果。</translation>
        </message>
        <message>
            <location line="+19" />
            <source>No pre-screen receipt: this application was saved before pre-screening existed.</source>
            <translation>没有预审凭据：这笔申请保存于预审功能上线之前。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>No receipt</source>
            <translation>无凭据</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Your role may not cancel this application</source>
            <translation>您的角色无权取消此申请</translation>
        </message>
        <message>
            <location line="+22" />
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
        <name>DiagnosticsDialog</name>
        <message>
            <location filename="../../ui/diagnostics_dialog.py" line="+31" />
            <source>Diagnostics</source>
            <translation>诊断</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Detail</source>
            <translation>详情</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Check</source>
            <translation>检查项</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Check &amp;again</source>
            <translation>重新检查(&amp;A)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Copy to clipboard</source>
            <translation>复制到剪贴板(&amp;C)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Export diagnostics…</source>
            <translation>导出诊断文件(&amp;E)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Save a zip file for IT: logs and these checks, no customer data</source>
            <translation>为 IT 保存一个 zip 文件：日志和这些检查结果，不含客户资料</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Checking…</source>
            <translation>正在检查…</translation>
        </message>
        <message>
            <location line="+17" />
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <location line="+0" />
            <source>FAIL</source>
            <translation>异常</translation>
        </message>
        <message numerus="yes">
            <location line="+15" />
            <source>%n check(s) failed – tell IT what they say</source>
            <translation>
                <numerusform>有 %n 项检查未通过 —— 请把内容告诉 IT</numerusform>
            </translation>
        </message>
        <message>
            <location line="+3" />
            <source>All checks passed</source>
            <translation>全部检查通过</translation>
        </message>
        <message>
            <location line="+6" />
            <source>The checks could not run: %1</source>
            <translation>无法进行检查：%1</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Copied.</source>
            <translation>已复制。</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <location filename="../../ui/widgets.py" line="+112" />
            <source>LoanDesk</source>
            <translation>LoanDesk</translation>
        </message>
    </context>
    <context>
        <name>DraftKeeper</name>
        <message>
            <location filename="../../ui/new_application/draft.py" line="+95" />
            <source>Draft saved.</source>
            <translation>草稿已保存。</translation>
        </message>
    </context>
    <context>
        <name>DraftPrompt</name>
        <message>
            <location line="+18" />
            <source>%1 left an unsaved application on %2.</source>
            <translation>%1 于 %2 留下了一份未保存的申请。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>An unsaved application was left on %1.</source>
            <translation>%1 留下了一份未保存的申请。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>An unsaved application was left from an earlier session.</source>
            <translation>上次留下了一份未保存的申请。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Customer: %1.</source>
            <translation>客户：%1。</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Continue it?</source>
            <translation>是否继续填写？</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Unsaved application</source>
            <translation>未保存的申请</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Continue</source>
            <translation>继续填写(&amp;C)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Start a new one (delete it)</source>
            <translation>新建申请（删除草稿）(&amp;S)</translation>
        </message>
    </context>
    <context>
        <name>EnrolmentPanel</name>
        <message>
            <location filename="../../ui/first_run.py" line="+72" />
            <source>Connect to head office (optional)</source>
            <translation>连接总部（可选）</translation>
        </message>
        <message>
            <location line="+17" />
            <source>e.g. S001</source>
            <translation>例如 S001</translation>
        </message>
        <message>
            <location line="+5" />
            <source>one-time code from head office</source>
            <translation>总部提供的一次性注册码</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Enroll</source>
            <translation>注册(&amp;E)</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Opening this PC's data…</source>
            <translation>正在打开本机数据…</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Enrolling is optional: LoanDesk works offline and keeps applications here until this PC is enrolled (later in Settings).</source>
            <translation>注册不是必须的：未注册时 LoanDesk 照常离线使用，申请先保存在本机，以后可在“设置”中注册。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Ser&amp;ver address:</source>
            <translation>服务器地址(&amp;V)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>S&amp;tore code:</source>
            <translation>门店编码(&amp;T)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Enrollment c&amp;ode:</source>
            <translation>注册码(&amp;O)：</translation>
        </message>
        <message>
            <location line="+33" />
            <source>Settings read from %1.</source>
            <translation>已读取部署配置：%1。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>No rollout file (%1).</source>
            <translation>没有部署配置文件（%1）。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Environment variables in effect: %1.</source>
            <translation>生效的环境变量：%1。</translation>
        </message>
        <message>
            <location line="+15" />
            <source>Enrolling automatically with %1 as store %2…</source>
            <translation>正在自动注册到 %1，门店 %2…</translation>
        </message>
        <message>
            <location line="+38" />
            <source>Enrolling with %1 as store %2…</source>
            <translation>正在注册到 %1，门店 %2…</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Fill this in.</source>
            <translation>请填写此项。</translation>
        </message>
        <message>
            <location line="+16" />
            <source>This PC is not enrolled yet.</source>
            <translation>本机尚未注册到总部。</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Enrolling failed because of a program error (%1); the details are in the log file.</source>
            <translation>注册时程序出错（%1），详情见日志文件。</translation>
        </message>
    </context>
    <context>
        <name>EvidenceBox</name>
        <message>
            <location filename="../../ui/new_application/evidence_box.py" line="+40" />
            <source>Photos and signature</source>
            <translation>照片和签名</translation>
        </message>
        <message>
            <location line="+19" />
            <source>From &amp;file…</source>
            <translation>从文件选择(&amp;F)…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>From file…</source>
            <translation>从文件选择…</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Camera…</source>
            <translation>拍照…</translation>
        </message>
        <message>
            <location line="+45" />
            <source>Attached ✓</source>
            <translation>已附上 ✓</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Required, missing</source>
            <translation>必需，尚未附上</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Not attached</source>
            <translation>未附上</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Everything the rules require is attached.</source>
            <translation>风控规则要求的材料已全部附上。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The rules require no photos for this application.</source>
            <translation>按风控规则，本申请无需照片。</translation>
        </message>
        <message>
            <location line="+20" />
            <source>Choose a photo</source>
            <translation>选择照片</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Images (%1)</source>
            <translation>图片 (%1)</translation>
        </message>
        <message>
            <location line="+22" />
            <source>The file could not be read: %1</source>
            <translation>无法读取该文件：%1</translation>
        </message>
    </context>
    <context>
        <name>FieldTools</name>
        <message>
            <location filename="../../ui/field_tools.py" line="+84" />
            <source>&amp;Dashboard…</source>
            <translation>经营看板(&amp;D)…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Figures of your stores: today, this week, this month or a range</source>
            <translation>所辖门店的数据：今天、本周、本月或任选日期</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Export to E&amp;xcel…</source>
            <translation>导出 E&amp;xcel…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The applications of a period and the dashboard's figures, masked</source>
            <translation>导出一段时间的申请和看板数据（个人信息已遮盖）</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Export offline &amp;bundle…</source>
            <translation>导出离线同步包(&amp;B)…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>No network: write what head office has not received to a USB stick</source>
            <translation>没有网络时：把总部尚未收到的申请写入 U 盘</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Import offline bundle…</source>
            <translation>导入离线同步包(&amp;I)…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>A store's bundle: send it to head office and write the return bundle; a return bundle: take head office's answers</source>
            <translation>门店的同步包：发送给总部并生成回执包；回执包：导入总部的答复</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Product &amp;catalog…</source>
            <translation>商品目录(&amp;C)…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Search the catalog; see its changes</source>
            <translation>搜索商品目录，查看变更记录</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Working…</source>
            <translation>正在处理…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+60" />
            <location line="+5" />
            <source>Export to Excel</source>
            <translation>导出 Excel</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Excel files (*.xlsx)</source>
            <translation>Excel 文件 (*.xlsx)</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Exporting to Excel…</source>
            <translation>正在导出 Excel…</translation>
        </message>
        <message numerus="yes">
            <location line="+4" />
            <source>%n application(s) exported to %1</source>
            <translation>
                <numerusform>已导出 %n 条申请到 %1</numerusform>
            </translation>
        </message>
        <message>
            <location line="+9" />
            <source>Export offline bundle</source>
            <translation>导出离线同步包</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Writing the offline bundle…</source>
            <translation>正在写入离线同步包…</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Import offline bundle</source>
            <translation>导入离线同步包</translation>
        </message>
        <message>
            <location line="+15" />
            <source>Importing the offline bundle…</source>
            <translation>正在导入离线同步包…</translation>
        </message>
        <message numerus="yes">
            <location line="+7" />
            <source>Offline bundle %1 with %n application(s) written to %2.</source>
            <translation>
                <numerusform>离线同步包 %1（%n 份申请）已写入 %2。</numerusform>
            </translation>
        </message>
        <message>
            <location line="+5" />
            <source>Take it to a connected PC and import it there; bring back the return bundle and import it here. The applications stay queued until then.</source>
            <translation>请把它带到能上网的电脑上导入，再把回执包带回本机导入。在此之前，这些申请仍在待上传队列中。</translation>
        </message>
        <message numerus="yes">
            <location line="+7" />
            <source>Bundle %1 of store %2 sent to head office (%n application(s)).</source>
            <translation>
                <numerusform>门店 %2 的同步包 %1 已送达总部（%n 份申请）。</numerusform>
            </translation>
        </message>
        <message>
            <location line="+6" />
            <source>Return bundle written to %1: take it back to the store and import it there.</source>
            <translation>回执包已写入 %1：请带回门店并在门店电脑上导入。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Return bundle %1 was imported before: nothing changed.</source>
            <translation>回执包 %1 之前已导入，没有任何改变。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Return bundle %1 imported: %2 acknowledged, %3 refused, %4 decision(s), %5 catalog change(s).</source>
            <translation>回执包 %1 已导入：%2 份已确认，%3 份被拒，%4 个审批结果，%5 项商品目录变更。</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Offline bundles (%1);;All files (*)</source>
            <translation>离线同步包 (%1);;所有文件 (*)</translation>
        </message>
        <message>
            <location line="+64" />
            <source>Offline bundle</source>
            <translation>离线同步包</translation>
        </message>
    </context>
    <context>
        <name>FigureButton</name>
        <message>
            <location filename="../../ui/dashboard/window.py" line="-199" />
            <source>Open the list of these applications</source>
            <translation>打开这些申请的列表</translation>
        </message>
    </context>
    <context>
        <name>FiguresModel</name>
        <message>
            <location filename="../../ui/dashboard/figures_model.py" line="+26" />
            <source>Applications</source>
            <translation>申请数</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Financed (yuan)</source>
            <translation>分期金额（元）</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Approved</source>
            <translation>批准</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Declined</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location line="+1" />
            <source>In review</source>
            <translation>人工审核</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Approval rate</source>
            <translation>批准率</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <location filename="../../ui/list_filters.py" line="+55" />
            <source>&amp;Search:</source>
            <translation>搜索(&amp;S)：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Full customer name, phone (last 4 digits or all 11), ID number, or reference</source>
            <translation>客户全名、手机号（后 4 位或完整 11 位）、身份证号或申请编号</translation>
        </message>
        <message>
            <location line="+8" />
            <source>S&amp;tatus:</source>
            <translation>状态(&amp;T)：</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+43" />
            <location line="+7" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location line="-37" />
            <source>Saved &amp;from:</source>
            <translation>保存日期(&amp;F)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>to</source>
            <translation>至</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This week</source>
            <translation>本周</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This month</source>
            <translation>本月</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Salesperso&amp;n:</source>
            <translation>销售员(&amp;N)：</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Pre-screen:</source>
            <translation>预审(&amp;P)：</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Passed</source>
            <translation>通过</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Referred</source>
            <translation>转人工</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Declined</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Not pre-screened</source>
            <translation>未预审</translation>
        </message>
        <message>
            <location line="+5" />
            <source>C&amp;lear filters</source>
            <translation>清除筛选(&amp;L)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Show every application again</source>
            <translation>重新显示全部申请</translation>
        </message>
        <message>
            <location line="+71" />
            <source>Also from the dashboard: %1</source>
            <translation>看板的其他筛选：%1</translation>
        </message>
    </context>
    <context>
        <name>HelpMenu</name>
        <message>
            <location filename="../../ui/help_menu.py" line="+71" />
            <source>&amp;About LoanDesk</source>
            <translation>关于 LoanDesk(&amp;A)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Version, data folder, rule pack, last sync</source>
            <translation>版本、数据文件夹、规则包、最近同步</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Diagnostics</source>
            <translation>诊断(&amp;D)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Check this PC's LoanDesk, as IT would</source>
            <translation>像 IT 一样检查本机的 LoanDesk</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Export diagnostics…</source>
            <translation>导出诊断文件(&amp;E)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Save a zip file for IT: logs and checks, no customer data</source>
            <translation>为 IT 保存一个 zip 文件：日志和检查结果，不含客户资料</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location line="+56" />
            <source>Export diagnostics</source>
            <translation>导出诊断文件</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Zip files (*.zip);;All files (*)</source>
            <translation>Zip 文件 (*.zip);;所有文件 (*)</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Exporting diagnostics…</source>
            <translation>正在导出诊断文件…</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Diagnostics saved to %1 – send this file to IT; it holds no customer data</source>
            <translation>诊断文件已保存到 %1 —— 请把它发给 IT；其中不含客户资料</translation>
        </message>
    </context>
    <context>
        <name>HistoryModel</name>
        <message>
            <location filename="../../ui/history_model.py" line="+39" />
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
            <location line="+0" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Sync (%1)</source>
            <translation>同步（%1）</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync (automatic)</source>
            <translation>同步（自动）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>System</source>
            <translation>系统</translation>
        </message>
    </context>
    <context>
        <name>LinesModel</name>
        <message>
            <location filename="../../ui/new_application/lines_model.py" line="+47" />
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
        <name>ListExport</name>
        <message>
            <location filename="../../ui/list_export.py" line="+81" />
            <source>E&amp;xport list…</source>
            <translation>导出列表(&amp;X)…</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Save the applications listed (with the current search and filter) to a CSV file; ID numbers and phones are masked</source>
            <translation>将当前列表（按当前搜索和筛选）保存为 CSV 文件；身份证号和手机号已打码</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Exporting the list…</source>
            <translation>正在导出列表…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+22" />
            <source>Export list</source>
            <translation>导出列表</translation>
        </message>
        <message>
            <location line="+2" />
            <source>CSV files (*.csv);;All files (*)</source>
            <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
        </message>
        <message>
            <location line="+34" />
            <source>Exporting the list… %1 of %2</source>
            <translation>正在导出列表… %1 / %2</translation>
        </message>
        <message numerus="yes">
            <location line="+7" />
            <source>%n application(s) exported to %1</source>
            <translation>
                <numerusform>已导出 %n 条申请到 %1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ListHint</name>
        <message>
            <location filename="../../ui/list_hint.py" line="+60" />
            <source>No application with the customer name “%1”. Names are stored encrypted, so only the whole name matches, not a part of it: type the full name as on the ID card (e.g. 王芳, not 王).</source>
            <translation>没有客户姓名为“%1”的申请。姓名加密保存，只能按完整姓名查找，不能只输入一部分：请输入身份证上的完整姓名（例如“王芳”，而不是“王”）。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>No application matches “%1”. A phone number is searched by its last 4 digits or all 11 digits; an ID number by all 18 characters.</source>
            <translation>没有与“%1”相符的申请。手机号请输入后 4 位或完整 11 位；身份证号请输入全部 18 位。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>No application matches “%1”.</source>
            <translation>没有与“%1”相符的申请。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>You can search by the full name, the phone (last 4 digits or all 11), the ID number, or the reference the customer was given (e.g. S001-20261204-0007).</source>
            <translation>可以按完整姓名、手机号（后 4 位或完整 11 位）、身份证号，或告诉客户的申请编号（例如 S001-20261204-0007）查找。</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Only status “%1” is searched: choose All to search every status.</source>
            <translation>当前只查找状态为“%1”的申请：选择“全部”可查找所有状态。</translation>
        </message>
    </context>
    <context>
        <name>LockPanel</name>
        <message>
            <location filename="../../ui/idle_lock.py" line="+88" />
            <source>Locked</source>
            <extracomment>unlock(password) -&gt; Actor; raises LoginFailed</extracomment>
            <translation>已锁定</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Signed in: %1. Type your password to continue.</source>
            <translation>当前登录：%1。请输入密码继续。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;Unlock</source>
            <translation>解锁(&amp;U)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sign &amp;out</source>
            <translation>退出登录(&amp;O)</translation>
        </message>
        <message>
            <location line="+40" />
            <source>Wrong password</source>
            <translation>密码不正确</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <location filename="../../ui/login.py" line="+70" />
            <source>Checking…</source>
            <extracomment>authenticate(login, password) -&gt; Actor; raises LoginFailed create_admin(login, display_name, password) -&gt; operator id; raises OperatorError</extracomment>
            <translation>正在检查…</translation>
        </message>
        <message>
            <location line="+77" />
            <source>Log in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location line="+10" />
            <source>&amp;Log in</source>
            <translation>登录(&amp;L)</translation>
        </message>
        <message>
            <location line="+14" />
            <source>&amp;User name:</source>
            <translation>用户名(&amp;U)：</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Password:</source>
            <translation>密码(&amp;P)：</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Forgot your password? Your administrator sets a new one; an administrator asks IT.</source>
            <translation>忘记密码？请管理员为您重设；管理员忘记密码请联系 IT。</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Log in with your own account. The PC locks itself when nobody uses it for a while.</source>
            <translation>请用自己的账户登录。一段时间无人操作时，本机会自动锁定。</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Enter your user name.</source>
            <translation>请输入用户名。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/main_window.py" line="+94" />
            <source>Store Installments</source>
            <translation>门店分期助手</translation>
        </message>
        <message>
            <location line="+28" />
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
            <source>&amp;Rules…</source>
            <translation>规则包(&amp;R)…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Show the active rule pack; load a new one from a file</source>
            <translation>查看当前规则包；从文件载入新规则包</translation>
        </message>
        <message>
            <location line="+3" />
            <source>S&amp;ync now</source>
            <translation>立即同步(&amp;Y)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Send queued applications to head office and fetch decisions (F9)</source>
            <translation>把排队的申请发送到总部并取回审批结果 (F9)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Enroll this PC with head office; language</source>
            <translation>将本机注册到总部服务器；界面语言</translation>
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
            <location line="+10" />
            <source>&amp;Application</source>
            <translation>申请(&amp;A)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message numerus="yes">
            <location line="+172" />
            <source>%n application(s)</source>
            <translation>
                <numerusform>共 %n 条</numerusform>
            </translation>
        </message>
        <message>
            <location line="+86" />
            <source>Application saved, number %1</source>
            <translation>申请已保存，编号 %1</translation>
        </message>
        <message>
            <location filename="../../ui/main_window_sync.py" line="+42" />
            <source>Sync &amp;panel</source>
            <translation>同步面板(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../ui/main_window_dialogs.py" line="+98" />
            <source>Rules out of date – applications are referred</source>
            <translation>规则包已过期，申请将转人工</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Tools &gt; Rules… shows why</source>
            <translation>在“工具 &gt; 规则包…”中查看原因</translation>
        </message>
        <message>
            <location line="+16" />
            <location line="+4" />
            <source>Cancel application</source>
            <translation>取消申请</translation>
        </message>
        <message>
            <location line="-3" />
            <source>Cancel this application? This cannot be undone.</source>
            <translation>确定取消这笔申请吗？取消后无法恢复。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Keep it</source>
            <translation>不取消</translation>
        </message>
    </context>
    <context>
        <name>NewApplicationDialog</name>
        <message>
            <location filename="../../ui/new_application/dialog.py" line="+60" />
            <source>New application</source>
            <translation>新建申请</translation>
        </message>
        <message>
            <location line="+25" />
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
            <location line="+124" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location line="-122" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Discard th&amp;e draft…</source>
            <translation>放弃草稿(&amp;E)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Delete what was typed for this customer (the saved draft) and close</source>
            <translation>删除为该客户填写的内容（已保存的草稿）并关闭</translation>
        </message>
        <message>
            <location line="+112" />
            <source>&amp;Save (declined)</source>
            <translation>保存（拒绝）(&amp;S)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The pre-screen declines this application; saving keeps the record.</source>
            <translation>预审结果为拒绝；保存后留有记录。</translation>
        </message>
        <message>
            <location line="+106" />
            <source>Saving… the database is busy (another program is using it); waiting.</source>
            <translation>正在保存…数据库正被其他程序使用，请稍候。</translation>
        </message>
        <message>
            <location filename="../../ui/new_application/dialog_draft.py" line="+96" />
            <source>Continuing the unsaved application.</source>
            <translation>正在继续填写未保存的申请。</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Discard the application</source>
            <translation>放弃申请</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Delete everything typed for this customer, and the saved draft? This cannot be undone.</source>
            <translation>删除为该客户填写的全部内容和已保存的草稿？此操作无法撤销。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Discard</source>
            <translation>放弃</translation>
        </message>
        <message>
            <location filename="../../ui/new_application/dialog.py" line="+40" />
            <source>Close the form</source>
            <translation>关闭表单</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Close the application form? What you typed is kept as a draft; choose New application to continue it.</source>
            <translation>关闭申请表单吗？已填写的内容会保存为草稿，点“新建申请”可继续填写。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/new_application/dialog_draft.py" line="+1" />
            <source>Keep editing</source>
            <translation>继续编辑</translation>
        </message>
    </context>
    <context>
        <name>OperatorsDialog</name>
        <message>
            <location filename="../../ui/operators_dialog.py" line="+105" />
            <source>Operators</source>
            <translation>操作员</translation>
        </message>
        <message>
            <location line="+17" />
            <source>&amp;Add…</source>
            <translation>添加(&amp;A)…</translation>
        </message>
        <message>
            <location line="+2" />
            <location line="+66" />
            <source>&amp;Disable</source>
            <translation>停用(&amp;D)</translation>
        </message>
        <message>
            <location line="-64" />
            <source>&amp;Reset password…</source>
            <translation>重设密码(&amp;R)…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Each member of staff logs in with an account of their own. A disabled account cannot log in; its history is kept.</source>
            <translation>每位员工使用自己的账户登录。停用的账户不能登录，其操作记录会保留。</translation>
        </message>
        <message>
            <location line="+49" />
            <source>&amp;Enable</source>
            <translation>启用(&amp;E)</translation>
        </message>
    </context>
    <context>
        <name>OperatorsModel</name>
        <message>
            <location line="-106" />
            <source>Disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Active</source>
            <translation>正常</translation>
        </message>
        <message>
            <location line="+0" />
            <source>No password yet</source>
            <translation>尚未设置密码</translation>
        </message>
        <message>
            <location line="+8" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location line="+0" />
            <source>State</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>OrderPage</name>
        <message>
            <location filename="../../ui/new_application/order_page.py" line="+71" />
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
            <location line="+37" />
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
            <location line="+36" />
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <location line="+56" />
            <source>Same item scanned again: quantity increased.</source>
            <translation>同一商品再次扫描：数量已加 1。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>SKU not in the catalog: type the item name and price in the table.</source>
            <translation>商品目录中没有此编码：请在表格中填写商品名称和单价。</translation>
        </message>
        <message>
            <location line="+19" />
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
        <name>PeriodBar</name>
        <message>
            <location filename="../../ui/dashboard/period.py" line="+51" />
            <source>&amp;Today</source>
            <translation>今天(&amp;T)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This &amp;week</source>
            <translation>本周(&amp;W)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This &amp;month</source>
            <translation>本月(&amp;M)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Range:</source>
            <translation>日期范围(&amp;R)：</translation>
        </message>
        <message>
            <location line="+15" />
            <source>to</source>
            <translation>至</translation>
        </message>
    </context>
    <context>
        <name>PeriodDialog</name>
        <message>
            <location line="+63" />
            <source>The applications saved in this period (China time), and the dashboard's figures. Names, ID numbers and phones are masked.</source>
            <translation>导出这段时间（北京时间）保存的申请和看板数据。姓名、身份证号和手机号均已遮盖。</translation>
        </message>
    </context>
    <context>
        <name>PrescreenView</name>
        <message>
            <location filename="../../ui/prescreen_view.py" line="+45" />
            <source>Pass</source>
            <translation>通过</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Refer</source>
            <translation>转人工</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Decline</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Store</source>
            <translation>门店</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location line="+1" />
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Rule pack: none in use (out of date or missing)</source>
            <translation>规则包：无可用规则包（已过期或缺失）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Rule pack %1 v%2</source>
            <translation>规则包 %1 v%2</translation>
        </message>
        <message>
            <location line="+7" />
            <source>This application cannot go ahead. Tell the customer the reasons below; save it anyway to keep the record.</source>
            <translation>本笔分期不能办理。请向客户说明以下原因；仍请保存，以留存记录。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Rules out of date – refer. This is not an error: save the application as usual; it goes to manual review.</source>
            <translation>规则包已过期，转人工。这不是故障：照常保存申请即可，申请将转人工审核。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Save the application; it goes to manual review for the reasons below.</source>
            <translation>请保存申请；因以下原因，申请将转人工审核。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The pre-screen found nothing against this application.</source>
            <translation>预审未发现问题。</translation>
        </message>
        <message>
            <location line="+74" />
            <source>Rules out of date – refer</source>
            <translation>规则包已过期，转人工</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Pre-screen</source>
            <translation>预审</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Inputs SHA-256:</source>
            <translation>输入数据 SHA-256：</translation>
        </message>
        <message>
            <location line="+13" />
            <source>The digest of what the rules saw: the credit centre uses it to replay this decision.</source>
            <translation>规则所见输入数据的摘要，审批中心据此复核本次预审。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>No pre-screen yet.</source>
            <translation>尚未预审。</translation>
        </message>
    </context>
    <context>
        <name>PrintoutDialog</name>
        <message>
            <location filename="../../ui/printing/preview.py" line="+50" />
            <source>Print – application %1</source>
            <translation>打印 – 申请 %1</translation>
        </message>
        <message>
            <location line="+15" />
            <source>Repayment plan</source>
            <translation>还款计划</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Application summary</source>
            <translation>申请摘要</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Consent form</source>
            <translation>授权书</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Print:</source>
            <translation>打印：</translation>
        </message>
        <message>
            <location line="+13" />
            <source>&amp;Print…</source>
            <translation>打印(&amp;P)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Keep a PDF copy with the application</source>
            <translation>随申请保存 PDF 副本(&amp;K)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The PDF is stored encrypted with the application, like its photos</source>
            <translation>PDF 与照片一样加密保存在申请中</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+62" />
            <source>PDF copy kept with the application</source>
            <translation>PDF 副本已随申请保存</translation>
        </message>
    </context>
    <context>
        <name>ProblemItemsModel</name>
        <message>
            <location filename="../../ui/problem_model.py" line="+32" />
            <source>Customer</source>
            <translation>客户</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Application</source>
            <translation>申请编号</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Saved</source>
            <translation>保存时间</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
    </context>
    <context>
        <name>ResetPasswordDialog</name>
        <message>
            <location filename="../../ui/operator_forms.py" line="+41" />
            <source>&amp;Set password</source>
            <translation>设置密码(&amp;S)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>New password for %1</source>
            <translation>为 %1 设置新密码</translation>
        </message>
    </context>
    <context>
        <name>RetryCountdown</name>
        <message>
            <location filename="../../ui/login.py" line="-85" />
            <source>Try again in %1 s</source>
            <translation>请 %1 秒后再试</translation>
        </message>
    </context>
    <context>
        <name>RevealReasonDialog</name>
        <message>
            <location filename="../../ui/reveal_reason.py" line="+26" />
            <source>Why show the full value?</source>
            <translation>为何查看完整信息？</translation>
        </message>
        <message>
            <location line="+3" />
            <source>You are about to see the customer's full %1. Pick the reason; it is recorded in the audit log under your name.</source>
            <translation>即将查看客户完整的%1。请选择原因，系统会以您的名义记入审计日志。</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Show</source>
            <translation>显示</translation>
        </message>
    </context>
    <context>
        <name>ReviewPage</name>
        <message>
            <location filename="../../ui/new_application/review_page.py" line="+56" />
            <source>Check every detail with the customer, then press Save.</source>
            <translation>请与客户逐项核对后点“保存”。</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Review</source>
            <translation>确认</translation>
        </message>
        <message>
            <location line="+29" />
            <source>The pre-screen runs once every step is complete; Save shows what is missing.</source>
            <translation>各步骤填写完整后才会预审；点“保存”可查看缺少的内容。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Pre-screening…</source>
            <translation>正在预审…</translation>
        </message>
        <message>
            <location line="+19" />
            <source>The pre-screen could not run: %1</source>
            <translation>预审无法进行：%1</translation>
        </message>
        <message>
            <location line="+28" />
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
            <location line="+2" />
            <source>Home address:</source>
            <translation>居住地址：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Category:</source>
            <translation>商品类别：</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Delivery address:</source>
            <translation>配送地址：</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Terms</source>
            <translation>分期方案</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Down payment (yuan):</source>
            <translation>首付（元）：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Term:</source>
            <translation>期数：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Repayment method:</source>
            <translation>还款方式：</translation>
        </message>
        <message>
            <location line="+6" />
            <source>First payment date:</source>
            <translation>首期还款日：</translation>
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
            <location line="+2" />
            <source>Total repayment (yuan):</source>
            <translation>还款总额（元）：</translation>
        </message>
        <message>
            <location line="+4" />
            <source>APR (annual percentage rate):</source>
            <translation>年化利率(APR)：</translation>
        </message>
    </context>
    <context>
        <name>RulesDialog</name>
        <message>
            <location filename="../../ui/rules_page.py" line="+66" />
            <source>Rule pack</source>
            <translation>规则包</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Active rule pack</source>
            <translation>当前规则包</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Pack:</source>
            <translation>规则包：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Version:</source>
            <translation>版本：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Valid from:</source>
            <translation>生效时间：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Valid until:</source>
            <translation>失效时间：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Validity:</source>
            <translation>有效性：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Signature:</source>
            <translation>签名：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Signing key:</source>
            <translation>签名密钥：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Categories:</source>
            <translation>商品类别：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Source:</source>
            <translation>来源：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Installed:</source>
            <translation>安装时间：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>SHA-256:</source>
            <translation>SHA-256：</translation>
        </message>
        <message>
            <location line="+21" />
            <source>&amp;Load pack from file…</source>
            <translation>从文件载入规则包(&amp;L)…</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Install a signed rule pack (.json), e.g. from a USB stick. A pack that fails the checks is refused and the current one stays active.</source>
            <translation>安装已签名的规则包（.json），例如 U 盘中的文件。未通过校验的规则包会被拒绝，当前规则包继续有效。</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Only a field manager or an administrator can load a rule pack.</source>
            <translation>只有区域经理或管理员可以加载规则包。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+38" />
            <source>No rule pack installed — applications will be referred (RULES_STALE). Load a pack from a file.</source>
            <translation>未安装规则包——申请将转人工（RULES_STALE）。请从文件载入规则包。</translation>
        </message>
        <message>
            <location line="+15" />
            <source>✗ Expired</source>
            <translation>✗ 已过期</translation>
        </message>
        <message>
            <location line="+3" />
            <source>✗ Not valid yet (check this PC's date)</source>
            <translation>✗ 尚未生效（请检查电脑日期）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>✓ Valid now</source>
            <translation>✓ 当前有效</translation>
        </message>
        <message>
            <location line="+2" />
            <source>✓ Verified</source>
            <translation>✓ 签名有效</translation>
        </message>
        <message>
            <location line="+2" />
            <source>✗ Does not verify</source>
            <translation>✗ 签名无效</translation>
        </message>
        <message>
            <location line="+17" />
            <source>The installed rule pack fails verification — applications will be referred (RULES_STALE). Load a correctly signed pack.</source>
            <translation>已安装的规则包未通过校验——申请将转人工（RULES_STALE）。请载入签名正确的规则包。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The rule pack has expired — applications will be referred (RULES_STALE). Load a newer pack.</source>
            <translation>规则包已过期——申请将转人工（RULES_STALE）。请载入更新的规则包。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The rule pack is not valid yet — applications will be referred (RULES_STALE). Ask IT to check this PC's date.</source>
            <translation>规则包尚未生效——申请将转人工（RULES_STALE）。请 IT 检查电脑日期。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Applications are pre-screened with this rule pack.</source>
            <translation>申请按此规则包进行预审。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Shipped with the program</source>
            <translation>随软件安装</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Loaded from a file</source>
            <translation>从文件载入</translation>
        </message>
        <message>
            <location line="+2" />
            <source>From the server</source>
            <translation>服务器下发</translation>
        </message>
        <message>
            <location line="+22" />
            <source>Load rule pack</source>
            <translation>载入规则包</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Rule packs (*.json);;All files (*)</source>
            <translation>规则包 (*.json);;所有文件 (*)</translation>
        </message>
        <message>
            <location line="+20" />
            <source>The file cannot be read: %1</source>
            <translation>无法读取文件：%1</translation>
        </message>
        <message>
            <location line="+41" />
            <source>Rule pack %1 v%2 is already active; nothing changed.</source>
            <translation>规则包 %1 v%2 已在使用中，未作更改。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Rule pack %1 v%2 is now active.</source>
            <translation>规则包 %1 v%2 已启用。</translation>
        </message>
        <message>
            <location line="+12" />
            <source>The rule pack was not loaded: %1</source>
            <translation>规则包未载入：%1</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Details: %1</source>
            <translation>详情：%1</translation>
        </message>
        <message>
            <location line="+6" />
            <source>No rule pack was active before and none is now; applications are still referred (RULES_STALE).</source>
            <translation>之前没有可用的规则包，现在仍然没有；申请继续转人工（RULES_STALE）。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>The current rule pack %1 v%2 stays active.</source>
            <translation>当前规则包 %1 v%2 继续有效。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>the file is not a rule pack (damaged, or not a pack file).</source>
            <translation>文件不是有效的规则包（已损坏或不是规则包文件）。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>the signature does not match: the file was altered or damaged.</source>
            <translation>签名不符：文件已被修改或损坏。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>it is signed with a key this program does not trust.</source>
            <translation>签名密钥不受本软件信任。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>it is correctly signed, but its content is incomplete or wrong.</source>
            <translation>签名正确，但内容不完整或有误。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>it is correctly signed, but one of its decisions cannot be run.</source>
            <translation>签名正确，但其中的决策规则无法运行。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>it is not newer than the rule pack this PC uses (or has already used).</source>
            <translation>版本不比本机正在使用（或曾经用过）的规则包新。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>it has already expired.</source>
            <translation>该规则包已过期。</translation>
        </message>
        <message>
            <location line="+1" />
            <source>it has no rules for a product category.</source>
            <translation>缺少某类商品的规则。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>this program's list of trusted keys is missing or damaged; call IT.</source>
            <translation>本软件的受信任密钥列表缺失或损坏，请联系 IT。</translation>
        </message>
        <message>
            <location line="+3" />
            <source>it was refused (%1).</source>
            <translation>被拒绝（%1）。</translation>
        </message>
    </context>
    <context>
        <name>ScheduleModel</name>
        <message>
            <location filename="../../ui/schedule_model.py" line="+23" />
            <source>Period</source>
            <translation>期次</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Due date</source>
            <translation>还款日</translation>
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
        <name>SessionUi</name>
        <message>
            <location filename="../../ui/session_ui.py" line="+60" />
            <source>&amp;Lock now</source>
            <translation>立即锁定(&amp;L)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Hide customer data until you type your password again (Ctrl+L)</source>
            <translation>隐藏客户资料，重新输入密码后才能继续 (Ctrl+L)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Sign &amp;out</source>
            <translation>退出登录(&amp;O)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sign out so that another member of staff can log in</source>
            <translation>退出登录，让其他员工登录</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Operators…</source>
            <translation>操作员管理(&amp;O)…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Add staff accounts, disable them, reset passwords (administrators)</source>
            <translation>添加、停用员工账户，重设密码（管理员）</translation>
        </message>
        <message>
            <location line="+4" />
            <source>A&amp;ccount</source>
            <translation>账户(&amp;C)</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../ui/settings_dialog.py" line="+57" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location line="+12" />
            <source>e.g. https://api.example.cn</source>
            <translation>例如 https://api.example.cn</translation>
        </message>
        <message>
            <location line="+6" />
            <source>One-time code from IT</source>
            <translation>IT 提供的一次性注册码</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Enroll this PC</source>
            <translation>注册本机(&amp;E)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Enrolling…</source>
            <translation>正在注册…</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Head office</source>
            <translation>总部服务器</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Server address:</source>
            <translation>服务器地址(&amp;S)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>S&amp;tore code:</source>
            <translation>门店编码(&amp;T)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Enrollment &amp;code:</source>
            <translation>注册码(&amp;C)：</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Same as the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Interface language:</source>
            <translation>界面语言(&amp;I)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <location line="+1" />
            <source> days</source>
            <translation> 天</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Privacy</source>
            <translation>隐私保护</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Lock the screen after &amp;idle:</source>
            <translation>无操作自动锁屏(&amp;I)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Keep customers' personal data for:</source>
            <translation>客户个人资料保留(&amp;K)：</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Counted from head office's decision; after that the ID number, name, phone and addresses of synced, decided applications are removed from this PC.</source>
            <translation>自总部审批结果起计；期满后，已同步且已有结果的申请的身份证号、姓名、手机号和地址将从本机删除。</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location line="+15" />
            <source>Only an administrator can change these settings.</source>
            <translation>只有管理员可以修改这些设置。</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Saved. The new lock time applies the next time someone signs in.</source>
            <translation>已保存。新的锁屏时间在下次登录时生效。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Saved. Data past the new period is removed the next time LoanDesk starts.</source>
            <translation>已保存。超过新期限的资料将在下次启动 LoanDesk 时删除。</translation>
        </message>
        <message>
            <location line="+28" />
            <source>The enrollment state cannot be read.</source>
            <translation>无法读取注册状态。</translation>
        </message>
        <message>
            <location line="+4" />
            <source>This PC is not enrolled: applications are kept here and not sent to head office.</source>
            <translation>本机尚未注册：申请保存在本机，不会发送到总部。</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Enrolled with %1 as store %2.</source>
            <translation>已注册到 %1，门店编码 %2。</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Fill in the server address, the store code and the enrollment code IT gave you.</source>
            <translation>请填写 IT 提供的服务器地址、门店编码和注册码。</translation>
        </message>
        <message>
            <location line="+23" />
            <source>This PC is now enrolled with %1 as store %2 %3. Queued applications go to head office with the next sync.</source>
            <translation>本机已注册到 %1，门店 %2 %3。排队的申请将在下次同步时发送到总部。</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Enrolling failed because of a program error (%1); the details are in the log file.</source>
            <translation>注册时程序出错（%1），详情见日志文件。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not enrolled: %1</source>
            <translation>未注册：%1</translation>
        </message>
        <message>
            <location line="+28" />
            <source>The language could not be saved: %1</source>
            <translation>无法保存语言设置：%1</translation>
        </message>
        <message>
            <location line="-10" />
            <source>Saved. The new language applies the next time LoanDesk starts.</source>
            <translation>已保存。新的界面语言在下次启动 LoanDesk 时生效。</translation>
        </message>
        <message>
            <location line="+47" />
            <source>The setting could not be saved: %1</source>
            <translation>设置未能保存：%1</translation>
        </message>
    </context>
    <context>
        <name>SetupDialog</name>
        <message>
            <location filename="../../ui/login.py" line="+122" />
            <source>First start</source>
            <translation>首次使用</translation>
        </message>
        <message>
            <location line="+18" />
            <source>&amp;Create administrator</source>
            <translation>创建管理员(&amp;C)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Nobody can use LoanDesk on this PC yet. Create the administrator account: the administrator then adds an account for each member of staff. At least 8 characters with letters and digits.</source>
            <translation>本机尚未设置任何账户。请先创建管理员账户，再由管理员为每位员工添加账户。密码至少 8 位，需同时包含字母和数字。</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;User name:</source>
            <translation>用户名(&amp;U)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Name:</source>
            <translation>姓名(&amp;N)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Password:</source>
            <translation>密码(&amp;P)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Repeat password:</source>
            <translation>再次输入密码(&amp;R)：</translation>
        </message>
        <message>
            <location line="+45" />
            <source>The two passwords are not the same.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
    <context>
        <name>SignatureDialog</name>
        <message>
            <location filename="../../ui/new_application/signature_pad.py" line="+168" />
            <source>Customer signature</source>
            <translation>客户签名</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The customer signs below to consent to personal-information processing and to credit queries (consent version %1).</source>
            <translation>客户在下方签名，授权个人信息处理和征信查询（授权书版本 %1）。</translation>
        </message>
        <message>
            <location line="+6" />
            <source>C&amp;lear</source>
            <translation>清除(&amp;L)</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Use this signature</source>
            <translation>使用此签名(&amp;U)</translation>
        </message>
    </context>
    <context>
        <name>SyncPanel</name>
        <message>
            <location filename="../../ui/sync_panel.py" line="+69" />
            <source>Sync with head office</source>
            <translation>与总部同步</translation>
        </message>
        <message>
            <location line="+26" />
            <source>&amp;Sync now</source>
            <translation>立即同步(&amp;S)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Send queued applications and fetch decisions now</source>
            <translation>现在发送排队的申请并取回审批结果</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Stop after the current batch; what was sent stays sent</source>
            <translation>当前这一批完成后停止；已发送的不受影响</translation>
        </message>
        <message>
            <location line="+9" />
            <source>No sync since LoanDesk started.</source>
            <translation>本次启动后尚未同步。</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Last sync</source>
            <translation>上次同步</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Head office refused these applications; they are not sent again. Tell your field manager the reason shown.</source>
            <translation>总部退回了以下申请，不会再次发送。请把显示的原因告知区域经理。</translation>
        </message>
        <message>
            <location line="+13" />
            <source>&amp;Retry</source>
            <translation>重新发送(&amp;R)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Send the selected application again (after IT fixed the cause)</source>
            <translation>重新发送选中的申请（IT 排除原因之后）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Export for IT…</source>
            <translation>导出给 IT(&amp;E)…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Save every kept-aside application to a file for IT</source>
            <translation>把所有暂放一边的申请保存到文件，交给 IT</translation>
        </message>
        <message>
            <location line="+70" />
            <source>Connected to %1 as store %2. Waiting to upload: %3.</source>
            <translation>已连接 %1，门店编码 %2。待上传：%3 份。</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Returned by head office (%1)</source>
            <translation>总部退回（%1）</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Kept aside after repeated failures (%1)</source>
            <translation>多次失败、暂放一边（%1）</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Starting…</source>
            <translation>正在开始…</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Sending applications…</source>
            <translation>正在发送申请…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Fetching decisions…</source>
            <translation>正在取回审批结果…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Checking the rule pack…</source>
            <translation>正在检查规则包…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Updating the product catalog…</source>
            <translation>正在更新商品目录…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Updating the blacklists…</source>
            <translation>正在更新黑名单…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reporting to head office…</source>
            <translation>正在向总部报告状态…</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Nothing to do.</source>
            <translation>没有需要同步的内容。</translation>
        </message>
        <message>
            <location line="+47" />
            <source>Queued again; it goes out with the next sync.</source>
            <translation>已重新排队，下次同步时发送。</translation>
        </message>
        <message>
            <location line="+2" />
            <source>This item was no longer kept aside.</source>
            <translation>这份申请已不再暂放一边。</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Export kept-aside applications</source>
            <translation>导出暂放一边的申请</translation>
        </message>
        <message>
            <location line="+2" />
            <source>JSON lines (*.jsonl);;All files (*)</source>
            <translation>JSON 行文件 (*.jsonl);;所有文件 (*)</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <location line="+5" />
            <source>%1 application(s) written to %2</source>
            <translation>已将 %1 份申请写入 %2</translation>
        </message>
        <message>
            <location line="+8" />
            <source>The file could not be written: %1</source>
            <translation>无法写入文件：%1</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusWidget</name>
        <message>
            <location filename="../../ui/sync_status.py" line="+64" />
            <source>Applications head office returned or that were kept aside: open the sync panel</source>
            <translation>总部退回或暂放一边的申请：点此打开同步面板</translation>
        </message>
        <message>
            <location line="+8" />
            <location line="+23" />
            <location line="+69" />
            <source>Syncing…</source>
            <translation>正在同步…</translation>
        </message>
        <message>
            <location line="-56" />
            <source>Sync state unreadable</source>
            <translation>无法读取同步状态</translation>
        </message>
        <message>
            <location line="+5" />
            <source>To upload: %1</source>
            <translation>待上传：%1 份</translation>
        </message>
        <message>
            <location line="+2" />
            <source>%1 need attention</source>
            <translation>%1 份需处理</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Last sync: %1</source>
            <translation>上次同步：%1</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Never synced</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Sync paused – ask IT</source>
            <translation>同步已暂停——请联系 IT</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Not enrolled – sync is off</source>
            <translation>本机未注册——不同步</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sync stopped – this PC was revoked</source>
            <translation>同步已停止——本机已被停用</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sync paused – enroll this PC again</source>
            <translation>同步已暂停——需重新注册本机</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not synced yet</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <location line="+4" />
            <source>● Online</source>
            <translation>● 在线</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Connected to head office (%1)</source>
            <translation>已连接总部服务器（%1）</translation>
        </message>
        <message>
            <location line="+4" />
            <source>● Offline</source>
            <translation>● 离线</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Head office could not be reached at the last sync; applications stay queued here.</source>
            <translation>上次同步时连不上总部服务器；申请在本机排队等待上传。</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Click for the sync panel.</source>
            <translation>点击打开同步面板。</translation>
        </message>
    </context>
    <context>
        <name>TermsPage</name>
        <message>
            <location filename="../../ui/new_application/terms_page.py" line="+223" />
            <source>%1 months</source>
            <translation>%1 期</translation>
        </message>
        <message>
            <location line="-138" />
            <source>&amp;Down payment (yuan):</source>
            <translation>首付（元）(&amp;D)：</translation>
        </message>
        <message>
            <location line="-11" />
            <source>Loans from ¥%1 to ¥%2 can be offered.</source>
            <translation>可办理的分期金额为 ¥%1 至 ¥%2。</translation>
        </message>
        <message>
            <location line="+12" />
            <source>&amp;Term:</source>
            <translation>期数(&amp;T)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Repayment &amp;method:</source>
            <translation>还款方式(&amp;M)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;First payment date:</source>
            <translation>首期还款日(&amp;F)：</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Repayment schedule:</source>
            <translation>还款计划：</translation>
        </message>
        <message>
            <location line="+34" />
            <source>Summary</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location line="+4" />
            <location line="+135" />
            <source>Monthly payment:</source>
            <translation>月供：</translation>
        </message>
        <message>
            <location line="-120" />
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
            <location line="+93" />
            <source>First month payment:</source>
            <translation>首月还款：</translation>
        </message>
    </context>
    <context>
        <name>_PasswordForm</name>
        <message>
            <location filename="../../ui/operator_forms.py" line="-127" />
            <source>Cancel</source>
            <extracomment>create(login, display_name, role, password) -&gt; operator id set_password(new_password)</extracomment>
            <translation>取消</translation>
        </message>
        <message>
            <location line="+11" />
            <source>&amp;Password:</source>
            <translation>密码(&amp;P)：</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Repeat password:</source>
            <translation>再次输入密码(&amp;R)：</translation>
        </message>
        <message>
            <location line="+22" />
            <source>The two passwords are not the same.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
</TS>
