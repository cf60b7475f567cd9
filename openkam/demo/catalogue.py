"""What the demo company is: an elevator-components maker (电梯部件制造商), where its customers
are, what it sells, who it competes with and how its sales organisation is cut.

Plain data, no randomness: generator modules draw from these tables with a seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class City:
    name: str  # as written on a licence, with 市
    province: str
    region: str  # accounts.models.Region value
    division: str  # first four digits of the administrative division code (GB/T 2260)
    area_code: str  # telephone area code
    weight: float  # share of customers, roughly the density of the elevator trade

    @property
    def short(self) -> str:
        return self.name.removesuffix("市")


CITIES: tuple[City, ...] = (
    # 华东: the Yangtze delta is where most elevator makers and their suppliers sit.
    City("上海市", "上海市", "east", "3101", "021", 10.0),
    City("苏州市", "江苏省", "east", "3205", "0512", 6.0),
    City("南京市", "江苏省", "east", "3201", "025", 4.0),
    City("无锡市", "江苏省", "east", "3202", "0510", 3.0),
    City("常州市", "江苏省", "east", "3204", "0519", 2.0),
    City("南通市", "江苏省", "east", "3206", "0513", 2.0),
    City("徐州市", "江苏省", "east", "3203", "0516", 1.5),
    City("扬州市", "江苏省", "east", "3210", "0514", 1.0),
    City("杭州市", "浙江省", "east", "3301", "0571", 5.0),
    City("宁波市", "浙江省", "east", "3302", "0574", 3.0),
    City("温州市", "浙江省", "east", "3303", "0577", 2.0),
    City("湖州市", "浙江省", "east", "3305", "0572", 2.5),
    City("嘉兴市", "浙江省", "east", "3304", "0573", 1.5),
    City("绍兴市", "浙江省", "east", "3306", "0575", 1.5),
    City("合肥市", "安徽省", "east", "3401", "0551", 2.5),
    City("芜湖市", "安徽省", "east", "3402", "0553", 1.0),
    City("福州市", "福建省", "east", "3501", "0591", 2.0),
    City("厦门市", "福建省", "east", "3502", "0592", 2.0),
    City("泉州市", "福建省", "east", "3505", "0595", 1.5),
    City("南昌市", "江西省", "east", "3601", "0791", 1.5),
    City("济南市", "山东省", "east", "3701", "0531", 2.5),
    City("青岛市", "山东省", "east", "3702", "0532", 3.0),
    City("烟台市", "山东省", "east", "3706", "0535", 1.2),
    City("潍坊市", "山东省", "east", "3707", "0536", 1.0),
    # 华南
    City("广州市", "广东省", "south", "4401", "020", 6.0),
    City("深圳市", "广东省", "south", "4403", "0755", 6.0),
    City("佛山市", "广东省", "south", "4406", "0757", 3.0),
    City("东莞市", "广东省", "south", "4419", "0769", 3.0),
    City("中山市", "广东省", "south", "4420", "0760", 1.5),
    City("珠海市", "广东省", "south", "4404", "0756", 1.2),
    City("惠州市", "广东省", "south", "4413", "0752", 1.2),
    City("南宁市", "广西壮族自治区", "south", "4501", "0771", 1.5),
    City("柳州市", "广西壮族自治区", "south", "4502", "0772", 0.8),
    City("海口市", "海南省", "south", "4601", "0898", 0.8),
    City("三亚市", "海南省", "south", "4602", "0898", 0.5),
    # 华北
    City("北京市", "北京市", "north", "1101", "010", 7.0),
    City("天津市", "天津市", "north", "1201", "022", 4.0),
    City("石家庄市", "河北省", "north", "1301", "0311", 2.0),
    City("唐山市", "河北省", "north", "1302", "0315", 1.0),
    City("保定市", "河北省", "north", "1306", "0312", 1.0),
    City("廊坊市", "河北省", "north", "1310", "0316", 1.0),
    City("太原市", "山西省", "north", "1401", "0351", 1.2),
    City("呼和浩特市", "内蒙古自治区", "north", "1501", "0471", 0.7),
    City("包头市", "内蒙古自治区", "north", "1502", "0472", 0.5),
    # 华中
    City("武汉市", "湖北省", "central", "4201", "027", 4.0),
    City("宜昌市", "湖北省", "central", "4205", "0717", 0.8),
    City("襄阳市", "湖北省", "central", "4206", "0710", 0.8),
    City("长沙市", "湖南省", "central", "4301", "0731", 3.0),
    City("株洲市", "湖南省", "central", "4302", "0731", 0.8),
    City("郑州市", "河南省", "central", "4101", "0371", 3.0),
    City("洛阳市", "河南省", "central", "4103", "0379", 1.0),
    # 西南
    City("重庆市", "重庆市", "southwest", "5001", "023", 4.0),
    City("成都市", "四川省", "southwest", "5101", "028", 5.0),
    City("绵阳市", "四川省", "southwest", "5107", "0816", 0.8),
    City("贵阳市", "贵州省", "southwest", "5201", "0851", 1.5),
    City("昆明市", "云南省", "southwest", "5301", "0871", 1.8),
    City("拉萨市", "西藏自治区", "southwest", "5401", "0891", 0.2),
    # 西北
    City("西安市", "陕西省", "northwest", "6101", "029", 3.0),
    City("兰州市", "甘肃省", "northwest", "6201", "0931", 1.0),
    City("西宁市", "青海省", "northwest", "6301", "0971", 0.4),
    City("银川市", "宁夏回族自治区", "northwest", "6401", "0951", 0.5),
    City("乌鲁木齐市", "新疆维吾尔自治区", "northwest", "6501", "0991", 0.8),
    # 东北
    City("沈阳市", "辽宁省", "northeast", "2101", "024", 2.0),
    City("大连市", "辽宁省", "northeast", "2102", "0411", 2.0),
    City("长春市", "吉林省", "northeast", "2201", "0431", 1.2),
    City("哈尔滨市", "黑龙江省", "northeast", "2301", "0451", 1.5),
    # Overseas customers (Belt and Road projects) have no Chinese credit code.
    City("新加坡", "新加坡", "overseas", "", "+65", 0.3),
    City("吉隆坡", "马来西亚", "overseas", "", "+60", 0.25),
    City("胡志明市", "越南", "overseas", "", "+84", 0.25),
    City("雅加达", "印度尼西亚", "overseas", "", "+62", 0.25),
    City("迪拜", "阿联酋", "overseas", "", "+971", 0.2),
)

# The last two digits of a division code: districts and county-level cities.
DISTRICT_SUFFIXES: tuple[str, ...] = ("02", "03", "04", "05", "06", "07", "11", "12", "81", "82")


@dataclass(frozen=True)
class Segment:
    """A kind of customer: its industry (GB/T 4754-2017), how it buys and how it pays."""

    key: str
    industry_code: str
    industry_name: str
    industry_name_en: str
    share: float  # of the customer base
    size_factor: float  # relative purchasing volume
    lines_per_order: float
    late_payer_share: float
    payment_terms: tuple[int, ...]  # days, drawn uniformly
    name_words: tuple[str, ...]
    domain_word: str
    related: str  # the segment a group's subsidiaries may belong to
    families: dict[str, float] = field(default_factory=dict)  # product-family weights


SEGMENTS: tuple[Segment, ...] = (
    Segment(
        key="oem",
        industry_code="C3435",
        industry_name="电梯、自动扶梯及升降机制造",
        industry_name_en="Elevator, escalator and lift manufacturing",
        share=0.20,
        size_factor=2.6,
        lines_per_order=8.0,
        late_payer_share=0.10,
        payment_terms=(60, 60, 90, 90, 120),
        name_words=("电梯", "电梯科技", "电梯制造", "机电", "升降机械", "电梯设备"),
        domain_word="elevator",
        related="installer",
        families={
            "YYJ": 18,
            "MJ": 12,
            "KZG": 14,
            "BPQ": 6,
            "DG": 10,
            "GSS": 10,
            "AQQ": 6,
            "XSQ": 4,
            "HCQ": 4,
            "CM": 8,
            "GM": 3,
            "AN": 5,
            "SXDL": 3,
            "DX": 3,
            "FT": 2,
        },
    ),
    Segment(
        key="installer",
        industry_code="E4920",
        industry_name="电梯安装、改造与维保",
        industry_name_en="Elevator installation, modernisation and maintenance",
        share=0.36,
        size_factor=0.6,
        lines_per_order=4.0,
        late_payer_share=0.18,
        payment_terms=(30, 30, 45, 60),
        name_words=("电梯工程", "电梯安装工程", "电梯服务", "机电工程", "电梯维保", "电梯技术"),
        domain_word="lift",
        related="installer",
        families={
            "YYJ": 4,
            "MJ": 14,
            "KZG": 8,
            "BPQ": 10,
            "DG": 2,
            "GSS": 12,
            "AQQ": 5,
            "XSQ": 5,
            "HCQ": 4,
            "CM": 6,
            "GM": 10,
            "AN": 10,
            "SXDL": 3,
            "DX": 6,
            "FT": 1,
            "GZ": 3,
        },
    ),
    Segment(
        key="developer",
        industry_code="K7010",
        industry_name="房地产开发经营",
        industry_name_en="Real estate development",
        share=0.14,
        size_factor=1.3,
        lines_per_order=5.0,
        late_payer_share=0.45,
        payment_terms=(90, 120, 180),
        name_words=("置业", "房地产开发", "地产", "置地", "实业"),
        domain_word="land",
        related="property",
        families={
            "GZ": 20,
            "YYJ": 12,
            "KZG": 12,
            "MJ": 10,
            "CM": 8,
            "AN": 6,
            "GM": 4,
            "BPQ": 4,
            "GSS": 6,
            "DG": 4,
            "AQQ": 4,
            "XSQ": 3,
            "HCQ": 3,
            "SXDL": 2,
            "DX": 1,
            "FT": 4,
        },
    ),
    Segment(
        key="property",
        industry_code="K7020",
        industry_name="物业管理",
        industry_name_en="Property management",
        share=0.14,
        size_factor=0.4,
        lines_per_order=3.0,
        late_payer_share=0.15,
        payment_terms=(30, 30, 60),
        name_words=("物业服务", "物业管理", "物业"),
        domain_word="pm",
        related="property",
        families={
            "GM": 14,
            "AN": 14,
            "MJ": 12,
            "BPQ": 10,
            "GSS": 10,
            "DX": 8,
            "KZG": 5,
            "GZ": 8,
            "CM": 5,
            "XSQ": 4,
            "AQQ": 3,
            "HCQ": 3,
            "SXDL": 2,
            "FT": 2,
        },
    ),
    Segment(
        key="rail",
        industry_code="G5412",
        industry_name="城市轨道交通",
        industry_name_en="Urban rail transit",
        share=0.04,
        size_factor=2.0,
        lines_per_order=6.0,
        late_payer_share=0.05,
        payment_terms=(90, 120),
        name_words=("轨道交通工程", "轨道交通设备", "地铁建设"),
        domain_word="rail",
        related="rail",
        families={
            "FT": 30,
            "BPQ": 10,
            "KZG": 10,
            "YYJ": 8,
            "MJ": 6,
            "AN": 6,
            "GM": 6,
            "GSS": 6,
            "CM": 6,
            "AQQ": 4,
            "XSQ": 3,
            "HCQ": 3,
            "DG": 2,
        },
    ),
    Segment(
        key="parking",
        industry_code="C3439",
        industry_name="其他物料搬运设备制造（机械式停车设备）",
        industry_name_en="Other materials handling equipment (car-park lifts)",
        share=0.05,
        size_factor=0.8,
        lines_per_order=5.0,
        late_payer_share=0.12,
        payment_terms=(60, 90),
        name_words=("停车设备", "立体车库", "智能停车"),
        domain_word="parking",
        related="parking",
        families={
            "GSS": 20,
            "BPQ": 18,
            "KZG": 18,
            "DG": 10,
            "HCQ": 8,
            "AQQ": 8,
            "XSQ": 6,
            "YYJ": 6,
            "AN": 6,
        },
    ),
    Segment(
        key="distributor",
        industry_code="F5179",
        industry_name="其他机械设备及电子产品批发",
        industry_name_en="Wholesale of machinery and electronic parts",
        share=0.07,
        size_factor=0.7,
        lines_per_order=7.0,
        late_payer_share=0.20,
        payment_terms=(30, 45, 60),
        name_words=("电梯配件", "机电设备", "电梯部件"),
        domain_word="parts",
        related="distributor",
        families={
            "GM": 14,
            "AN": 14,
            "MJ": 10,
            "BPQ": 10,
            "GSS": 12,
            "DX": 10,
            "HCQ": 6,
            "AQQ": 6,
            "XSQ": 6,
            "CM": 6,
            "SXDL": 6,
        },
    ),
)
SEGMENT_INDEX = {segment.key: index for index, segment in enumerate(SEGMENTS)}


@dataclass(frozen=True)
class ProductFamily:
    code: str
    name: str
    unit: str
    # List price over standard cost: thinnest on commodity parts (rails, rope, cables), widest
    # on electronics and safety parts. With the discounts of plan.py the company's gross
    # margin comes out near 20%, as for an elevator-parts maker, lower on the biggest accounts.
    markup: float
    lead_days: int  # usual promised delivery after order
    variants: tuple[tuple[str, float], ...]  # (specification, standard cost in CNY)
    unit_overrides: dict[int, str] = field(default_factory=dict)


FAMILIES: tuple[ProductFamily, ...] = (
    ProductFamily(
        "YYJ",
        "曳引机",
        "台",
        1.50,
        30,
        (
            ("永磁同步无齿轮曳引机 630kg 1.0m/s", 9800),
            ("永磁同步无齿轮曳引机 800kg 1.5m/s", 11800),
            ("永磁同步无齿轮曳引机 1000kg 1.75m/s", 13600),
            ("永磁同步无齿轮曳引机 1350kg 2.0m/s", 17900),
            ("永磁同步无齿轮曳引机 1600kg 2.5m/s", 22500),
            ("永磁同步无齿轮曳引机 2000kg 4.0m/s", 38800),
            ("有齿轮曳引机 旧梯改造型", 15200),
        ),
    ),
    ProductFamily(
        "MJ",
        "门机",
        "套",
        1.55,
        15,
        (
            ("变频门机 中分 800mm", 2600),
            ("变频门机 中分 900mm", 2750),
            ("变频门机 中分 1100mm", 3100),
            ("变频门机 旁开 900mm", 2900),
            ("变频门机 双折 1200mm 医用梯", 3800),
        ),
    ),
    ProductFamily(
        "KZG",
        "控制柜",
        "台",
        1.50,
        25,
        (
            ("一体化控制柜 5.5kW", 7200),
            ("一体化控制柜 7.5kW", 8100),
            ("一体化控制柜 11kW", 9600),
            ("一体化控制柜 15kW", 11800),
            ("一体化控制柜 22kW", 14800),
            ("群控控制柜 30kW", 21500),
        ),
    ),
    ProductFamily(
        "BPQ",
        "变频器",
        "台",
        1.55,
        10,
        (
            ("电梯专用变频器 5.5kW", 2300),
            ("电梯专用变频器 7.5kW", 2700),
            ("电梯专用变频器 11kW", 3500),
            ("电梯专用变频器 15kW", 4400),
            ("电梯专用变频器 22kW", 6100),
        ),
    ),
    ProductFamily(
        "DG",
        "导轨",
        "根",
        1.35,
        20,
        (
            ("T75-3/B 实心导轨 5m", 310),
            ("T89/B 实心导轨 5m", 420),
            ("T127-1/B 实心导轨 5m", 780),
            ("TK5A 空心导轨 5m", 160),
        ),
    ),
    ProductFamily(
        "GSS",
        "钢丝绳",
        "米",
        1.38,
        7,
        (
            ("电梯钢丝绳 8×19S+FC Φ8", 7.5),
            ("电梯钢丝绳 8×19S+FC Φ10", 10.2),
            ("电梯钢丝绳 8×19S+FC Φ12", 14.6),
            ("电梯钢丝绳 8×19S+IWRC Φ13", 17.2),
            ("高层电梯钢丝绳 8×19W+IWRC Φ16", 26.5),
        ),
    ),
    ProductFamily(
        "AQQ",
        "安全钳",
        "套",
        1.60,
        15,
        (
            ("瞬时式安全钳 ≤0.63m/s", 950),
            ("渐进式安全钳 1.75m/s", 1850),
            ("渐进式安全钳 2.5m/s", 2600),
            ("夹绳器 上行超速保护", 3200),
        ),
    ),
    ProductFamily(
        "XSQ",
        "限速器",
        "台",
        1.60,
        15,
        (("限速器 1.0m/s", 780), ("限速器 1.75m/s", 950), ("双向限速器 2.5m/s", 1650)),
    ),
    ProductFamily(
        "HCQ",
        "缓冲器",
        "个",
        1.50,
        10,
        (("聚氨酯缓冲器", 160), ("液压缓冲器 1.75m/s", 1150), ("液压缓冲器 2.5m/s", 1680)),
    ),
    ProductFamily(
        "CM",
        "层门装置",
        "套",
        1.48,
        20,
        (
            ("层门装置 中分 800mm", 1300),
            ("层门装置 中分 900mm", 1450),
            ("层门装置 不锈钢发纹 1100mm", 1900),
        ),
    ),
    ProductFamily(
        "GM",
        "光幕",
        "套",
        1.75,
        5,
        (("红外光幕 94束", 260), ("3D 立体光幕", 520)),
    ),
    ProductFamily(
        "AN",
        "按钮与操纵盘",
        "套",
        1.75,
        10,
        (
            ("轿内操纵盘 COP", 1250),
            ("外呼召唤盒 LOP", 180),
            ("触摸按钮", 38),
            ("刷卡梯控模块", 650),
        ),
        unit_overrides={2: "个"},
    ),
    ProductFamily(
        "SXDL",
        "随行电缆",
        "米",
        1.40,
        7,
        (("扁平随行电缆 40芯", 22), ("带屏蔽扁平随行电缆 48芯", 31)),
    ),
    ProductFamily(
        "DX",
        "导靴",
        "个",
        1.55,
        7,
        (("滑动导靴", 85), ("滚动导靴", 420)),
    ),
    ProductFamily(
        "GZ",
        "旧梯改造套餐",
        "套",
        1.42,
        45,
        (
            ("旧梯改造部件包 6层 1000kg", 52000),
            ("旧梯改造部件包 18层 1050kg", 78000),
            ("既有住宅加装电梯部件包 6层", 98000),
        ),
    ),
    ProductFamily(
        "FT",
        "扶梯部件",
        "件",
        1.50,
        35,
        (("扶梯梯级 1000mm", 420), ("扶手带", 165), ("扶梯主机 11kW", 16800)),
        unit_overrides={1: "米", 2: "台"},
    ),
)
FAMILY_INDEX = {family.code: index for index, family in enumerate(FAMILIES)}


@dataclass(frozen=True)
class CompetitorInfo:
    name: str
    country: str
    families: tuple[str, ...]
    strengths: str
    weaknesses: str


# Made-up firms: real ones would put words in real mouths.
COMPETITORS: tuple[CompetitorInfo, ...] = (
    CompetitorInfo(
        "苏州恒驰驱动科技有限公司",
        "中国",
        ("YYJ", "BPQ"),
        "曳引机价格低，交期短，华东服务网点密",
        "高速梯产品线弱，出口认证少",
    ),
    CompetitorInfo(
        "宁波欧力门机系统有限公司",
        "中国",
        ("MJ", "CM", "GM"),
        "门系统品类全，性价比高",
        "售后响应慢，质量波动",
    ),
    CompetitorInfo(
        "上海新捷电梯控制技术有限公司",
        "中国",
        ("KZG", "BPQ", "AN"),
        "控制系统软件能力强，物联网平台成熟",
        "硬件依赖外购，旺季缺货",
    ),
    CompetitorInfo(
        "深圳瑞控电气技术有限公司",
        "中国",
        ("BPQ", "KZG"),
        "变频器技术领先，价格有竞争力",
        "电梯行业经验少，现场支持不足",
    ),
    CompetitorInfo(
        "江苏华钢导轨有限公司",
        "中国",
        ("DG",),
        "规模大，导轨成本最低",
        "只做导轨，不能一站式供货",
    ),
    CompetitorInfo(
        "无锡通盛钢绳有限公司",
        "中国",
        ("GSS", "SXDL"),
        "钢丝绳产能大，账期灵活",
        "高端钢丝绳依赖进口原料",
    ),
    CompetitorInfo(
        "河北安信安全部件有限公司",
        "中国",
        ("AQQ", "XSQ", "HCQ"),
        "安全部件型式试验证书齐全",
        "产能有限，南方服务弱",
    ),
    CompetitorInfo(
        "佛山智升电梯配件有限公司",
        "中国",
        ("GM", "AN", "DX", "MJ"),
        "配件品种多，现货供应",
        "以贸易为主，技术支持弱",
    ),
    CompetitorInfo(
        "Kessler Aufzugskomponenten GmbH",
        "德国",
        ("YYJ", "AQQ", "MJ"),
        "品牌溢价高，高速梯和高端项目认可度高",
        "价格高，交期长，本地化服务少",
    ),
    CompetitorInfo(
        "Takumi Lift Parts Co., Ltd.",
        "日本",
        ("KZG", "MJ", "FT"),
        "精度和可靠性好，日系整梯厂配套",
        "价格高，定制响应慢",
    ),
    CompetitorInfo(
        "广州博安电梯部件有限公司",
        "中国",
        ("CM", "MJ", "FT", "AN"),
        "华南客户关系深，扶梯部件全",
        "资金紧张，交付不稳定",
    ),
)


@dataclass(frozen=True)
class TeamInfo:
    key: str
    name: str
    region_label: str
    regions: tuple[str, ...]  # accounts.models.Region values it covers


TEAMS: tuple[TeamInfo, ...] = (
    TeamInfo("east", "华东大客户部", "华东", ("east",)),
    TeamInfo("south", "华南大客户部", "华南", ("south",)),
    TeamInfo("north", "华北大客户部", "华北、东北", ("north", "northeast")),
    TeamInfo(
        "west",
        "中西部大客户部",
        "华中、西南、西北、海外",
        ("central", "southwest", "northwest", "overseas"),
    ),
    TeamInfo("strategic", "战略客户部", "全国", ()),
)


@dataclass(frozen=True)
class Persona:
    """A named demo login. team is a TeamInfo key; directs marks the team's director."""

    username: str
    surname: str
    given: str
    role: str  # team.models.Role value
    function: str  # team.models.Function value
    team: str | None = None
    team_role: str = "kam"
    directs: bool = False
    superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona("admin", "系统", "管理员", "executive", "management", superuser=True),
    Persona("executive", "王", "建国", "executive", "management", "strategic", "sponsor"),
    Persona("director", "李", "明辉", "director", "sales", "east", "kam", directs=True),
    Persona("director_south", "陈", "志强", "director", "sales", "south", "kam", directs=True),
    Persona("director_north", "赵", "立新", "director", "sales", "north", "kam", directs=True),
    Persona("director_west", "刘", "德明", "director", "sales", "west", "kam", directs=True),
    Persona(
        "director_strategic", "周", "海峰", "director", "sales", "strategic", "kam", directs=True
    ),
    Persona("kam", "张", "伟", "kam", "sales", "east"),
    Persona("kam2", "黄", "丽", "kam", "sales", "south"),
    Persona("analyst", "孙", "晓燕", "analyst", "marketing"),
    Persona("viewer", "吴", "静", "viewer", "finance", "east", "observer"),
    Persona("support_rnd", "郑", "工", "viewer", "rnd", "strategic", "support"),
    Persona("support_quality", "许", "文涛", "viewer", "quality", "east", "support"),
    Persona("support_service", "何", "建军", "viewer", "service", "south", "support"),
    # In no sales team: sees only the accounts whose account team seats them (account_teams).
    Persona("quality_engineer", "冯", "志远", "viewer", "quality"),
)
