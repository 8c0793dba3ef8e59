"""The default measures (the platform's file columns), the default KPIs over them (issue 11, seeds 002–004),
HR's default score bands and pay coefficients. HR may change or add to all of them in the admin."""

from decimal import Decimal

from django.db import migrations

AGENT_MEASURES = [
    ("staffed_seconds", "Staffed seconds", "在线时长（秒）"),
    ("handle_seconds", "Handle seconds", "处理时长（秒）"),
    ("inbound_handled", "Inbound calls handled", "呼入接听量"),
    ("outbound_handled", "Outbound calls handled", "呼出量"),
    ("fcr_resolved", "Resolved at first contact", "首次解决量"),
    ("transfers_l2", "Transfers to second line", "转二线量"),
    ("complaints_received", "Complaints received", "受理投诉量"),
    ("complaints_escalated", "Complaints escalated", "投诉升级量"),
    ("complaints_closed", "Complaints closed", "投诉办结量"),
    ("complaint_handle_seconds", "Complaint handle seconds", "投诉处理时长（秒）"),
    ("csat_responses", "Satisfaction responses", "满意度评价数"),
    ("csat_satisfied", "Satisfied responses", "满意评价数"),
    ("coupon_count", "Coupons issued", "补偿券张数"),
    ("coupon_amount_cny", "Coupon amount (CNY)", "补偿金额（元）"),
]
QUEUE_MEASURES = [
    ("offered", "Calls offered", "呼入量"),
    ("answered", "Calls answered", "接通量"),
    ("abandoned", "Calls abandoned", "放弃量"),
]
# code, numerator, denominator, factor, unit, direction, English name, Chinese name, English, Chinese description
KPIS = [
    (
        "connect_rate",
        "answered",
        "offered",
        1,
        "percent",
        "higher",
        "Connect rate",
        "接通率",
        "Calls answered out of calls offered, per queue.",
        "接通量占呼入量的比例（按队列统计）。",
    ),
    (
        "fcr",
        "fcr_resolved",
        "inbound_handled",
        1,
        "percent",
        "higher",
        "First-contact resolution",
        "首次解决率",
        "Inbound calls resolved at the first contact; outbound calls never count.",
        "首次来电即解决的呼入量占比；呼出不计入。",
    ),
    (
        "transfer_rate",
        "transfers_l2",
        "inbound_handled",
        1,
        "percent",
        "lower",
        "Transfer rate",
        "转接率",
        "Inbound calls transferred to the second line.",
        "转二线的呼入量占比。",
    ),
    (
        "csat",
        "csat_satisfied",
        "csat_responses",
        1,
        "percent",
        "higher",
        "Customer satisfaction",
        "客户满意度",
        "Satisfied answers out of all satisfaction answers.",
        "满意评价占全部评价的比例。",
    ),
    (
        "escalation_rate",
        "complaints_escalated",
        "complaints_received",
        1,
        "percent",
        "lower",
        "Complaint escalation rate",
        "投诉升级率",
        "Complaints escalated out of complaints received.",
        "升级的投诉占受理投诉的比例。",
    ),
    (
        "complaint_efficiency",
        "complaints_closed",
        "complaint_handle_seconds",
        3600,
        "per_hour",
        "higher",
        "Complaint efficiency",
        "投诉处理效率",
        "Complaints closed per hour spent on complaints.",
        "每小时投诉处理时长办结的投诉数。",
    ),
    (
        "payout_per_complaint",
        "coupon_amount_cny",
        "complaints_received",
        1,
        "cny",
        "lower",
        "Payout per complaint",
        "单件投诉补偿金额",
        "Compensation paid per complaint received, in yuan.",
        "每件受理投诉的平均补偿金额（元）。",
    ),
    (
        "aht",
        "handle_seconds",
        "inbound_handled",
        1,
        "seconds",
        "lower",
        "Average handle time",
        "平均处理时长",
        "Handle seconds per inbound call handled.",
        "每通呼入的平均处理时长（秒）。",
    ),
]
SCORE_BANDS = [("excellent", 90), ("meets", 75), ("below", 60), ("far_below", 0)]
PAY_COEFFICIENTS = [("excellent", "1.20"), ("meets", "1.00"), ("below", "0.90"), ("far_below", "0.80")]


def create(apps, schema_editor):
    Measure = apps.get_model("kpis", "Measure")
    Kpi = apps.get_model("kpis", "Kpi")
    measures = {}
    for source, rows in (("agent", AGENT_MEASURES), ("queue", QUEUE_MEASURES)):
        for order, (code, name_en, name_zh) in enumerate(rows):
            measures[code], _ = Measure.objects.get_or_create(
                code=code,
                defaults={
                    "source": source,
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "is_builtin": True,
                    "is_decimal": code == "coupon_amount_cny",
                    "order": order,
                },
            )
    for order, row in enumerate(KPIS):
        code, numerator, denominator, factor, unit, direction, name_en, name_zh, description_en, description_zh = row
        Kpi.objects.get_or_create(
            code=code,
            defaults={
                "numerator": measures[numerator],
                "denominator": measures[denominator],
                "factor": Decimal(factor),
                "unit": unit,
                "direction": direction,
                "kind": "quantitative",
                "name_en": name_en,
                "name_zh": name_zh,
                "description_en": description_en,
                "description_zh": description_zh,
                "order": order,
            },
        )
    ScoreBand = apps.get_model("kpis", "ScoreBand")
    for band, min_score in SCORE_BANDS:
        ScoreBand.objects.get_or_create(band=band, defaults={"min_score": Decimal(min_score)})
    PayCoefficient = apps.get_model("kpis", "PayCoefficient")
    for band, coefficient in PAY_COEFFICIENTS:
        PayCoefficient.objects.get_or_create(band=band, pay_grade="", defaults={"coefficient": Decimal(coefficient)})


def remove(apps, schema_editor):
    for model in ("PayCoefficient", "ScoreBand", "Kpi", "Measure"):
        apps.get_model("kpis", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("kpis", "0001_measures_and_scorecards")]

    operations = [migrations.RunPython(create, remove)]
