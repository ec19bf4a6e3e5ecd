"""Defaults loaded by the data migration; admins edit every one of them afterwards.

Rules and base risks are keyed by category code; codes missing from the category tree at
load time are skipped (and picked up by ``load_defaults`` when it runs again)."""

from __future__ import annotations

from django.apps import apps as live_apps

# category code → keywords (separated by spaces)
KEYWORD_RULES: dict[str, str] = {
    "dispute.marriage": "离婚 婚姻 夫妻 家暴 家庭暴力 抚养费 赡养 抚养权 彩礼 分家 继承 遗产",
    "dispute.neighbor": "邻居 邻里 楼上 楼下 漏水 渗水 排水沟 采光 占道堆放 宠物",
    "dispute.housing": "宅基地 建房 地基 房屋买卖 房屋纠纷 房屋继承",
    "dispute.contract": "合同 借款 借钱 欠款 货款 租金 违约 定金 借条 担保",
    "dispute.business": "合伙 股东 加盟 承包经营 生意 入股 分红",
    "dispute.damages": "损害赔偿 打伤 受伤 人身损害 财产损失 咬伤",
    "dispute.land": "山林 林地 土地承包 承包地 田地 耕地 水塘 界址 土地流转",
    "dispute.expropriation": "征地 拆迁 补偿款 安置 征收 强拆 拆迁款 安置房",
    "dispute.pollution": "污染 排污 异味 臭味 粉尘 废水 油烟 垃圾焚烧",
    "dispute.labor": "欠薪 讨薪 拖欠工资 工资 农民工 劳动合同 工伤 辞退 加班费 劳务费",
    "dispute.medical": "医疗纠纷 医院 医生 手术 误诊 医疗事故 医闹",
    "dispute.traffic": "交通事故 车祸 撞车 追尾 肇事 碰撞 保险理赔",
    "dispute.property": "物业 物业费 业委会 电梯 停车位 业主",
    "dispute.consumer": "退款 退货 商家 假货 预付卡 虚假宣传 售后",
    "security.order": "打架 斗殴 寻衅滋事 治安 报警 偷盗 盗窃",
    "security.fraud": "诈骗 非法集资 传销 骗局 理财骗",
    "security.vice": "赌博 吸毒 卖淫 嫖娼 涉黄",
    "hazard.fire": "火灾 消防 消防通道 电动车充电 飞线充电",
    "hazard.building": "危房 裂缝 墙体开裂 坍塌 违章搭建",
    "hazard.road": "路灯 井盖 坑洼 红绿灯 斑马线 路面塌陷",
    "hazard.food": "食品安全 过期食品 地沟油 食物中毒 假药",
    "hazard.production": "安全生产 生产事故 燃气泄漏 漏电 塌方 滑坡",
    "legal.consult": "法律咨询 怎么起诉 如何起诉 律师 诉讼时效 合法吗",
    "legal.aid": "法律援助 请不起律师",
    "petition.general": "信访 上访 不作为 乱作为 村干部 村委会",
    "livelihood.education": "学校 学生 老师 教师 入学 学位 幼儿园 培训机构",
    "livelihood.transport": "公交 公交车 地铁 出租车 网约车 高速 班车",
    "livelihood.labor": "社保 养老保险 医保 公积金 退休金 失业",
    "livelihood.urban": "小区 道路 自来水 停水 停电 燃气 供暖 绿化 下水道 垃圾清运",
    "livelihood.health": "卫生院 疫苗 计生 生育",
    "livelihood.civil": "低保 五保 养老院 残疾补贴 救助 殡葬",
    "livelihood.agriculture": "农业 种植 养殖 农田 补贴 扶贫",
}

# category code → base risk score (a node's score applies to its subtree)
CATEGORY_RISK: dict[str, int] = {
    "dispute": 5,
    "dispute.marriage": 10,
    "dispute.land": 15,
    "dispute.expropriation": 20,
    "dispute.labor": 15,
    "dispute.medical": 15,
    "dispute.housing": 10,
    "security": 20,
    "hazard": 15,
    "petition": 15,
    "legal": 0,
    "livelihood": 0,
}

# (word, group, weight)
RISK_WORDS: list[tuple[str, str, int]] = [
    ("扬言", "threat", 20),
    ("报复", "threat", 30),
    ("威胁", "threat", 20),
    ("炸", "threat", 30),
    ("不给说法", "threat", 10),
    ("砍", "violence", 30),
    ("杀", "violence", 40),
    ("打人", "violence", 20),
    ("持刀", "violence", 40),
    ("纵火", "violence", 40),
    ("跳楼", "despair", 40),
    ("自杀", "despair", 40),
    ("轻生", "despair", 40),
    ("同归于尽", "despair", 50),
    ("不想活", "despair", 40),
    ("喝农药", "despair", 40),
    ("走投无路", "despair", 20),
    ("讨薪", "collective", 15),
    ("集体上访", "collective", 30),
    ("进京", "collective", 30),
    ("越级上访", "collective", 25),
    ("堵路", "collective", 30),
    ("围堵", "collective", 30),
    ("拉横幅", "collective", 20),
    ("静坐", "collective", 20),
    ("聚集", "collective", 20),
    ("媒体曝光", "collective", 10),
]

