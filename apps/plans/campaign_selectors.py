"""Reads of the campaigns, each starting from the scoped queryset (`restrict`): the campaigns a user sees, one with
its events, tasks and reports; the figures the system holds for a report's window (read through the students' and
the funds' selectors); and the roll-up the receiving body compiles: late units first, communes with no published
hotline number flagged (`apps.retention.hotline`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404
from apps.core.text import fold
from apps.plans.models import Task
from apps.plans.models_campaigns import FIGURE_CODES, Campaign, CampaignReport, DonationCampaign


def campaign_list(user, *, kind: str = "", status: str = ""):
    qs = Campaign.objects.restrict(user, VIEW).select_related("org_unit", "receiving_unit")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_on", "-pk")


def campaign_for(user, pk: int, action: str = VIEW) -> Campaign:
    return get_scoped_or_404(Campaign.objects.select_related("org_unit", "receiving_unit"), user, action, pk=pk)


def may(user, campaign: Campaign) -> dict:
    return {"change": can(user, campaign, CHANGE)}


def campaign_tasks(user, campaign: Campaign):
    """The campaign's tasks the user sees (by due day)."""
    return (
        Task.objects.restrict(user, VIEW)
        .filter(campaign_link__campaign=campaign)
        .select_related("owner_unit", "owner_school", "owner_organisation", "owner_user")
        .order_by("due_on", "campaign_link__batch", "order", "pk")
    )


def reports_of(user, campaign: Campaign):
    return (
        CampaignReport.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .select_related("org_unit", "school__location", "campaign")
    )


def report_for(user, pk: int, action: str = VIEW) -> CampaignReport:
    return get_scoped_or_404(
        CampaignReport.objects.select_related("campaign__org_unit", "campaign__receiving_unit", "org_unit", "school"),
        user,
        action,
        pk=pk,
    )


def my_reports(user):
    """The reports the user fills (their commune's, their school's), those not submitted first."""
    first = Case(When(status=CampaignReport.Status.DRAFT, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        CampaignReport.objects.restrict(user, CHANGE)
        .select_related("campaign", "org_unit", "school")
        .annotate(rank=first)
        .order_by("rank", "due_on", "pk")
    )


# ---- figures -----------------------------------------------------------------------------------------------------


def system_figures(user, report: CampaignReport) -> dict[str, int]:
    """What the system holds for the report's unit over the campaign's window: children mobilised, dropouts back,
    grade-10 admissions not attending (students' selectors), gifts and scholarships given (funds' payouts by
    purpose), and what was raised for this campaign (donations linked to it), counted as `user` may count them."""
    from apps.funds import selectors as funds
    from apps.students import selectors as students

    campaign = report.campaign
    starts, ends = campaign.starts_on, campaign.ends_on
    where = {"school": report.school} if report.school_id else {"commune": report.org_unit}
    found = dict(students.campaign_counts(user, starts=starts, ends=ends, **where))
    held = funds.funds_of(user, **where)
    found["gifts"], found["gifts_value"] = funds.payouts_to_students(held, starts, ends, funds.GIFT_PURPOSES)
    found["scholarships"], found["scholarships_value"] = funds.payouts_to_students(
        held, starts, ends, funds.SCHOLARSHIP_PURPOSES
    )
    linked = DonationCampaign.objects.filter(campaign=campaign, donation__fund__in=held).values("donation")
    found["raised"] = funds.donations_value(linked)
    return {code: int(found.get(code, 0)) for code in FIGURE_CODES}


def communes_with_hotline() -> set[int]:
    """Ids of the communes whose out-of-school hotline number is published (retention's public list)."""
    from apps.retention.hotline import published_numbers

    return set(published_numbers().values_list("commune_id", flat=True))


# ---- roll-up -----------------------------------------------------------------------------------------------------


@dataclass
class RollupLine:
    report: CampaignReport
    late: bool
    no_hotline: bool
    values: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.report.reporter)


@dataclass
class Rollup:
    campaign: Campaign
    lines: list[RollupLine]
    totals: dict[str, int]
    submitted: int
    on: datetime.date


def rollup(user, campaign: Campaign, *, today: datetime.date | None = None) -> Rollup:
    """The reports the receiving body compiles: late ones first (past their due day unsent, or sent after it),
    then the rest, each by name; a commune with no published hotline number flagged; totals over the submitted
    reports. Read by those who may manage the campaign's reports (its issuing and receiving units' officers)."""
    today = today or timezone.localdate()
    reports = list(
        CampaignReport.objects.restrict(user, MANAGE)
        .filter(campaign=campaign)
        .select_related("org_unit", "school__location", "campaign")
    )
    hotline = communes_with_hotline()
    lines = []
    for r in reports:
        commune = r.commune
        lines.append(
            RollupLine(
                report=r,
                late=r.is_late(today),
                no_hotline=commune is not None and commune.pk not in hotline,
                values={code: r.value(code) for code in FIGURE_CODES},
            )
        )
    lines.sort(key=lambda line: (not line.late, fold(line.name), line.report.pk))
    sent = [line for line in lines if line.report.status == CampaignReport.Status.SUBMITTED]
    totals = {code: sum(line.values[code] for line in sent) for code in FIGURE_CODES}
    return Rollup(campaign=campaign, lines=lines, totals=totals, submitted=len(sent), on=today)


def donations_of(user, campaign: Campaign):
    """The campaign's linked donations the user may see."""
    from apps.funds.models import Donation

    return (
        Donation.objects.restrict(user, VIEW)
        .filter(campaign_link__campaign=campaign)
        .select_related("fund", "donor")
        .order_by("-received_on", "-pk")
    )


def campaigns_for_choice(user, *, on: datetime.date | None = None):
    """Open campaigns the user sees that a donation may be linked to."""
    qs = Campaign.objects.restrict(user, VIEW).filter(status=Campaign.Status.OPEN)
    if on is not None:
        qs = qs.filter(Q(starts_on__lte=on))
    return qs.order_by("-starts_on", "pk")
