"""Writes of the campaigns (`models_campaigns`), each one audited transaction: a campaign and its dated events; its
tasks, the plans' `Task` (one per commune when a task goes to every commune of a unit); the report requested of
each commune (or school), prefilled with the figures the system holds for the window, saved with a note where a
reported figure differs, then submitted; and a donation linked to the campaign it was raised for.

Who: the officers of the issuing unit (or of the receiving unit) write the campaign, its tasks and requests; a
commune's own officers (a school's principal) fill and submit its report; a donation is linked by those who may
change its fund."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, get_scoped_or_404, scope_for
from apps.plans import campaign_selectors
from apps.plans.models import Task
from apps.plans.models_campaigns import (
    FIGURE_CODES,
    Campaign,
    CampaignEvent,
    CampaignReport,
    CampaignTask,
    DonationCampaign,
)
from apps.plans.services import task_create, task_schedule


def _governs(actor, unit) -> bool:
    scope = scope_for(actor)
    return scope.is_admin or unit.path in scope.officer_paths


def _writable(actor, campaign: Campaign) -> Campaign:
    campaign = get_scoped_or_404(Campaign, actor, CHANGE, pk=campaign.pk, lock=True)
    if campaign.status == Campaign.Status.ARCHIVED:
        raise ValidationError(_("Chiến dịch đã lưu trữ: không sửa được."))
    return campaign


def _check_dates(campaign: Campaign) -> None:
    """The window ordered, the peak inside it, the report deadline not before it: at creation and at each edit."""
    starts_on, ends_on = campaign.starts_on, campaign.ends_on
    peak_starts_on, peak_ends_on = campaign.peak_starts_on, campaign.peak_ends_on
    errors = {}
    if starts_on and ends_on and starts_on > ends_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if (peak_starts_on or peak_ends_on) and not (
        peak_starts_on and peak_ends_on and starts_on <= peak_starts_on <= peak_ends_on <= ends_on
    ):
        errors["peak_starts_on"] = _("Thời gian cao điểm phải nằm trong thời gian của chiến dịch.")
    if campaign.report_due_on and campaign.report_due_on < starts_on:
        errors["report_due_on"] = _("Hạn báo cáo không thể trước ngày bắt đầu chiến dịch.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(
    *,
    actor,
    kind: str,
    title: str,
    org_unit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    theme: str = "",
    slogan: str = "",
    issuer_name: str = "",
    receiving_unit=None,
    receiving_name: str = "",
    peak_starts_on: datetime.date | None = None,
    peak_ends_on: datetime.date | None = None,
    report_due_on: datetime.date | None = None,
) -> Campaign:
    """A campaign of `org_unit`, by its own officers; reports are compiled by `receiving_unit` (the issuer unless
    given) under `receiving_name` ("Phòng GDĐT")."""
    if not _governs(actor, org_unit):
        raise PermissionDenied
    receiving_unit = receiving_unit or org_unit
    if receiving_unit != org_unit and not receiving_unit.path.startswith(org_unit.path):
        if not org_unit.path.startswith(receiving_unit.path):
            raise ValidationError({"receiving_unit": _("Đơn vị tổng hợp phải thuộc hoặc ở trên đơn vị ban hành.")})
    campaign = Campaign(
        kind=kind,
        title=title.strip(),
        theme=theme.strip(),
        slogan=slogan.strip(),
        org_unit=org_unit,
        issuer_name=issuer_name.strip(),
        receiving_unit=receiving_unit,
        receiving_name=receiving_name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        peak_starts_on=peak_starts_on,
        peak_ends_on=peak_ends_on,
        report_due_on=report_due_on,
        created_by=actor,
    )
    _check_dates(campaign)
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor,
        action="plans.campaign_create",
        obj=campaign,
        org_unit=org_unit,
        changes={"kind": kind, "window": [f"{starts_on:%d/%m/%Y}", f"{ends_on:%d/%m/%Y}"]},
    )
    return campaign


# What an edit may change: the campaign's text and dates. Its kind, issuing and receiving units stay (they decide
# who reads and writes it and which communes were asked; a wrong one is a new campaign).
CAMPAIGN_FIELDS = (
    "title",
    "theme",
    "slogan",
    "issuer_name",
    "receiving_name",
    "starts_on",
    "ends_on",
    "peak_starts_on",
    "peak_ends_on",
    "report_due_on",
)


def _shown(value) -> str:
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)[:100]


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Correct the campaign's text and dates (`CAMPAIGN_FIELDS`), by those who write it (the issuing or receiving
    unit's officers), checked as at creation. The window may not leave out a dated event: an event is recorded
    inside the window (`campaign_event_add`). Tasks and reports are not bound to the window (a report is due after
    it ends, a task may be given with its own months), so they do not hold it. Audited with each changed field's
    value before and after."""
    campaign = _writable(actor, campaign)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not a campaign field: {sorted(unknown)}")
    changes = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        elif value is None and not Campaign._meta.get_field(key).null:
            value = ""  # a text that may be blank, emptied (the API's null); a required one is refused below
        before = getattr(campaign, key)
        if before != value:
            changes[key] = [_shown(before), _shown(value)]
            setattr(campaign, key, value)
    if not changes:
        return campaign
    campaign.clean_fields()  # a required field sent empty (the API's null) is refused before the dates are compared
    _check_dates(campaign)
    outside = campaign.events.exclude(on__range=(campaign.starts_on, campaign.ends_on)).order_by("on").first()
    if outside is not None:
        field = "starts_on" if outside.on < campaign.starts_on else "ends_on"
        raise ValidationError(
            {
                field: _("Sự kiện “%(event)s” ngày %(on)s sẽ nằm ngoài thời gian của chiến dịch.")
                % {"event": outside.title[:100], "on": f"{outside.on:%d/%m/%Y}"}
            }
        )
    campaign.full_clean()
    campaign.save(update_fields=[*changes])
    audit_record(actor=actor, action="plans.campaign_update", obj=campaign, org_unit=campaign.org_unit, changes=changes)
    return campaign


