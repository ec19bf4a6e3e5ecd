# ruff: noqa: E501 - long lines of Chinese prose read better unbroken
"""A grammar of appeals: titles, descriptions and handling results per category.

Each scenario is a small function that draws its facts (who, where, how much, how long,
what was tried, what is asked) from a seeded random generator and writes them the way a
receptionist or a grid worker would, so that no two descriptions read the same and a
classifier has real vocabulary to learn from. Place names are the county's own townships
and villages; people and companies are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from fengqiao.demo.people import SURNAMES, Person, person

CN_DIGITS = "零一二三四五六七八九十"

STREETS = [
    "梦泽大道",
    "城中路",
    "曲阳路",
    "建设路",
    "解放路",
    "人民路",
    "东环路",
    "西环路",
    "南环路",
    "北环路",
    "黄香大道",
    "楚王城路",
    "府河路",
    "新城大道",
]
ESTATES = [
    "梦泽家园",
    "曲阳花园",
    "云台雅苑",
    "东湖名居",
    "金色华庭",
    "滨河湾",
    "楚城御苑",
    "桂花园",
    "阳光新城",
    "府河人家",
    "锦绣江南",
    "幸福里",
]
BRANDS = [
    "鑫达",
    "宏远",
    "恒泰",
    "楚天",
    "梦泽",
    "华兴",
    "金桥",
    "顺发",
    "联创",
    "鼎盛",
    "永盛",
    "嘉禾",
    "瑞丰",
    "泰和",
    "广源",
    "兴旺",
    "盛世",
    "长江",
    "汉鑫",
    "德润",
]


@dataclass
class Place:
    township: str  # 城关镇
    village: str  # 朝阳社区 / 大周村
    is_community: bool
    address: str
    group: int = 1  # 村民小组 (villages) of the applicant's home


@dataclass
class Story:
    category: str
    title: str
    description: str
    result: str
    respondent: str = ""
    respondent_is_org: bool = False
    people_count: int = 1
    threat: bool = False
    amount: int = 0
    answerable: bool = False  # may be answered on the spot (咨询类)
    mediable: bool = False  # suits first-line mediation
    others: list[str] = field(default_factory=list)  # further named parties (group cases)


def cn_num(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def yuan(n: int) -> str:
    if n >= 10000:
        wan = n / 10000
        return f"{wan:.1f}万元".replace(".0万", "万") if wan < 100 else f"{round(wan)}万元"
    return f"{n}元"


class G:
    """The random choices one story draws from."""

    def __init__(self, rng: random.Random, place: Place, applicant: Person, day: dt.date):
        self.r = rng
        self.place = place
        self.applicant = applicant
        self.day = day
        self.threat = False

    def pick(self, options):
        return self.r.choice(options)

    def maybe(self, p: float, text: str, otherwise: str = "") -> str:
        return text if self.r.random() < p else otherwise

    def money(self, lo: int, hi: int, step: int = 100) -> int:
        return self.r.randrange(lo // step, hi // step + 1) * step

    def mou(self) -> str:
        return self.r.choice(SURNAMES) + self.pick(["某", "某某", "某"])

    def name(self, **kw) -> str:
        return person(self.r, self.day, **kw).name

    def company(self, industry: str) -> str:
        return f"云梦县{self.pick(BRANDS)}{industry}有限公司"

    def months(self) -> str:
        return self.pick(
            ["两个多月", "三个月", "近半年", "半年多", "一年多", "两年", "三四个月", "大半年"]
        )

    def since(self) -> str:
        m = self.day.month
        prev = (self.day.replace(day=1) - dt.timedelta(days=1)).month
        return self.pick(
            [
                f"{m}月初",
                f"本月{self.r.randint(1, max(1, self.day.day))}日",
                "上个月中旬",
                f"{prev}月底",
                "前几天",
                "上周",
                f"{prev}月{self.r.randint(1, 28)}日",
                "去年年底",
            ]
        )

    def resident(self) -> str:
        return "居民" if self.place.is_community else "村民"

    def village_home(self) -> str:
        p = self.place
        if p.is_community:
            return f"{p.village}{self.pick(ESTATES)}"
        return f"{p.village}{cn_num(p.group)}组"

    def tried(self, *extra: str) -> str:
        options = [
            "此前已找村委会调解过两次，没有结果。",
            "双方多次协商未果。",
            "曾找对方当面沟通，对方态度强硬。",
            "已向村（社区）干部反映，至今没有答复。",
            "打过12345热线，被告知由属地处理。",
            "之前报过警，民警到场劝解后暂时平息，但矛盾没有解决。",
            "找过镇里相关部门，说不归他们管。",
            "",
            "",
            *extra,
        ]
        return self.pick(options)

    def urgency(self, p: float = 0.12) -> str:
        if self.r.random() >= p:
            return ""
        self.threat = True
        return self.pick(
            [
                "当事人情绪激动，扬言再不解决就到县里、市里上访。",
                "申请人称“不解决就不活了”，情绪低落，需重点关注。",
                "对方多次言语威胁，称要“找人收拾”他家，申请人担心人身安全。",
                "双方曾发生推搡，有进一步激化的可能。",
                "申请人表示如果没人管就带家人去县政府门口讨说法。",
                "当事人说已经走投无路，要“拼个鱼死网破”。",
            ]
        )


def opening(g: G, channel: str) -> str:
    a = g.applicant.name
    home = g.place.village
    return {
        "window": g.pick(
            [
                f"{a}（{home}居民）来中心反映：",
                f"来访人{a}称：",
                f"{home}{'居民' if g.place.is_community else '村民'}{a}到窗口反映，",
                f"{a}来访，",
            ]
        ),
        "phone": g.pick([f"{a}来电反映：", f"群众{a}来电称，", f"{home}{a}打电话反映，"]),
        "letter": g.pick([f"{a}来信反映：", f"收到{home}{a}的来信，信中称："]),
        "web": g.pick(["网上留言：", f"群众{a}通过网上平台反映：", "网民留言称，"]),
        "qr": g.pick(["群众扫码提交：", f"{a}通过扫码登记反映，"]),
        "grid": g.pick(
            [
                f"网格员走访{home}时发现，",
                f"网格员上报：{home}居民{a}反映，",
                "网格员巡查中了解到，",
            ]
        ),
        "transfer_110": g.pick(["110警情转办：报警人称，", f"110转来警情，{a}报警称，"]),
        "transfer_12345": g.pick(["12345热线工单：市民反映，", f"12345转办：{a}来电反映，"]),
        "transfer_court": g.pick(["县法院诉前委派调解：", "法院立案前委派："]),
        "api": "系统推送：",
    }.get(channel, "")


Scenario = Callable[[G], Story]


# ---- 矛盾纠纷 ----------------------------------------------------------------------------


def marriage(g: G) -> Story:
    spouse = g.name(male=not g.applicant.male)
    ex, partner = ("前妻", "妻子") if g.applicant.male else ("前夫", "丈夫")
    years = g.r.randint(2, 30)
    kids = g.pick(["一个孩子", "两个孩子", "一儿一女", "一个正在上初中的女儿", "没有小孩"])
    issue = g.pick(
        [
            (
                "离婚后子女抚养费不给付",
                f"与{ex}{spouse}离婚已{g.months()}，对方答应每月支付抚养费"
                f"{g.money(600, 2000)}元，但至今已拖欠{g.r.randint(3, 14)}个月。",
                "要求对方按约定补齐抚养费",
            ),
            (
                "夫妻感情破裂闹离婚",
                f"与{partner}{spouse}结婚{years}年，有{kids}。近来对方{g.pick(['沉迷赌博', '常年在外打工不回家', '酗酒后摔东西', '与他人关系暧昧'])}，"
                "双方经常争吵。",
                "希望先调解看能否挽回，调解不成再考虑起诉离婚",
            ),
            (
                "家庭暴力",
                f"{partner}{spouse}{g.pick(['酒后', '因琐事', '因打牌输钱'])}多次动手打人，最近一次造成"
                f"{g.pick(['脸部淤青', '手臂骨折', '头部受伤缝了三针'])}。",
                "请求妇联和派出所介入，申请人身安全保护令",
            ),
            (
                "老人赡养",
                f"{g.pick(['母亲', '父亲', '婆婆', '岳父'])}今年{g.r.randint(72, 89)}岁，老伴去世后独自生活，{g.r.randint(2, 5)}个子女互相推诿，"
                f"谁也不愿意接老人同住，每月的赡养费{g.money(200, 600, 50)}元也经常不给。",
                "要求子女按月支付赡养费并轮流照顾",
            ),
            (
                "彩礼返还",
                f"儿子与{spouse}订婚时给了彩礼{yuan(g.money(58000, 188000, 1000))}，"
                f"后来女方提出解除婚约，拒不退还彩礼。",
                "要求返还彩礼",
            ),
            (
                "分家析产",
                f"父母去世后留下{g.pick(['两层楼房一栋', '三间平房和一块菜地', '一套县城住房'])}，"
                f"兄弟姐妹{g.r.randint(3, 6)}人对如何分配意见不一，大哥{g.mou()}一直占着不让分。",
                "请求依法调解分割遗产",
            ),
        ]
    )
    kind, facts, ask = issue
    home = g.village_home()
    title = g.pick(
        [
            f"{g.place.village}{g.applicant.name[0]}某{kind}",
            f"{kind}纠纷（{home}）",
            f"反映{kind}问题",
        ]
    )
    if kind == "家庭暴力":
        g.threat = True
    desc = (
        facts
        + g.tried("找过村妇女主任调解，对方当面答应，过后又反悔。")
        + f"{ask}。"
        + g.urgency(0.1)
    )
    result = g.pick(
        [
            f"经调解，双方达成协议：{g.pick(['对方于本月底前一次性支付', '分三期支付'])}相关款项，已签订调解协议书。",
            "经妇联、司法所联合调解，双方同意冷静期内分居，由村调委会跟踪回访。",
            "已告知当事人可向县法院起诉，并协助申请法律援助。",
            "调解成功，子女签订赡养协议，明确每人每月赡养费及轮流照顾时间。",
        ]
    )
    return Story(
        "dispute.marriage", title, desc, result, respondent=spouse, mediable=True, threat=g.threat
    )


def neighbor(g: G) -> Story:
    other = g.mou()
    home = g.village_home()
    thing, facts = g.pick(
        [
            (
                "排水沟堵塞",
                f"邻居{other}在屋后堆放{g.pick(['建筑垃圾', '柴草', '砖块'])}，把排水沟堵死，一下雨污水就倒灌进自家厨房。",
            ),
            (
                "滴水檐",
                f"邻居{other}新建房屋的屋檐伸到自家院子上方约{g.r.randint(30, 90)}厘米，雨水直接落在院子里。",
            ),
            (
                "噪音扰民",
                f"楼上住户{other}{g.pick(['每天深夜拖动桌椅', '在家开设麻将馆', '装修一直不停', '养的狗整夜叫'])}，"
                f"已持续{g.months()}，家中老人休息不好。",
            ),
            (
                "通行路",
                f"自家出行唯一的一条路经过{other}家门口，{other}最近用{g.pick(['铁门', '水泥墩', '围栏'])}把路堵了，车子进不去。",
            ),
            (
                "楼上漏水",
                f"楼上{other}家卫生间漏水，导致自家天花板发霉、墙皮脱落，维修费估计{yuan(g.money(2000, 9000))}。",
            ),
            (
                "树木遮挡",
                f"邻居{other}种在交界处的{g.pick(['杨树', '香樟树', '竹子'])}长得太高，遮挡自家采光，树根把墙拱裂了。",
            ),
            (
                "鸡鸭毁菜",
                f"邻居{other}散养的{g.pick(['鸡鸭', '鹅', '羊'])}经常跑进自家菜地，把刚种的{g.pick(['白菜', '辣椒', '油菜'])}吃了一大片。",
            ),
        ]
    )
    title = g.pick(
        [
            f"{home}邻里{thing}纠纷",
            f"{g.place.village}两户{g.resident()}因{thing}发生矛盾",
            f"{g.applicant.name[0]}某与邻居{thing}纠纷",
        ]
    )
    desc = (
        facts
        + g.tried()
        + g.pick(
            [
                "请求调解。",
                "希望村里出面协调。",
                "要求对方停止侵害、恢复原状。",
                "要求对方赔偿损失。",
            ]
        )
        + g.urgency(0.08)
    )
    result = g.pick(
        [
            f"村调委会组织双方现场调解，{other}同意{g.pick(['三日内清理', '拆除障碍物', '承担维修费用一半', '改建排水'])}，双方签字确认。",
            "网格员和调解员上门做工作，双方各退一步，矛盾化解。",
            "经调解达成口头协议，已现场落实，双方满意。",
        ]
    )
    return Story(
        "dispute.neighbor", title, desc, result, respondent=other, mediable=True, threat=g.threat
    )


def housing(g: G) -> Story:
    other = g.mou()
    home = g.village_home()
    thing, facts = g.pick(
        [
            (
                "宅基地界址",
                f"与邻居{other}的宅基地界址不清，对方翻建房屋时往自家这边多占了约{g.r.randint(1, 4)}米，"
                f"双方的{g.pick(['土地证', '宅基地使用证'])}四至描述不一致。",
            ),
            (
                "房屋买卖",
                f"{g.r.randint(2005, 2020)}年花{yuan(g.money(30000, 150000, 1000))}买了{other}在{home}的旧房，"
                "当时只写了收条，现在对方子女要求收回房子。",
            ),
            (
                "建房纠纷",
                f"自家按审批建房，邻居{other}以影响风水为由阻拦施工，已停工{g.r.randint(5, 40)}天，工人工资每天照付。",
            ),
            (
                "祖屋继承",
                f"祖上留下的老宅由叔叔{other}一家居住，现在老宅要翻建，双方对房屋归属有争议。",
            ),
        ]
    )
    title = g.pick(
        [
            f"{home}{thing}纠纷",
            f"反映{thing}争议",
            f"{g.place.village}{g.applicant.name[0]}、{other[0]}两家{thing}纠纷",
        ]
    )
    desc = (
        facts
        + g.tried("自然资源所来量过一次，但没有出书面结论。")
        + g.pick(["请求确认界址。", "请求依法处理。", "希望政府主持公道。"])
        + g.urgency(0.1)
    )
    result = g.pick(
        [
            "自然资源所会同村委会现场勘测，依据原始审批资料重新确定界址，双方认可。",
            "经调解，双方同意按原审批面积建房，多占部分拆除。",
            "已告知当事人通过确权或诉讼途径解决，并提供相关法律指引。",
        ]
    )
    return Story(
        "dispute.housing", title, desc, result, respondent=other, mediable=True, threat=g.threat
    )


def contract(g: G) -> Story:
    other = g.mou()
    amount = g.money(5000, 300000, 500)
    thing, facts = g.pick(
        [
            (
                "借款",
                f"{g.r.randint(2019, 2025)}年借给{other}{yuan(amount)}，有借条，约定一年归还，到期后对方一直推脱。",
            ),
            (
                "装修合同",
                f"请{other}的装修队装修房子，合同价{yuan(amount)}，已付七成，但工程质量差、墙面开裂，对方拒绝返工。",
            ),
            (
                "土地流转租金",
                f"把{g.r.randint(5, 60)}亩承包地流转给{g.company('农业开发')}种植，每年租金{yuan(amount)}，已拖欠{g.r.randint(1, 3)}年。",
            ),
            (
                "购车合同",
                f"在{g.pick(['县城', '孝感'])}一家二手车行花{yuan(amount)}买车，事后发现是事故车，车行不认账。",
            ),
            (
                "承包鱼塘",
                f"承包村里{g.r.randint(10, 80)}亩鱼塘，合同还有{g.r.randint(2, 6)}年，村里要提前收回另行发包，只愿补偿{yuan(amount // 4)}。",
            ),
        ]
    )
    title = g.pick([f"{thing}纠纷", f"{g.applicant.name[0]}某与{other}{thing}纠纷", f"追讨{thing}"])
    desc = (
        facts
        + g.tried("多次电话催要，对方总说再等等。")
        + g.pick(["请求调解。", f"要求对方返还{yuan(amount)}。", "要求对方按合同履行。"])
        + g.urgency(0.06)
    )
    result = g.pick(
        [
            f"经调解，对方承认欠款，同意{g.pick(['分期', '两个月内', '年底前'])}还清，已签订调解协议并申请司法确认。",
            "调解不成，已引导当事人向县法院起诉，司法所协助准备材料。",
            "双方达成协议，由对方返工并减免部分款项。",
        ]
    )
    return Story(
        "dispute.contract",
        title,
        desc,
        result,
        respondent=other,
        amount=amount,
        mediable=True,
        threat=g.threat,
    )


def business(g: G) -> Story:
    company = g.company(g.pick(["塑料制品", "食品", "物流", "建材", "纺织"]))
    amount = g.money(20000, 500000, 1000)
    thing, facts = g.pick(
        [
            (
                "货款",
                f"给{company}供应{g.pick(['原材料', '包装箱', '编织袋', '水产'])}，累计货款{yuan(amount)}未结清，对方以资金紧张为由拖延。",
            ),
            (
                "合伙经营",
                f"与{g.mou()}合伙开{g.pick(['养猪场', '农家乐', '超市', '汽修店'])}，投资{yuan(amount)}，现在散伙对账对不上。",
            ),
            (
                "摊位经营",
                f"在{g.place.township}农贸市场租的摊位被市场管理方{g.mou()}收回，押金{yuan(g.money(2000, 10000))}不退。",
            ),
        ]
    )
    title = g.pick(
        [
            f"{thing}纠纷",
            f"{g.place.township}{thing}纠纷",
            f"反映{company}拖欠{thing}" if thing == "货款" else f"{thing}纠纷调解申请",
        ]
    )
    desc = facts + g.tried() + g.pick(["请求协调。", "希望尽快结清。", "请求依法处理。"])
    result = g.pick(
        [
            "经调解，双方核对账目后确认欠款数额，约定分期付清。",
            "已组织双方对账，达成和解。",
            "引导当事人申请仲裁或诉讼。",
        ]
    )
    return Story(
        "dispute.business",
        title,
        desc,
        result,
        respondent=company,
        respondent_is_org=True,
        amount=amount,
        mediable=True,
    )


def damages(g: G) -> Story:
    other = g.mou()
    amount = g.money(1000, 80000)
    thing, facts = g.pick(
        [
            (
                "狗咬伤",
                f"被{other}家的狗咬伤{g.pick(['小腿', '手臂', '孩子的脸部'])}，打狂犬疫苗和治疗花了{yuan(amount)}。",
            ),
            ("打架受伤", f"与{other}因琐事发生口角后被打伤，鉴定为轻微伤，医药费{yuan(amount)}。"),
            (
                "农药飘散",
                f"{other}给稻田打除草剂时药水飘到自家{g.r.randint(2, 10)}亩{g.pick(['棉花', '瓜苗', '秧苗'])}上，大面积枯死。",
            ),
            ("房屋受损", f"{other}挖地基时把自家墙体震裂，估计损失{yuan(amount)}。"),
        ]
    )
    title = g.pick(
        [
            f"{thing}赔偿纠纷",
            f"{g.place.village}{thing}引发赔偿纠纷",
            f"{g.applicant.name[0]}某{thing}索赔",
        ]
    )
    desc = facts + g.tried("对方只愿意赔一半。") + f"要求赔偿{yuan(amount)}。" + g.urgency(0.08)
    result = g.pick(
        [
            f"经调解，{other}一次性赔偿{yuan(amount * g.r.randint(5, 9) // 10)}，双方签字了结。",
            "调解成功，对方赔偿损失并赔礼道歉。",
            "双方差距较大，已引导通过诉讼解决。",
        ]
    )
    return Story(
        "dispute.damages",
        title,
        desc,
        result,
        respondent=other,
        amount=amount,
        mediable=True,
        threat=g.threat,
    )


def land(g: G) -> Story:
    other = g.mou()
    thing, facts = g.pick(
        [
            (
                "承包地边界",
                f"自家承包地与{other}家的田埂被对方逐年往这边挖，{g.r.randint(2, 8)}年来少了将近{g.r.randint(1, 3)}分地。",
            ),
            (
                "山林权属",
                f"{g.place.village}后山一片约{g.r.randint(10, 80)}亩的林地，两个组都说是自己的，{other}带人砍了{g.r.randint(20, 200)}棵树。",
            ),
            (
                "灌溉用水",
                f"今年{g.pick(['抗旱', '插秧'])}时{other}把渠道截流，下游{g.r.randint(8, 40)}户的稻田灌不上水。",
            ),
            (
                "土地确权",
                f"确权颁证时自家{g.r.randint(1, 6)}亩承包地被登记到{other}名下，找村里更正一直没办。",
            ),
        ]
    )
    people = g.r.choice([1, 1, 1, 3, 8, 15]) if thing != "灌溉用水" else g.r.randint(8, 40)
    title = g.pick(
        [f"{g.place.village}{thing}纠纷", f"{thing}争议（{g.place.township}）", f"反映{thing}问题"]
    )
    desc = (
        facts
        + g.tried("镇农业服务中心说要等村里出证明。")
        + g.pick(["请求确权处理。", "请求调处。", "要求恢复原状。"])
        + g.urgency(0.1)
    )
    result = g.pick(
        [
            "经镇农业服务中心、自然资源所现场勘界，按确权图重新划定边界，双方认可。",
            "召集两组组长和老党员调解，明确山林四至，签订协议。",
            "协调水利站统一调度放水，矛盾化解。",
        ]
    )
    return Story(
        "dispute.land",
        title,
        desc,
        result,
        respondent=other,
        people_count=people,
        mediable=True,
        threat=g.threat,
    )


EXPROPRIATION_PROJECTS = [
    "107国道云梦段改扩建工程",
    "城区污水管网改造工程",
    "府河堤防加固工程",
    "城南片区棚户区改造项目",
    "汉十高铁云梦东站配套道路工程",
]


def expropriation(g: G, project: str | None = None) -> Story:
    project = project or g.pick(EXPROPRIATION_PROJECTS)
    households = g.r.choice([1, 1, 1, 2, 5, 12, 30])
    thing, facts = g.pick(
        [
            (
                "补偿标准",
                f"{project}征收自家房屋约{g.r.randint(120, 380)}平方米，评估价每平方米{g.money(900, 2600, 50)}元，明显低于周边同类房屋。",
            ),
            (
                "青苗补偿",
                f"{project}征用{g.place.village}耕地，自家{g.r.randint(1, 8)}亩地上的{g.pick(['苗木', '莲藕', '稻谷', '蔬菜大棚'])}没有按标准补偿。",
            ),
            (
                "安置房",
                f"{project}拆迁后说好{g.r.randint(1, 3)}年内交安置房，现在已过期{g.r.randint(3, 20)}个月，过渡费也停发了。",
            ),
            (
                "补偿款分配",
                f"{project}的土地补偿款{yuan(g.money(200000, 3000000, 10000))}由村组统一管理，村民对分配方案有意见，外嫁女没分到。",
            ),
        ]
    )
    title = g.pick(
        [
            f"{project}{thing}问题",
            f"{g.place.village}{g.resident()}反映{thing}不合理",
            f"征地拆迁{thing}纠纷（{g.place.township}）",
        ]
    )
    if households >= 5:
        title = f"{g.place.village}{households}户{g.resident()}反映{project}{thing}问题"
    desc = (
        facts
        + g.tried("找过指挥部，答复说按政策办。")
        + g.pick(["要求重新评估。", "要求按标准补偿到位。", "请求公开补偿明细。"])
        + g.urgency(0.2 if households >= 5 else 0.1)
    )
    result = g.pick(
        [
            "县征收办会同镇政府逐户核对评估结果，对漏评部分补充评估，已补发补偿款。",
            "已公开补偿分配方案，村组重新召开村民代表大会表决，外嫁女按政策纳入分配。",
            "协调项目指挥部恢复发放过渡费，并书面承诺安置房交付时间。",
        ]
    )
    return Story(
        "dispute.expropriation",
        title,
        desc,
        result,
        respondent=f"{project}指挥部",
        respondent_is_org=True,
        people_count=max(1, households * g.r.randint(2, 4)),
        threat=g.threat,
    )


def pollution(g: G) -> Story:
    company = g.company(g.pick(["塑料制品", "化工", "石材加工", "养殖", "皮具"]))
    thing, facts = g.pick(
        [
            (
                "废水直排",
                f"{company}夜间向{g.pick(['府河', '村里的沟渠', '门口的池塘'])}排放废水，水面发黑发臭，{g.pick(['鱼大量死亡', '灌溉的稻田受影响'])}。",
            ),
            (
                "粉尘噪音",
                f"{company}距离居民区不到{g.r.randint(50, 300)}米，粉尘大、机器轰鸣到半夜。",
            ),
        ]
    )
    if g.r.random() < 0.3:
        farm = g.pick(["养猪场", "养鸡场", "垃圾中转站"])
        company = (
            f"{g.place.village}{g.mou()}{farm}"
            if farm != "垃圾中转站"
            else f"{g.place.township}垃圾中转站"
        )
        thing, facts = "异味", f"{company}臭味熏天，夏天窗户都不敢开，苍蝇蚊子多。"
    people = g.r.choice([1, 3, 10, 25, 60])
    title = g.pick(
        [
            f"{g.place.village}{g.resident()}反映{thing}污染",
            f"{company}{thing}扰民",
            f"{thing}污染纠纷",
        ]
    )
    desc = (
        facts
        + g.tried("环保部门来过一次，之后照旧。")
        + g.pick(["要求停产整改。", "要求赔偿损失。", "请求环保部门查处。"])
        + g.urgency(0.08)
    )
    result = g.pick(
        [
            "生态环境分局现场检查，责令企业停产整改，加装污水处理设施，并赔偿养殖户损失。",
            "已立案查处，企业完成整改，经监测达标。",
            "协调企业调整生产时间并加装隔音设施，居民认可。",
        ]
    )
    return Story(
        "dispute.pollution",
        title,
        desc,
        result,
        respondent=company,
        respondent_is_org=True,
        people_count=people,
        threat=g.threat,
    )


CONSTRUCTION_SITES = [
    "梦泽华府二期",
    "曲阳学校新校区",
    "城南安置小区",
    "开发区标准化厂房",
    "县人民医院门诊楼",
]


def labor(g: G, site: str | None = None, company: str | None = None) -> Story:
    workers = g.r.choice([1, 1, 1, 1, 3, 6, 12, 25, 40])
    amount = g.money(3000, 60000) * (workers if workers > 1 else 1)
    if site or g.r.random() < 0.35:
        site = site or g.pick(CONSTRUCTION_SITES)
        company = company or g.company("建筑工程")
        boss = g.mou()
        facts = (
            f"在{company}承建的{site}项目做{g.pick(['木工', '钢筋工', '泥瓦工', '水电工', '小工'])}，"
            f"包工头{boss}拖欠{'' if workers == 1 else f'{workers}名工友共计'}工资{yuan(amount)}。"
        )
        title = g.pick(
            [
                f"{site}项目拖欠农民工工资",
                f"{workers}名农民工讨要{site}工程欠薪" if workers > 1 else f"讨要{site}工地工资",
                f"反映{company}欠薪",
            ]
        )
    else:
        company = company or g.company(g.pick(["塑料制品", "纺织", "食品", "物流", "电子"]))
        kind = g.pick(["拖欠工资", "解除劳动合同不给补偿", "工伤待遇", "未签劳动合同", "不缴社保"])
        facts = {
            "拖欠工资": f"在{company}上班，已有{g.r.randint(2, 6)}个月没发工资，共{yuan(amount)}。",
            "解除劳动合同不给补偿": f"在{company}工作{g.r.randint(3, 15)}年，公司突然通知解除劳动合同，拒绝支付经济补偿。",
            "工伤待遇": f"在{company}上班时{g.pick(['被机器轧伤手指', '从货架上摔下', '被叉车撞伤'])}，公司只付了部分医药费，不愿申报工伤。",
            "未签劳动合同": f"在{company}干了{g.r.randint(1, 4)}年没有签劳动合同，现在被辞退，要求双倍工资。",
            "不缴社保": f"{company}入职时说包社保，工作{g.r.randint(2, 8)}年后才发现一直没缴。",
        }[kind]
        title = g.pick(
            [f"{company}{kind}", f"劳动争议：{kind}", f"{g.applicant.name[0]}某反映{kind}"]
        )
    spring = g.day.month in (1, 2) or (g.day.month == 12 and g.day.day > 15)
    tail = (
        g.pick(["眼看要过年了，家里等着这笔钱。", "快过年了，工人们都等着拿钱回家。"])
        if spring
        else ""
    )
    desc = (
        facts
        + tail
        + g.tried("找过劳动监察大队，说要走程序。")
        + g.pick(["请求帮助讨薪。", "要求尽快支付。", "请求依法维权。"])
        + g.urgency(0.18 if workers > 5 else 0.08)
    )
    result = g.pick(
        [
            "人社局劳动监察大队约谈项目方，责令限期支付，欠薪已全部发放到位。",
            "经调解，公司同意支付经济补偿，已签订协议。",
            "已依法立案，指导当事人申请劳动仲裁，并提供法律援助。",
            "协调总包单位从工程款中垫付农民工工资，已发放。",
        ]
    )
    return Story(
        "dispute.labor",
        title,
        desc,
        result,
        respondent=company or "",
        respondent_is_org=True,
        people_count=workers,
        amount=amount,
        threat=g.threat,
    )


def medical(g: G) -> Story:
    hospital = g.pick(
        [
            "县人民医院",
            "县中医医院",
            f"{g.place.township}卫生院",
            f"{g.place.village}卫生室",
            "县妇幼保健院",
        ]
    )
    relation = g.pick(["母亲", "父亲", "妻子", "孩子", "本人"])
    facts = g.pick(
        [
            f"{relation}在{hospital}做{g.pick(['阑尾手术', '剖宫产', '胆囊手术', '骨折内固定手术'])}后出现{g.pick(['感染', '大出血', '神经损伤'])}，认为医院处置不当。",
            f"{relation}在{hospital}输液后突发{g.pick(['过敏', '心脏骤停', '呼吸困难'])}，抢救无效死亡，家属要求说法。",
            f"在{hospital}看病被{g.pick(['误诊', '漏诊'])}，耽误了治疗，后来在武汉确诊为{g.pick(['肺癌', '心梗', '阑尾穿孔'])}。",
        ]
    )
    amount = g.money(20000, 600000, 1000)
    title = g.pick(
        [f"{hospital}医疗纠纷", f"反映{hospital}医疗事故", f"患者家属与{hospital}医疗纠纷"]
    )
    desc = (
        facts + g.tried("医院只同意退部分医疗费。") + f"要求赔偿{yuan(amount)}。" + g.urgency(0.2)
    )
    result = g.pick(
        [
            "经县医疗纠纷人民调解委员会调解，医院一次性补偿，双方签订协议。",
            "已委托医疗损害鉴定，根据鉴定结论调解，双方接受。",
            "告知家属申请医学会鉴定或诉讼的途径，卫健局督促医院做好沟通。",
        ]
    )
    return Story(
        "dispute.medical",
        title,
        desc,
        result,
        respondent=hospital,
        respondent_is_org=True,
        amount=amount,
        people_count=g.r.choice([1, 2, 4, 8]),
        threat=g.threat,
    )


def traffic(g: G) -> Story:
    other = g.mou()
    road = g.pick(
        ["107国道", "316国道", "云梦至应城公路", "孝汉大道", f"{g.place.township}街道", "村道"]
    )
    vehicle = g.pick(["电动车", "摩托车", "三轮车", "小轿车"])
    injury = g.pick(["腿部骨折", "头部受伤住院", "多处擦伤", "车辆受损"])
    amount = g.money(3000, 150000)
    facts = f"{g.since()}在{road}上骑{vehicle}时与{other}驾驶的{g.pick(['货车', '小轿车', '农用车'])}相撞，造成{injury}。交警认定对方{g.pick(['负全责', '负主要责任', '负同等责任'])}。"
    title = g.pick(
        [
            f"{road}交通事故赔偿纠纷",
            f"{vehicle}与机动车相撞赔偿纠纷",
            f"交通事故后续赔偿（{g.place.township}）",
        ]
    )
    desc = (
        facts
        + g.pick(
            [
                "对方垫付了部分医疗费后就不管了。",
                "对方保险公司迟迟不理赔。",
                "对方是无证驾驶，没有保险。",
            ]
        )
        + f"要求赔偿医疗费、误工费等{yuan(amount)}。"
    )
    result = g.pick(
        [
            "交警大队调解，对方及保险公司赔偿到位。",
            "经道交纠纷调解室调解达成协议，并申请司法确认。",
            "调解未成，已引导当事人诉讼，法律援助中心提供帮助。",
        ]
    )
    return Story(
        "dispute.traffic", title, desc, result, respondent=other, amount=amount, mediable=True
    )


def property_mgmt(g: G) -> Story:
    estate = g.pick(ESTATES)
    company = g.company("物业服务")
    households = g.r.choice([1, 1, 20, 50, 120])
    thing, facts = g.pick(
        [
            (
                "电梯故障",
                f"{estate}{g.r.randint(1, 12)}栋电梯{g.months()}坏了{g.r.randint(3, 9)}次，有人被困，物业只是简单修一下。",
            ),
            (
                "物业费",
                f"{company}未经业主大会同意把物业费从每平方米{g.money(50, 90, 5) / 100:.2f}元涨到{g.money(95, 150, 5) / 100:.2f}元，不交就停水卡。",
            ),
            ("维修基金", f"{estate}外墙渗水，申请动用维修基金，{company}一直不办。"),
            ("车位", f"{estate}开发商把公共绿地改成车位出售，业主不同意。"),
            ("停水停电", f"{company}与开发商闹矛盾，{estate}已停水{g.r.randint(2, 6)}天。"),
        ]
    )
    title = g.pick([f"{estate}业主反映{thing}问题", f"{thing}物业纠纷", f"{estate}小区{thing}"])
    desc = (
        facts
        + g.tried("找过社区，社区说物业不归他们管。")
        + g.pick(["请求住建部门督促整改。", "要求物业履行职责。", "要求更换物业公司。"])
        + g.urgency(0.08)
    )
    result = g.pick(
        [
            "住建局约谈物业公司，限期修复，社区跟踪落实。",
            "社区组织业主代表与物业协商，暂缓调价并公示收支。",
            "已督促物业维修到位，业主确认。",
        ]
    )
    return Story(
        "dispute.property",
        title,
        desc,
        result,
        respondent=company,
        respondent_is_org=True,
        people_count=households,
        mediable=True,
        threat=g.threat,
    )


def consumer(g: G) -> Story:
    shop = g.pick(
        [
            f"县城{g.pick(STREETS)}一家{g.pick(['手机店', '家电城', '健身房', '理发店', '培训机构', '家具店'])}",
            f"{g.place.township}一家{g.pick(['超市', '农资店', '建材店'])}",
        ]
    )
    amount = g.money(200, 30000, 50)
    facts = g.pick(
        [
            f"在{shop}办了{yuan(amount)}的预付卡，没用几次店就关门了，老板联系不上。",
            f"在{shop}买的{g.pick(['冰箱', '空调', '手机', '沙发'])}用了不到一个月就坏了，商家拒绝退换。",
            f"在{shop}买到过期{g.pick(['奶粉', '饮料', '食品'])}，孩子吃了拉肚子。",
        ]
    )
    title = g.pick(["消费纠纷", f"反映{shop}拒绝退款", "预付卡消费维权", "商品质量消费纠纷"])
    desc = (
        facts
        + g.tried("打过12315。")
        + g.pick(["要求退款。", "要求退一赔三。", "请求市场监管部门查处。"])
    )
    result = g.pick(
        [
            "市场监管局调解，商家退款并赔偿。",
            "经调解商家同意换货。",
            "商家已失联，已移交公安机关调查。",
        ]
    )
    return Story(
        "dispute.consumer",
        title,
        desc,
        result,
        respondent=shop,
        respondent_is_org=True,
        amount=amount,
        mediable=True,
    )


# ---- 治安、隐患、咨询、信访、民生 ----------------------------------------------------------


def security(g: G) -> Story:
    code, thing, facts = g.pick(
        [
            (
                "security.order",
                "深夜聚众滋事",
                f"{g.place.township}{g.pick(STREETS)}一家烧烤摊每晚有人喝酒划拳到凌晨，{g.since()}还发生了斗殴。",
            ),
            (
                "security.order",
                "酒后闹事",
                f"{g.mou()}经常酒后在{g.village_home()}骂街、砸东西，{g.resident()}都很怕他。",
            ),
            (
                "security.order",
                "盗窃",
                f"{g.place.village}最近一个月有{g.r.randint(3, 9)}户被偷了{g.pick(['电动车', '电缆', '农机具', '鸡鸭'])}。",
            ),
            (
                "security.fraud",
                "电信诈骗",
                f"接到自称{g.pick(['公检法', '快递客服', '贷款平台'])}的电话，被骗转账{yuan(g.money(3000, 200000))}。",
            ),
            (
                "security.fraud",
                "非法集资",
                f"{g.place.township}有人以{g.pick(['养老项目', '投资种植基地', '虚拟货币'])}名义吸收存款，许诺月息{g.r.randint(2, 5)}分，现在兑付不了，涉及{g.r.randint(20, 200)}人。",
            ),
            (
                "security.vice",
                "赌博窝点",
                f"{g.village_home()}一处民房每天下午聚集十几人赌博，赌资较大。",
            ),
        ]
    )
    title = g.pick([f"{g.place.village}{thing}问题", f"反映{thing}", f"{thing}线索"])
    people = g.r.randint(20, 200) if thing == "非法集资" else 1
    desc = (
        facts
        + g.pick(["请求公安机关依法处理。", "希望派出所加强巡逻。", "请求追回损失。"])
        + g.urgency(0.1)
    )
    result = g.pick(
        [
            "派出所已出警处置，依法查处相关人员。",
            "已立案侦查，并加强夜间巡逻。",
            "社区民警上门开展教育，情况已好转。",
        ]
    )
    return Story(
        code, title, desc, result, people_count=people, threat=g.threat or thing == "非法集资"
    )


def hazard(g: G) -> Story:
    code, thing, facts = g.pick(
        [
            (
                "hazard.fire",
                "电动车楼道充电",
                f"{g.pick(ESTATES)}{g.r.randint(1, 15)}栋楼道里天天有人拉飞线给电动车充电，堆满杂物。",
            ),
            (
                "hazard.fire",
                "消防通道堵塞",
                f"{g.place.township}{g.pick(STREETS)}一带的消防通道被商户长期占用。",
            ),
            (
                "hazard.building",
                "危房",
                f"{g.village_home()}一栋老房子墙体开裂倾斜，紧挨着上学的路。",
            ),
            (
                "hazard.road",
                "道路隐患",
                f"{g.place.village}村口{g.pick(['急弯处没有护栏', '井盖丢失', '路灯坏了一个多月', '桥面塌陷'])}，晚上很危险。",
            ),
            (
                "hazard.food",
                "无证食品作坊",
                f"{g.place.township}学校附近有无证小作坊生产辣条、卤菜，卫生条件很差。",
            ),
            (
                "hazard.production",
                "违规储存",
                f"{g.village_home()}有人在民房里储存{g.pick(['液化气罐', '烟花爆竹', '汽油'])}，周边都是住户。",
            ),
        ]
    )
    title = g.pick(
        [f"{g.place.village}{thing}隐患", f"反映{thing}安全隐患", f"{thing}（{g.place.township}）"]
    )
    desc = facts + g.pick(
        ["担心出事，请尽快处理。", "请相关部门排查整改。", "已经有人差点出事了。"]
    )
    result = g.pick(
        [
            "已现场排查，责令限期整改并复查合格。",
            "已设置警示标志并完成修复。",
            "联合执法取缔，相关物品已清理。",
        ]
    )
    return Story(code, title, desc, result)


def legal(g: G) -> Story:
    code, thing, question = g.pick(
        [
            (
                "legal.consult",
                "遗产继承",
                f"父亲去世没有留遗嘱，{g.pick(['再婚的继母', '出嫁的姐姐', '在外地的哥哥'])}能不能分房子？",
            ),
            (
                "legal.consult",
                "借条效力",
                f"{g.r.randint(2015, 2022)}年的借条没写还款日期，现在还能不能要回来？",
            ),
            ("legal.consult", "离婚财产分割", "婚前父母出资买的房子，离婚时怎么分？"),
            ("legal.consult", "工伤认定", "在工地受伤，老板不给交社保，能不能认定工伤？"),
            ("legal.consult", "土地流转", "村里要把承包地统一流转，不同意能不能不签？"),
            ("legal.consult", "租房押金", f"房东不退{yuan(g.money(500, 3000))}押金，该怎么维权？"),
            (
                "legal.aid",
                "法律援助",
                f"{g.pick(['残疾人', '低保户', '农民工'])}，被{g.pick(['工地老板欠薪', '交通事故对方推诿', '家暴'])}，请不起律师，申请法律援助。",
            ),
        ]
    )
    title = (
        g.pick([f"咨询{thing}问题", f"{thing}法律咨询", f"{thing}相关法律问题"])
        if code == "legal.consult"
        else f"申请法律援助（{g.pick(['欠薪', '交通事故', '婚姻家庭', '工伤'])}）"
    )
    desc = question + g.pick(
        ["", "想了解法律上怎么规定。", "需要准备哪些材料？", "请律师给个意见。"]
    )
    result = g.pick(
        [
            "值班律师已当面解答，告知相关法律规定及维权途径。",
            "已电话答复，并提供司法所联系方式。",
            "符合法律援助条件，已指派律师。",
        ]
    )
    return Story(code, title, desc, result, answerable=True)


def petition(g: G) -> Story:
    thing, facts = g.pick(
        [
            (
                "村务公开",
                f"{g.place.village}近{g.r.randint(2, 5)}年的账目不公开，{g.pick(['修路款', '土地补偿款', '集体鱼塘承包款'])}去向不明。",
            ),
            (
                "低保评定",
                f"{g.place.village}低保评定不公，{g.pick(['村干部亲属', '有车有房的人'])}吃低保，真正困难的人没评上。",
            ),
            (
                "历史遗留",
                f"{g.r.randint(1985, 2005)}年{g.pick(['企业改制时被买断工龄', '民办教师清退', '水库移民'])}，相关待遇一直没有落实。",
            ),
            ("退役军人待遇", "退役军人优抚待遇没有按规定落实，多次反映没有结果。"),
            (
                "办事推诿",
                f"在{g.pick(['镇便民服务中心', '不动产登记中心', '社保窗口'])}办事跑了{g.r.randint(3, 8)}趟还没办成。",
            ),
        ]
    )
    title = g.pick([f"反映{thing}问题", f"{g.place.village}群众反映{thing}", f"信访：{thing}"])
    desc = (
        facts
        + g.pick(["曾多次信访，对答复不满意。", "请求依法处理。", "要求给个明确答复。"])
        + g.urgency(0.2)
    )
    result = g.pick(
        [
            "已依法受理并作出书面答复意见，告知复查途径。",
            "经调查核实，责令村委会公开账目，已张榜公示。",
            "经复核，符合条件的已纳入保障范围。",
        ]
    )
    return Story(
        "petition.general",
        title,
        desc,
        result,
        people_count=g.r.choice([1, 1, 3, 10]),
        threat=g.threat,
    )


LIVELIHOOD = [
    (
        "livelihood.urban",
        [
            "{v}门前道路破损严重，雨天全是积水",
            "{v}自来水经常停水、水压低",
            "{v}有人违章搭建占用公共通道",
            "{t}{s}路灯长期不亮",
        ],
    ),
    (
        "livelihood.environment",
        ["{v}附近垃圾堆放没人清运", "{t}{s}餐馆油烟直排居民楼", "{v}河道漂满垃圾和死鱼"],
    ),
    (
        "livelihood.transport",
        ["{v}到县城的班车停运", "{t}{s}红绿灯设置不合理经常堵车", "{v}农村公路坑洼需要维修"],
    ),
    (
        "livelihood.education",
        ["孩子在{t}上学校车超载", "{t}中心小学午托收费不透明", "{v}适龄儿童入学学位紧张"],
    ),
    (
        "livelihood.labor",
        ["养老保险关系转移办不下来", "失业保险金申领遇到困难", "城乡居民养老金发放少了"],
    ),
    (
        "livelihood.health",
        ["{v}卫生室长期没有医生", "新农合（医保）异地报销比例有疑问", "{t}卫生院夜间急诊没人值班"],
    ),
    ("livelihood.commerce", ["{t}菜市场缺斤少两", "{t}{s}加油站价格不明码标价"]),
    (
        "livelihood.agriculture",
        ["买到假种子，{v}几十亩水稻不结穗", "{v}灌溉泵站年久失修", "耕地地力保护补贴没有发到位"],
    ),
    (
        "livelihood.civil",
        ["高龄津贴没有按时发放", "{v}残疾人两项补贴申请没有下文", "{t}养老院收费过高、服务差"],
    ),
    ("livelihood.land", ["{v}房屋不动产登记证办了两年没办下来", "宅基地审批手续不清楚怎么办"]),
    ("livelihood.government", ["{t}便民服务中心办事人员态度差", "政务服务网上办事系统经常打不开"]),
]


def livelihood(g: G) -> Story:
    code, pool = g.pick(LIVELIHOOD)
    issue = g.pick(pool).format(v=g.place.village, t=g.place.township, s=g.pick(STREETS))
    title = g.pick([issue, f"反映{issue}", f"关于{issue}的诉求"])
    if len(title) > 40:
        title = issue
    desc = (
        f"{issue}，{g.pick(['已持续', '前后有', '差不多'])}{g.months()}。"
        + g.tried()
        + g.pick(
            ["希望有关部门尽快解决。", "请相关部门给予答复。", "希望能够重视。", "请求协调处理。"]
        )
    )
    result = g.pick(
        [
            "已转相关部门办理，问题已解决并电话答复群众。",
            "经核实已整改到位。",
            "已向群众解释政策，并告知办理流程。",
            "已纳入年度计划，近期实施。",
        ]
    )
    return Story(code, title, desc, result, people_count=g.r.choice([1, 1, 1, 5, 20]))


def other_dispute(g: G) -> Story:
    other = g.mou()
    thing, facts = g.pick(
        [
            ("坟地", f"{other}家在自家承包地旁边修坟，双方因迁坟问题争执不下。"),
            ("宠物", f"{other}家的狗多次追咬路过的小孩，对方不拴养。"),
            ("婚丧事", f"{other}家办丧事在路上搭棚三天，堵住了进出的路，双方吵了起来。"),
        ]
    )
    title = g.pick([f"{thing}引发的纠纷", f"{g.place.village}{thing}纠纷"])
    desc = facts + g.tried() + "请求调解。"
    return Story(
        "dispute.other",
        title,
        desc,
        "经村调委会调解，双方达成谅解。",
        respondent=other,
        mediable=True,
    )


# Scenario weights: how common each is in a county center's intake.
SCENARIOS: list[tuple[Scenario, int]] = [
    (neighbor, 14),
    (marriage, 10),
    (housing, 7),
    (contract, 7),
    (business, 3),
    (damages, 6),
    (land, 6),
    (expropriation, 3),
    (pollution, 3),
    (labor, 9),
    (medical, 2),
    (traffic, 5),
    (property_mgmt, 4),
    (consumer, 3),
    (other_dispute, 2),
    (security, 6),
    (hazard, 5),
    (legal, 8),
    (petition, 4),
    (livelihood, 9),
]


def write(
    rng: random.Random,
    place: Place,
    applicant: Person,
    day: dt.date,
    channel: str,
    scenario: Scenario | None = None,
    **kwargs,
) -> Story:
    """One story for this place, applicant, day and channel."""
    g = G(rng, place, applicant, day)
    if scenario is None:
        scenario = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
    story = scenario(g, **kwargs)
    story.threat = story.threat or g.threat
    prefix = opening(g, channel)
    where = ""
    if rng.random() < 0.5:
        where = f"地点：{place.township}{place.address}。"
    story.description = f"{prefix}{story.description}{where}"
    return story


def person_for(rng: random.Random, day: dt.date, *, elderly: bool = False, minor: bool = False):
    if elderly:
        return person(rng, day, min_age=66, max_age=88)
    if minor:
        return person(rng, day, min_age=12, max_age=17)
    return person(rng, day)
