"""Chinese text pools for contacts and profile facts, written the way a KAM would note them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContactRole:
    """One seat in a customer's buying centre; parent is the index of the boss's seat.

    Seats are ordered so that every prefix of the list is a complete org chart: an account
    with k contacts gets the first k seats.
    """

    title: str
    department: str
    function: str  # relationships.models.TheirFunction value
    influence_type: str  # relationships.models.InfluenceType value
    level: int  # 1 = top
    parent: int | None
    stages: tuple[bool, bool, bool, bool]  # needs, options, choice, after-sale


def stages(flags: str) -> tuple[bool, bool, bool, bool]:
    """Buying stages a seat matters in, as four 0/1 flags: needs, options, choice, after-sale."""
    needs, options, choice, after_sale = (flag == "1" for flag in flags)
    return needs, options, choice, after_sale


CONTACT_ROLES: tuple[ContactRole, ...] = (
    ContactRole("总经理", "总经理办公室", "management", "economic", 1, None, stages("0010")),
    ContactRole("采购总监", "采购部", "purchasing", "economic", 2, 0, stages("0110")),
    ContactRole("技术总监", "技术部", "engineering", "technical", 2, 0, stages("1100")),
    ContactRole("采购经理", "采购部", "purchasing", "technical", 3, 1, stages("0110")),
    ContactRole("工程部经理", "工程部", "projects", "user", 3, 0, stages("1001")),
    ContactRole("质量经理", "质量部", "quality", "technical", 3, 2, stages("0101")),
    ContactRole("财务总监", "财务部", "finance", "economic", 2, 0, stages("0010")),
    ContactRole("采购专员", "采购部", "purchasing", "coach", 4, 3, stages("1101")),
    ContactRole("生产经理", "生产部", "operations", "user", 3, 0, stages("1001")),
    ContactRole("物流主管", "物流部", "logistics", "user", 4, 8, stages("0001")),
    ContactRole("安全环保经理", "安环部", "she", "technical", 3, 8, stages("1000")),
    ContactRole("市场总监", "市场部", "marketing", "user", 2, 0, stages("1000")),
)
# Developers and property managers name the same seats differently (集采中心, 项目公司).
ROLE_TITLES_BY_SEGMENT: dict[str, dict[int, tuple[str, str]]] = {
    "developer": {
        1: ("集采中心总经理", "集中采购中心"),
        2: ("设计总监", "设计研发部"),
        3: ("集采经理", "集中采购中心"),
        4: ("项目总经理", "工程管理部"),
        5: ("成本经理", "成本合约部"),
        8: ("工程部经理", "工程管理部"),
    },
    "property": {
        1: ("采购部经理", "采购部"),
        2: ("工程总监", "工程技术部"),
        3: ("采购主管", "采购部"),
        4: ("设备部经理", "设备管理部"),
        8: ("项目经理", "物业服务中心"),
    },
    "rail": {
        1: ("物资部部长", "物资部"),
        2: ("总工程师", "技术部"),
        3: ("物资部副部长", "物资部"),
        4: ("机电部经理", "机电工程部"),
        8: ("运营分公司经理", "运营分公司"),
    },
}

MOTIVES: dict[str, tuple[str, ...]] = {
    "management": (
        "公司业绩增长和市场份额，关注供应商能否支撑扩张",
        "控制经营风险，重视长期稳定合作",
        "希望通过供应商降低整体成本，提升利润率",
    ),
    "purchasing": (
        "完成年度降本指标，价格是首要考量",
        "保证供应稳定，避免断货影响交付",
        "简化采购流程，减少供应商数量",
    ),
    "engineering": (
        "技术可靠，减少现场故障和返修",
        "新产品开发需要供应商早期参与",
        "关注能效与新国标合规",
    ),
    "projects": (
        "按期交付，不影响项目节点",
        "安装调试简便，现场问题快速响应",
        "减少现场返工，控制安装成本",
    ),
    "quality": (
        "质量稳定、批次可追溯",
        "供应商质量体系和型式试验证书齐全",
    ),
    "finance": (
        "付款账期与资金占用",
        "发票、对账规范及时",
    ),
    "operations": (
        "生产计划稳定，来料准时",
        "减少库存占用，希望供应商寄售",
    ),
    "logistics": ("到货准时、包装规范", "送货到项目现场，减少二次搬运", "物流信息可追踪"),
    "she": ("安全事故零容忍，关注安全部件合规", "绿色环保，低碳供应链"),
    "marketing": ("借助供应商技术做产品宣传", "共同开发新市场"),
}

NEEDS: dict[str, tuple[str, ...]] = {
    "management": ("战略合作框架协议", "高层定期互访", "联合开拓海外市场", "稳定的年度价格"),
    "purchasing": ("年度框架价格", "缩短交期", "寄售库存", "集中对账", "更长账期"),
    "engineering": ("技术培训", "联合开发新机型", "提供选型软件", "型式试验报告"),
    "projects": ("现场技术支持", "48小时到货", "安装指导", "备件快速更换"),
    "quality": ("批次质量报告", "来料检验标准对齐", "8D 问题闭环"),
    "finance": ("电子发票", "月结对账", "承兑汇票付款"),
    "operations": ("按生产节拍分批送货", "VMI 库存管理", "紧急插单"),
    "logistics": ("送货上楼", "统一包装标识", "物流跟踪"),
    "she": ("安全部件合规证明", "现场安全培训", "事故应急响应机制"),
    "marketing": ("联合品牌推广", "案例材料", "市场数据共享"),
}

DEEPENING_PLANS: tuple[str, ...] = (
    "邀请参观我司工厂与研发中心",
    "安排技术交流会，介绍新一代产品",
    "安排我司高层拜访，推动战略合作",
    "季度业务回顾会，共同复盘交付与质量",
    "节日问候与客户关怀，保持日常联系",
    "联合开展新产品试点项目",
    "为其团队提供安装与维保培训",
    "邀请参加行业展会与客户答谢会",
    "协助解决现场质量问题，建立信任",
    "建立微信群，快速响应现场需求",
)

SOURCES: tuple[str, ...] = (
    "国家企业信用信息公示系统",
    "企业年报",
    "客户拜访记录",
    "行业协会资料",
    "公开新闻",
    "KAM 访谈",
)

OFFICER_TITLES: tuple[tuple[str, str], ...] = (
    ("董事长", "board"),
    ("总经理", "management"),
    ("副总经理", "management"),
    ("财务总监", "management"),
    ("董事", "board"),
    ("监事会主席", "supervisory"),
    ("董事会秘书", "management"),
    ("监事", "supervisory"),
)

BUSINESS_UNITS: dict[str, tuple[str, ...]] = {
    "oem": ("乘客电梯事业部", "自动扶梯事业部", "海外事业部", "维保服务事业部", "旧梯改造事业部"),
    "installer": ("安装工程部", "维保服务中心", "旧梯改造部", "加装电梯项目部"),
    "developer": ("住宅开发事业部", "商业地产事业部", "城市更新事业部", "长租公寓事业部"),
    "property": ("住宅物业事业部", "商写物业事业部", "设施设备管理中心"),
    "rail": ("机电工程分公司", "运营维保分公司", "物资供应中心"),
    "parking": ("立体车库事业部", "智慧停车运营部"),
    "distributor": ("配件销售部", "电商事业部", "仓储物流中心"),
}

BUSINESS_UNIT_NOTES: tuple[str, ...] = (
    "独立采购，年度招标",
    "由集团集采中心统一定标，事业部下单",
    "部分品类可自行采购",
    "新成立，采购流程尚在建立",
)

EVENTS: tuple[tuple[str, str], ...] = (
    ("capex", "投资新建{city}生产基地，预计年产能提升30%"),
    ("acquisition", "收购一家本地电梯安装维保公司，扩大服务网络"),
    ("divestment", "剥离非核心业务，聚焦主业"),
    ("joint_venture", "与外资品牌成立合资公司"),
    ("rnd", "成立研发中心，布局智能电梯和物联网监控"),
    ("outsourcing", "将部分部件生产外包，转向轻资产模式"),
    ("new_product", "推出新一代节能产品系列"),
    ("new_market", "进入旧梯改造和既有住宅加装电梯市场"),
    ("international", "中标东南亚地铁项目，开拓海外市场"),
    ("technology", "上线数字化采购平台，供应商需线上对接"),
    ("leadership", "更换总经理，采购策略可能调整"),
    ("other", "获评省级专精特新企业"),
)

OUTLOOK: dict[str, tuple[tuple[str, str], ...]] = {
    "lenders": (
        ("low", "主要合作银行授信充足，融资渠道通畅"),
        ("medium", "银行授信额度收紧，短期偿债压力上升"),
        ("high", "出现票据逾期记录，融资渠道受限"),
    ),
    "legal": (
        ("low", "无重大诉讼"),
        ("medium", "涉及数起买卖合同纠纷诉讼"),
        ("high", "被列为被执行人，存在资产冻结"),
    ),
    "regulatory": (
        ("low", "电梯安全新规实施，合规要求提高"),
        ("medium", "环保督查导致部分产线限产"),
    ),
    "market": (
        ("low", "城市更新和加装电梯带来增量需求"),
        ("medium", "新房开工面积下降，新梯需求减少"),
        ("high", "房地产下行，项目停工风险上升"),
    ),
}

NEED_TEXTS: dict[str, tuple[str, ...]] = {
    "volume": ("年度采购量增长，需要供应商保障产能", "新项目集中开工，需要批量供货"),
    "price": ("年度降价诉求5%-8%", "希望锁定全年价格，应对原材料波动"),
    "cost": ("降低全生命周期维保成本", "减少现场安装工时"),
    "working_capital": ("延长账期或接受承兑汇票", "寄售库存，降低资金占用"),
    "service": ("7×24小时技术支持", "现场培训维保人员", "备件48小时到货"),
    "process": ("电子化对账与开票", "减少订单变更环节", "统一框架合同，简化下单"),
    "other": ("协助取得出口认证", "联合申报科技项目"),
}

STRATEGIC_REASONS: tuple[str, ...] = (
    "行业头部品牌，战略合作可带动其全国项目采购",
    "可进入其全球采购体系，带动出口",
    "联合开发新一代产品，技术互补",
    "区域龙头，示范效应强，非竞争对手",
)

COST_NOTES: dict[str, str] = {
    "freight": "运费与物流",
    "installation": "安装指导与调试支持",
    "rebate": "年度返利",
    "sales": "客户团队人员与差旅",
    "service": "售后服务与备件",
    "financing": "应收账款资金成本",
    "training": "客户培训",
}

CREDIT_RATINGS: tuple[str, ...] = ("AAA", "AA+", "AA", "AA-", "A+", "A")
