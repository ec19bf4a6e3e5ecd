# ruff: noqa: E501 - lines of Chinese demo text read better unbroken
"""The demo's integrations: partner systems of the county center (12345, 110, the court,
信访, a 舆情 feed, an Open311 app), orders they transferred in, risk signals, a webhook,
cameras cited by cases, and one import file checked but not yet imported (its report shows
the rows to correct).

Everything goes through :mod:`fengqiao.integrations.services`; partners, orders (by their
order numbers), signals, cameras and the import file are looked up first, so a second run
adds nothing. The partners' keys are new at each first creation and not shown again: rotate
them on the Integrations page to use the endpoints."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.utils import timezone
from openpyxl import Workbook

from fengqiao.demo.organization import DemoOrg
from fengqiao.integrations.choices import MappingKind, PartnerKind, SignalLevel
from fengqiao.integrations.models import Camera, ImportJob, InboundTransfer, Partner, Subscription
from fengqiao.integrations.services import cameras, imports, partners, transfers, webhooks
from fengqiao.org.choices import Role
from fengqiao.regions.models import Region

Log = Callable[[str], None]

PARTNERS = [
    ("hotline12345", "云梦县12345政务服务便民热线", PartnerKind.HOTLINE_12345),
    ("police110", "云梦县公安局110指挥中心", PartnerKind.POLICE_110),
    ("court", "云梦县人民法院诉前调解平台", PartnerKind.COURT),
    ("xinfang", "孝感市网上信访系统", PartnerKind.PETITION),
    ("yuqing", "县委网信办舆情监测", PartnerKind.SENTIMENT),
    ("suishoupai", "云梦随手拍（Open311）", PartnerKind.OPEN311),
]

ORDERS = [
    (
        "hotline12345",
        "12345-2026-110301",
        "ZS-07",
        "小区楼下烧烤店夜间噪音扰民",
        "市民反映楼下烧烤店每晚营业至凌晨两点，油烟和噪音严重影响休息，多次与店主沟通无果。",
    ),
    (
        "hotline12345",
        "12345-2026-110302",
        "",
        "物业停水未提前通知",
        "小区物业以维修管道为由停水两天，未提前张贴通知，老人和孩子生活不便，请求协调。",
    ),
    (
        "hotline12345",
        "12345-2026-110303",
        "",
        "装修公司拖欠农民工工资",
        "来电人称在某装修公司做工三个月，工资一万二千元至今未结，公司负责人不接电话。",
    ),
    (
        "police110",
        "110-20261104-0087",
        "",
        "邻里因停车位发生口角",
        "两户邻居因楼下停车位发生争吵并有推搡，民警到场后双方情绪稳定，需后续调解。",
    ),
    (
        "police110",
        "110-20261105-0131",
        "",
        "村民因宅基地界址发生纠纷",
        "两户村民因新建围墙越过界址发生争执，派出所出警后建议由村调委会调解。",
    ),
    (
        "court",
        "FY-2026-SQ-0412",
        "",
        "民间借贷纠纷诉前委派调解",
        "原告诉被告借款三万元到期未还，法院立案前委派综治中心先行调解。",
    ),
    (
        "xinfang",
        "XF-2026-3312",
        "",
        "反映征地补偿款分配不公",
        "信访人反映村组征地补偿款分配方案未经村民会议讨论，要求公开分配明细。",
    ),
    (
        "suishoupai",
        "open311-demo-1",
        "",
        "路口井盖缺失存在安全隐患",
        "解放路与建设路交叉口井盖缺失，夜间无警示标志，易发生事故。",
    ),
]

SIGNALS = [
    (
        "YQ-2026-0091",
        "某楼盘业主在网络群组中组织维权",
        SignalLevel.HIGH,
        "业主群内讨论逾期交房问题，有人号召周末到售楼部聚集。",
    ),
    (
        "YQ-2026-0092",
        "短视频平台出现学校食堂质量投诉",
        SignalLevel.MEDIUM,
        "家长发布视频称孩子在食堂吃到变质食品，转发量上升。",
    ),
    (
        "YQ-2026-0093",
        "论坛帖子反映农贸市场摊位费上涨",
        SignalLevel.LOW,
        "商户称摊位费一年上涨三成，希望有关部门关注。",
    ),
]

CAMERAS = [
    ("YM-XL-0001", "解放路与建设路交叉口", "城关镇解放路口东北角"),
    ("YM-XL-0002", "城关镇农贸市场入口", "农贸市场北门"),
    ("YM-XL-0003", "县人民医院门前", "医院正门广场"),
    ("YM-XL-0004", "义堂镇政府路口", "镇政府大门"),
]


def _partners(org: DemoOrg, log: Log) -> dict[str, Partner]:
    made = 0
    for code, name, kind in PARTNERS:
        if not Partner.objects.filter(code=code).exists():
            partners.create_partner(code=code, name=name, kind=kind, center=org.county_center)
            made += 1
    by_code = {p.code: p for p in Partner.objects.filter(code__in=[c for c, _n, _k in PARTNERS])}
    partners.set_mapping(
        partner=by_code["hotline12345"], kind=MappingKind.CATEGORY,
        external_code="ZS-07", internal_code="dispute.neighbor",
    )  # fmt: skip
    log(f"  partner systems: {made} new")
    return by_code


def _villages(org: DemoOrg) -> list[Region]:
    return list(
        Region.objects.subtree(org.county).filter(level=max_level(org)).order_by("code")[:40]
    )


def max_level(org: DemoOrg) -> int:
    return Region.objects.subtree(org.county).order_by("-level").values_list("level", flat=True)[0]


def _orders(by_code: dict[str, Partner], villages: list[Region], log: Log) -> None:
    made = 0
    for i, (partner, external_id, category, title, text) in enumerate(ORDERS):
        p = by_code[partner]
        if InboundTransfer.objects.filter(partner=p, external_id=external_id).exists():
            continue
        result = transfers.receive_order(
            partner=p,
            order=transfers.OrderIn(
                external_id=external_id,
                title=title,
                description=text,
                region=villages[(i * 7) % len(villages)].code,
                category=category,
                applicant_name=[
                    "刘建国",
                    "王秀兰",
                    "张卫东",
                    "李春梅",
                    "陈志强",
                    "赵桂英",
                    "周海涛",
                    "孙丽",
                ][i],
                applicant_phone=f"1397123{4000 + i:04d}",
            ),
        )
        made += result.created
    log(f"  orders transferred in: {made} new")


def _signals(by_code: dict[str, Partner], org: DemoOrg, log: Log) -> None:
    made = 0
    now = timezone.now()
    for i, (external_id, title, level, text) in enumerate(SIGNALS):
        _signal, created = transfers.receive_signal(
            partner=by_code["yuqing"],
            signal=transfers.SignalIn(
                external_id=external_id, title=title, text=text, level=level,
                region=org.county.code, observed_at=now - dt.timedelta(hours=6 * (i + 1)),
            ),
        )  # fmt: skip
        made += created
    log(f"  risk signals: {made} new")


def _cameras(org: DemoOrg, villages: list[Region], log: Log) -> None:
    made = 0
    for i, (code, name, place) in enumerate(CAMERAS):
        if not Camera.objects.filter(code=code).exists():
            cameras.register_camera(code=code, name=name, center=org.county_center,
                                    region=villages[i], place=place)  # fmt: skip
            made += 1
    transfer = InboundTransfer.objects.filter(external_id="110-20261104-0087").first()
    receptionist = org.staff.get((org.county_center.pk, Role.RECEPTIONIST))
    if transfer and receptionist and not transfer.case.camera_citations.exists():
        start = transfer.case.registered_at - dt.timedelta(hours=1)
        cameras.cite_camera(
            case=transfer.case, camera=Camera.objects.get(code="YM-XL-0001"), starts_at=start,
            ends_at=start + dt.timedelta(minutes=90), actor=receptionist, note="调取争执经过",
        )  # fmt: skip
    log(f"  cameras: {made} new")


def _import_file(org: DemoOrg, villages: list[Region], log: Log) -> None:
    receptionist = org.staff.get((org.county_center.pk, Role.RECEPTIONIST))
    if (
        receptionist is None
        or ImportJob.objects.filter(filename="2025年纸质台账补录.xlsx").exists()
    ):
        return
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in imports.COLUMNS])
    rows = [
        (
            "2025-03-18 09:30",
            "邻里因排水沟堵塞发生纠纷",
            "楼上住户排水沟堵塞导致楼下渗水，多次协商未果。",
            villages[0].code,
            "dispute.neighbor",
            "张三",
            "13800138000",
        ),
        (
            "2025-04-02 14:10",
            "婚姻家庭矛盾",
            "夫妻因子女抚养问题多次争吵，女方要求调解。",
            villages[1].code,
            "",
            "李梅",
            "13900001234",
        ),
        (
            "2025-05-11 10:00",
            "土地承包经营权纠纷",
            "两户村民对承包地边界认识不一致。",
            "999999999999",
            "",
            "王强",
            "13700005678",
        ),
        (
            "2025-06-20 16:45",
            "",
            "内容缺少标题的一行。",
            villages[2].code,
            "",
            "赵六",
            "13600000000",
        ),
        (
            "2025-07-08 08:20",
            "劳务费结算纠纷",
            "村民为他人建房后劳务费未结清。",
            villages[3].code,
            "",
            "孙七",
            "123",
        ),
    ]
    for r in rows:
        values = dict(
            zip(
                [
                    "registered_at",
                    "title",
                    "description",
                    "region",
                    "category",
                    "applicant",
                    "phone",
                ],
                r,
                strict=True,
            )
        )
        ws.append([values.get(c.key, "") for c in imports.COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    job = imports.check_file(name="2025年纸质台账补录.xlsx", content=out.getvalue(),
                             center=org.county_center, actor=receptionist, membership=None)  # fmt: skip
    log(f"  import file checked: {job.valid} of {job.total} rows valid (not imported)")


def build(org: DemoOrg, *, log: Log) -> None:
    by_code = _partners(org, log)
    villages = _villages(org)
    director = org.staff.get((org.county_center.pk, Role.DIRECTOR))
    if (
        director is not None
        and not Subscription.objects.filter(name="县社会治理大数据平台").exists()
    ):
        webhooks.create_subscription(
            name="县社会治理大数据平台", url="http://127.0.0.1:9/fengqiao-demo-hook",
            actor=director, unit=org.county_center,
        )  # fmt: skip
    _orders(by_code, villages, log)
    _signals(by_code, org, log)
    _cameras(org, villages, log)
    _import_file(org, villages, log)