@transaction.atomic
def campaign_event_add(*, actor, campaign: Campaign, on: datetime.date, title: str) -> CampaignEvent:
    """A dated event of the campaign ("Ngày toàn dân đưa trẻ đến trường"), inside its window."""
    campaign = _writable(actor, campaign)
    if not campaign.starts_on <= on <= campaign.ends_on:
        raise ValidationError({"on": _("Ngày của sự kiện phải nằm trong thời gian của chiến dịch.")})
    event = CampaignEvent(campaign=campaign, on=on, title=title.strip())
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="plans.campaign_event_add",
        obj=campaign,
        org_unit=campaign.org_unit,
        changes={"event": event.title[:100], "on": f"{on:%d/%m/%Y}"},
    )
    return event


def communes_of(unit):
    """Today's communes, wards and special zones in `unit`'s subtree (the unit itself when it is one)."""
    from apps.orgunits.models import OrgUnit

    if unit.level == OrgUnit.Level.COMMUNE:
        return [unit]
    return list(
        OrgUnit.objects.current()
        .filter(level=OrgUnit.Level.COMMUNE, path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .order_by("name", "pk")
    )


@transaction.atomic
def campaign_task_assign(
    *,
    actor,
    campaign: Campaign,
    title: str,
    due_on: datetime.date | None = None,
    months: str = "",
    org_unit=None,
    school=None,
    organisation=None,
    user=None,
    agency: str = "",
    every_commune_of=None,
) -> list[Task]:
    """A task of the campaign for one agency (a unit, a school, an organisation, a person, a named agency); sent to
    every commune of a unit (`every_commune_of`), one task per commune, in one batch. Each task is audited once, by
    `task_create`, as the campaign's (its title and batch in the event)."""
    campaign = _writable(actor, campaign)
    if not title.strip():
        raise ValidationError({"title": _("Nhập nội dung công việc.")})
    schedule = task_schedule(due_on=due_on, months=months)  # refused before the owners are looked at
    if every_commune_of is not None:
        if not every_commune_of.path.startswith(campaign.org_unit.path):
            raise ValidationError({"every_commune_of": _("Chỉ giao được cho các xã thuộc đơn vị ban hành.")})
        owners = [{"unit": c} for c in communes_of(every_commune_of)]
        if not owners:
            raise ValidationError({"every_commune_of": _("Đơn vị này không có xã, phường nào.")})
    else:
        owners = [{"org": organisation, "school": school, "unit": org_unit, "user": user, "name": agency}]
    batch = (
        CampaignTask.objects.filter(campaign=campaign).order_by("-batch").values_list("batch", flat=True).first() or 0
    ) + 1
    tasks = []
    for order, owner in enumerate(owners):
        task = task_create(
            actor=actor,
            title=title,
            schedule=schedule,
            order=order,
            organisation=owner.get("org"),
            school=owner.get("school"),
            org_unit=owner.get("unit"),
            user=owner.get("user"),
            agency=owner.get("name") or "",
            commune=campaign.org_unit,
            audit_action="plans.campaign_task_assign",
            audit_changes={"campaign": campaign.title[:100], "batch": batch},
        )
        CampaignTask.objects.create(campaign=campaign, task=task, batch=batch)
        tasks.append(task)
    return tasks


def _due(campaign: Campaign, due_on):
    found = due_on or campaign.report_due_on
    if found is None:
        raise ValidationError({"due_on": _("Nhập hạn báo cáo.")})
    return found


@transaction.atomic
def campaign_reports_request(
    *, actor, campaign: Campaign, communes=None, schools=(), due_on: datetime.date | None = None
) -> list[CampaignReport]:
    """Ask each commune of `communes` (a unit: its communes; a list: those) and each school of `schools` for its
    report by `due_on` (the campaign's report deadline), prefilled with the system's figures for the window. A unit
    already asked is left as it is."""
    campaign = _writable(actor, campaign)
    due = _due(campaign, due_on)
    if communes is not None and not isinstance(communes, (list, tuple)):
        communes = communes_of(communes)
    made = []
    for commune in communes or ():
        if not commune.path.startswith(campaign.org_unit.path):
            raise ValidationError({"communes": _("%(unit)s không thuộc đơn vị ban hành.") % {"unit": commune}})
        report, created = CampaignReport.objects.get_or_create(
            campaign=campaign, org_unit=commune, defaults={"due_on": due}
        )
        if created:
            made.append(report)
    for school in schools:
        if not school.location.path.startswith(campaign.org_unit.path):
            raise ValidationError({"schools": _("%(unit)s không thuộc đơn vị ban hành.") % {"unit": school}})
        report, created = CampaignReport.objects.get_or_create(
            campaign=campaign, school=school, defaults={"due_on": due}
        )
        if created:
            made.append(report)
    for report in made:
        report.system = campaign_selectors.system_figures(actor, report)
        report.save(update_fields=["system", "updated_at"])
    audit_record(
        actor=actor,
        action="plans.campaign_reports_request",
        obj=campaign,
        org_unit=campaign.org_unit,
        changes={"count": len(made), "due_on": f"{due:%d/%m/%Y}"},
    )
    return made


def _number(code: str, value) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).replace(".", "").replace(" ", ""))
    except ValueError:
        raise ValidationError({code: _("“%(value)s” không phải số nguyên.") % {"value": str(value)[:20]}}) from None
    if number < 0:
        raise ValidationError({code: _("Số liệu không được âm.")})
    return number