# factor code → (weight, threshold)
RISK_WEIGHTS: dict[str, tuple[int, int | None]] = {
    "category": (1, None),  # multiplies the category's base score
    "words": (60, None),  # the most all risk words together may add
    "group": (20, 5),  # ≥ 5 people
    "large_group": (40, 30),  # ≥ 30 people (replaces "group")
    "repeat": (10, 90),  # per earlier appeal within 90 days
    "elderly": (10, None),
    "minor": (10, None),
    "disabled": (10, None),
    "prior_red": (25, None),
    "returned": (5, None),  # per return
    "overdue": (15, None),
    "reopened": (10, None),  # per reopen / send back
    "manual": (0, None),  # the level the receptionist set is kept as a floor
}

# scheme code → (name, active, [(code, label, colour, min_score, tier, days, leader)])
SCHEMES: dict[str, tuple[str, bool, list[tuple[str, str, str, int, int, int, bool]]]] = {
    "blue_yellow_red": (
        "蓝黄红三级",
        True,
        [
            ("blue", "蓝色", "#1a73e8", 0, 5, 10, False),
            ("yellow", "黄色", "#f9ab00", 30, 4, 15, False),
            ("red", "红色", "#d93025", 60, 3, 30, True),
        ],
    ),
    "four_levels": (
        "红橙黄蓝四级",
        False,
        [
            ("blue", "蓝色", "#1a73e8", 0, 5, 10, False),
            ("yellow", "黄色", "#f9ab00", 25, 4, 15, False),
            ("orange", "橙色", "#e8710a", 45, 3, 20, False),
            ("red", "红色", "#d93025", 70, 3, 30, True),
        ],
    ),
    "green_yellow_red": (
        "绿黄红三级",
        False,
        [
            ("green", "绿色", "#188038", 0, 5, 10, False),
            ("yellow", "黄色", "#f9ab00", 30, 4, 15, False),
            ("red", "红色", "#d93025", 60, 3, 30, True),
        ],
    ),
}


def load_defaults(apps=None) -> None:
    """Create what is missing (never overwrite what admins changed). ``apps`` is the
    migration state registry, or None for the current models."""
    if apps is None:
        apps = live_apps
    Category = apps.get_model("cases", "Category")
    KeywordRule = apps.get_model("routing", "KeywordRule")
    CategoryRisk = apps.get_model("routing", "CategoryRisk")
    RiskWord = apps.get_model("routing", "RiskWord")
    RiskWeight = apps.get_model("routing", "RiskWeight")
    RiskScheme = apps.get_model("routing", "RiskScheme")
    RiskLevel = apps.get_model("routing", "RiskLevel")

    categories = {
        c.code: c for c in Category.objects.filter(code__in=set(KEYWORD_RULES) | set(CATEGORY_RISK))
    }
    ruled = set(KeywordRule.objects.values_list("category__code", flat=True))
    KeywordRule.objects.bulk_create(
        KeywordRule(category=categories[code], keywords=words)
        for code, words in KEYWORD_RULES.items()
        if code in categories and code not in ruled
    )
    risked = set(CategoryRisk.objects.values_list("category__code", flat=True))
    CategoryRisk.objects.bulk_create(
        CategoryRisk(category=categories[code], score=score)
        for code, score in CATEGORY_RISK.items()
        if code in categories and code not in risked
    )
    have_words = set(RiskWord.objects.values_list("word", flat=True))
    RiskWord.objects.bulk_create(
        RiskWord(word=w, group=g, weight=s) for w, g, s in RISK_WORDS if w not in have_words
    )
    have_weights = set(RiskWeight.objects.values_list("code", flat=True))
    RiskWeight.objects.bulk_create(
        RiskWeight(code=c, weight=w, threshold=t)
        for c, (w, t) in RISK_WEIGHTS.items()
        if c not in have_weights
    )
    any_active = RiskScheme.objects.filter(is_active=True).exists()
    for code, (name, active, levels) in SCHEMES.items():
        if RiskScheme.objects.filter(code=code).exists():
            continue
        scheme = RiskScheme.objects.create(
            code=code, name=name, is_active=active and not any_active
        )
        RiskLevel.objects.bulk_create(
            RiskLevel(
                scheme=scheme,
                code=lc,
                label=label,
                colour=colour,
                min_score=min_score,
                tier_level=tier,
                resolve_days=days,
                needs_leader=leader,
            )
            for lc, label, colour, min_score, tier, days, leader in levels
        )
