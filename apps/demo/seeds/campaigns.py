"""Seed step of campaigns: the city's "Tháng hành động vì sự nghiệp giáo dục" of the demo year 2025-2026, shaped as
seed 002's plan (window 1/8–1/9, peak 18–25/8 while the schools prepare to reopen, the theme and the banner's
slogan, the education department as the body that compiles the reports), issued by the Sở GDĐT's officer: its
opening and "Ngày toàn dân đưa trẻ đến trường", a few tasks per agency (the department, the radio, each demo
commune, Trà Linh's study-promotion association), the reports asked of the demo's three communes by 10/9, and Xã
Trà Linh's report submitted with the figures the system holds for the window. Written through the campaigns'
services, so each step is audited like a real one; every task recorded done (the month is over);
nothing here notifies anyone (the demo starts with none)."""

import datetime

from apps.accounts.models import User
from apps.demo.steps import Context
from apps.plans import campaign_selectors
from apps.plans import campaign_services as campaigns
from apps.plans import services as plans
from apps.plans.models import Task
from apps.plans.models_campaigns import Campaign
from apps.schools.models import Organisation

YEAR = 2025
TITLE = "Tháng hành động vì sự nghiệp giáo dục năm 2025"
D = datetime.date
COMMUNES = ("20950", "20242", "20410")  # Xã Trà Linh, Phường Hải Châu, Phường Hội An
REPORTING = "20950"  # Xã Trà Linh files its report
ASSOCIATION = "Hội Khuyến học xã Trà Linh"
DONE_NOTE = "Đã thực hiện trong Tháng hành động; kết quả tổng hợp trong báo cáo của đơn vị."

EVENTS = [
    (D(YEAR, 8, 1), "Lễ phát động Tháng hành động vì sự nghiệp giáo dục năm 2025"),
    (D(YEAR, 9, 1), "Ngày toàn dân đưa trẻ đến trường"),
]

# (title, due_on, months, agency): tasks of agencies that hold no account in the demo
AGENCY_TASKS = [
    (
        "Chỉ đạo các trường rà soát trẻ trong độ tuổi chưa ra lớp, học sinh có nguy cơ bỏ học trong hè; chuẩn bị "
        "cơ sở vật chất cho năm học mới",
        D(YEAR, 8, 15),
        "",
        "Sở Giáo dục và Đào tạo",
    ),
    (
        "Báo cáo kết quả thực hiện Tháng hành động về Sở Giáo dục và Đào tạo để tổng hợp",
        D(YEAR, 9, 10),
        "",
        "Sở Giáo dục và Đào tạo",
    ),
    (
        "Tăng thời lượng tuyên truyền về công tác giáo dục, nêu gương vượt khó học tốt, gia đình hiếu học",
        None,
        f"8/{YEAR}",
        "Đài Phát thanh - Truyền hình Đà Nẵng",
    ),
    (
        "Treo băng rôn hưởng ứng Tháng hành động tại trụ sở và nơi công cộng",
        D(YEAR, 8, 5),
        "",
        "Trung tâm Văn hóa - Điện ảnh thành phố",
    ),
]

# (title, due_on): each demo commune's tasks
COMMUNE_TASKS = [
    (
        "Công bố số điện thoại, phân công bộ phận tiếp nhận thông tin trẻ trong độ tuổi không được đến trường",
        D(YEAR, 8, 10),
    ),
    ("Vận động trẻ trong độ tuổi ra lớp, học sinh bỏ học trở lại trường trước ngày tựu trường", D(YEAR, 8, 25)),
]

ASSOCIATION_TASKS = [
    ("Vận động quyên góp, trao quà “Tiếp bước đến trường” cho học sinh có hoàn cảnh khó khăn", D(YEAR, 8, 25)),
    ("Phối hợp xét, cấp học bổng cho học sinh nghèo vượt khó đầu năm học", D(YEAR, 9, 1)),
]


def seed(ctx: Context) -> None:
    province = ctx.units.get(ctx.province)
    communes = [ctx.units[code] for code in COMMUNES if code in ctx.units]
    if province is None or not communes or ctx.years.get(YEAR) is None:
        return
    if Campaign.objects.filter(org_unit=province, title=TITLE).exists():
        return
    officer = User.objects.get(username="so.gddt")
    campaign = campaigns.campaign_create(
        actor=officer,
        kind=Campaign.Kind.ACTION_MONTH,
        title=TITLE,
        theme="Tạo mọi điều kiện để học sinh đến trường, hạn chế tình trạng học sinh bỏ học giữa chừng",
        slogan="TÍCH CỰC HƯỞNG ỨNG “THÁNG HÀNH ĐỘNG VÌ SỰ NGHIỆP GIÁO DỤC” NĂM 2025",
        org_unit=province,
        issuer_name="UBND thành phố Đà Nẵng",
        receiving_name="Sở Giáo dục và Đào tạo",
        starts_on=D(YEAR, 8, 1),
        ends_on=D(YEAR, 9, 1),
        peak_starts_on=D(YEAR, 8, 18),
        peak_ends_on=D(YEAR, 8, 25),
        report_due_on=D(YEAR, 9, 10),
    )
    for on, title in EVENTS:
        campaigns.campaign_event_add(actor=officer, campaign=campaign, on=on, title=title)
    tasks = []
    for title, due_on, months, agency in AGENCY_TASKS:
        tasks += campaigns.campaign_task_assign(
            actor=officer, campaign=campaign, title=title, due_on=due_on, months=months, agency=agency
        )
    for title, due_on in COMMUNE_TASKS:
        for commune in communes:
            tasks += campaigns.campaign_task_assign(
                actor=officer, campaign=campaign, title=title, due_on=due_on, org_unit=commune
            )
    association = Organisation.objects.filter(name=ASSOCIATION).first()
    if association is not None:
        for title, due_on in ASSOCIATION_TASKS:
            tasks += campaigns.campaign_task_assign(
                actor=officer, campaign=campaign, title=title, due_on=due_on, organisation=association
            )
    # The month is over: the department recorded each task done (an open one would be overdue and the daily
    # reminders would mail its owners).
    for task in tasks:
        plans.task_set_status(actor=officer, task=task, status=Task.Status.DONE, note=DONE_NOTE)
    reports = campaigns.campaign_reports_request(actor=officer, campaign=campaign, communes=communes)
    _file(campaign, [r for r in reports if r.org_unit.code == REPORTING])


def _file(campaign, reports) -> None:
    """Trà Linh's officer submits the commune's report as the system counted it, with its narrative."""
    if not reports:
        return
    commune_officer = User.objects.get(username="xa.tralinh")
    report = reports[0]
    campaigns.campaign_report_save(
        actor=commune_officer,
        report=report,
        figures=campaign_selectors.system_figures(commune_officer, report),
        narrative=(
            "UBND xã đã ban hành kế hoạch, công bố số điện thoại tiếp nhận thông tin trẻ không đến trường; "
            "các thôn phối hợp với nhà trường đến từng gia đình vận động trẻ ra lớp trước ngày tựu trường."
        ),
        submit=True,
    )