@transaction.atomic
def campaign_report_save(
    *, actor, report: CampaignReport, figures: dict, notes: dict | None = None, narrative: str = "", submit=False
) -> CampaignReport:
    """Save the unit's figures (each one that differs from the system's needs a note saying why) and narrative;
    `submit` sends it to the receiving body, after which it is read-only. The system's figures are read again at
    each save, so that the report keeps what the system held when it was filed."""
    report = get_scoped_or_404(
        CampaignReport.objects.select_related("campaign"), actor, CHANGE, pk=report.pk, lock=True
    )
    if report.status == CampaignReport.Status.SUBMITTED:
        raise ValidationError(_("Báo cáo đã gửi: không sửa được."))
    notes = notes or {}
    system = campaign_selectors.system_figures(actor, report)
    values, kept_notes, errors = {}, {}, {}
    for code in FIGURE_CODES:
        try:
            values[code] = _number(code, figures.get(code, system.get(code, 0)))
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        note = str(notes.get(code, "") or "").strip()[:500]
        if values[code] != system.get(code, 0):
            if not note:
                errors[code] = _("Số liệu khác số liệu hệ thống (%(system)s): ghi rõ lý do.") % {
                    "system": system.get(code, 0)
                }
            kept_notes[code] = note
    if errors:
        raise ValidationError(errors)
    report.system, report.figures, report.notes = system, values, kept_notes
    report.narrative = narrative.strip()
    action = "plans.campaign_report_save"
    if submit:
        report.status = CampaignReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        action = "plans.campaign_report_submit"
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=action,
        obj=report,
        org_unit=report.commune,
        changes={"differs": sorted(kept_notes)},
    )
    return report


@transaction.atomic
def donation_link(*, actor, donation, campaign: Campaign) -> DonationCampaign:
    """Link a donation to the campaign it was raised for (its fund changed by the actor; the campaign seen by the
    actor); a link made before is moved, audited."""
    from apps.funds.models import Donation

    donation = get_scoped_or_404(Donation.objects.select_related("fund"), actor, CHANGE, pk=donation.pk)
    campaign = get_scoped_or_404(Campaign, actor, pk=campaign.pk)
    link, _created = DonationCampaign.objects.update_or_create(donation=donation, defaults={"campaign": campaign})
    audit_record(
        actor=actor,
        action="plans.campaign_donation_link",
        obj=campaign,
        org_unit=campaign.org_unit,
        changes={"donation": donation.receipt_number},
    )
    return link
