"""Writes of the targets: publishing defaults, and the annex's workflow draft → submitted → approved, or returned
with a comment → resubmitted; reopening a late registration with a new deadline. Each is one audited transaction;
the people concerned are told after it commits (`apps.notifications`).

Who: publishing — the officers of the publishing unit itself; registering and submitting — the school's
principal; approving, returning and reopening — the officers of the school's managing unit itself (a principal
gets 403 on their own annex, and so does a province officer on a commune school: `AnnexQuerySet`).

The writes bound by a deadline take `today` (by default the day they run): the demo writes its history with it, as
the daily jobs take their day, and with `announce=False`: a past year's steps are not news to anyone."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.indicators import registry
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.targets import catalogue, publications, rules
from apps.targets.models import Annex, AnnexLine, Publication, Target, check_value

S = Annex.Status


def _today() -> datetime.date:
    return timezone.localdate()


def principals_of(school_ids):
    from apps.accounts.models import RoleAssignment, User

    grants = RoleAssignment.objects.active().filter(school__in=list(school_ids), role="principal")
    return User.objects.filter(pk__in=grants.values("user"), is_active=True)


def officers_of(unit_ids):
    from apps.accounts.models import RoleAssignment, User

    grants = RoleAssignment.objects.active().filter(
        org_unit__in=list(unit_ids), role__in=("province_officer", "commune_officer")
    )
    return User.objects.filter(pk__in=grants.values("user"), is_active=True)


def _notify(announce: bool = True, **kwargs) -> None:
    """Tell the people concerned; `announce=False` for history written after the fact (the demo's past year)."""
    if not announce:
        return
    from apps.notifications.services import notify

    notify(**kwargs)


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():  # "NaN" and "Infinity" parse, and compare with nothing
        raise ValidationError({field: _("“%(value)s” không phải là số.") % {"value": str(value)[:40]}})
    return number


def check_row(indicator: str, level: int) -> registry.Indicator:
    """The indicator of a published or registered row, refused unless the engine knows it at that level."""
    try:
        found = registry.get(indicator)
    except KeyError:
        raise ValidationError(_("Chỉ số “%(code)s” không có trong hệ thống.") % {"code": indicator}) from None
    if level and found.levels and level not in found.levels:
        raise ValidationError(_("Chỉ số “%(code)s” không tính theo cấp học này.") % {"code": indicator})
    return found


# ---- publishing --------------------------------------------------------------------------------------------------


def may_publish(user, unit: OrgUnit) -> bool:
    scope = scope_for(user)
    return scope.is_admin or unit.path in scope.officer_paths


@transaction.atomic
def publication_publish(
    *, actor, org_unit: OrgUnit, year: SchoolYear, deadline: datetime.date, rows, note="", announce: bool = True
):
    """Publish (or publish again) `org_unit`'s default targets for `year`: `rows` of (indicator, level, comparison,
    value). Publishing again replaces the defaults and the deadline; annexes already started keep their lines."""
    unit = get_scoped_or_404(OrgUnit.objects.current(), actor, VIEW, pk=org_unit.pk)
    if not may_publish(actor, unit):
        raise PermissionDenied
    if unit.level not in (OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE):
        raise ValidationError(_("Chỉ tiêu do tỉnh, thành phố hoặc xã, phường ban hành."))
    if year.province_id != unit.province().pk:
        raise ValidationError({"year": _("Năm học không thuộc tỉnh, thành phố của đơn vị.")})
    if not year.starts_on <= deadline <= year.ends_on:
        raise ValidationError({"deadline": _("Hạn đăng ký phải nằm trong năm học %(year)s.") % {"year": year.name}})
    rows = list(rows)
    if not rows:
        raise ValidationError(_("Chưa có chỉ tiêu nào để ban hành."))
    seen, errors = set(), {}
    for indicator, level, comparison, value in rows:
        found = check_row(indicator, level)
        if (indicator, level) in seen:
            raise ValidationError(_("Chỉ tiêu “%(code)s” được nhập hai lần.") % {"code": indicator})
        seen.add((indicator, level))
        # Every indicator of the engine is a rate (a numerator over a denominator, of children or of đồng: the
        # funds' progress is "≥ 100 %" of their targets), so is every default; the annex registers rates too.
        try:
            check_value(comparison, value, rules.RATE)
        except ValidationError as exc:
            # Named like the annex's refusals, on the row's field of the publish form (`PublishForm`, "val-<row>").
            row = f"{found.label} ({catalogue.LEVEL_LABELS.get(level, '')})"
            errors[f"val-{indicator}-{level}"] = [f"{row}: {m}" for ms in exc.message_dict.values() for m in ms]
    if errors:
        raise ValidationError(errors)
    publication, created = Publication.objects.update_or_create(
        org_unit=unit, year=year, defaults={"deadline": deadline, "note": note, "published_by": actor}
    )
    publication.targets.exclude(
        pk__in=[t.pk for t in publication.targets.all() if (t.indicator, t.level) in seen]
    ).delete()
    for indicator, level, comparison, value in rows:
        Target.objects.update_or_create(
            org_unit=unit,
            year=year,
            indicator=indicator,
            level=level,
            school=None,
            defaults={"comparison": comparison, "value": value, "kind": rules.RATE, "publication": publication},
        )
    audit_record(
        actor=actor,
        action="targets.publish",
        obj=publication,
        org_unit=unit,
        changes={
            "year": year.name,
            "deadline": deadline.isoformat(),
            "targets": [f"{i}:{lv}:{c}:{v}" for i, lv, c, v in rows],
            "again": not created,
        },
    )
    schools = School.objects.filter(managed_by__path__startswith=unit.path).select_related("managed_by")
    reached = [pk for pk, p in publications.nearest(schools, year).items() if p == publication]
    if reached:
        _notify(
            announce,
            recipients=principals_of(reached),
            kind="targets.published",
            title=_("Chỉ tiêu năm học %(year)s: đăng ký trước ngày %(day)s")
            % {"year": year.name, "day": deadline.strftime("%d/%m/%Y")},
            body=_("%(unit)s đã ban hành chỉ tiêu. Trường đăng ký phụ lục chỉ tiêu trên trang Chỉ tiêu.")
            % {"unit": unit.name},
            url=reverse("targets:index"),
        )
    return publication


# ---- the annex ---------------------------------------------------------------------------------------------------


def _principal_school(actor, school: School) -> School:
    # Locked: two clicks on "register" start one annex, not a unique-constraint error.
    school = get_scoped_or_404(School.objects.all(), actor, VIEW, pk=school.pk, lock=True)
    school = School.objects.select_related("managed_by").get(pk=school.pk)
    scope = scope_for(actor)
    if not scope.is_admin and school.pk not in scope.principal_school_ids:
        raise PermissionDenied
    return school


def _open(annex: Annex | None, publication: Publication | None, today: datetime.date | None) -> None:
    deadline = publications.deadline_of(annex, publication)
    if deadline is None:
        raise ValidationError(_("Đơn vị quản lý chưa ban hành chỉ tiêu năm học này."))
    if (today or _today()) > deadline:
        raise ValidationError(
            _("Đã quá hạn đăng ký (%(day)s): đơn vị quản lý cần mở lại đăng ký với hạn mới.")
            % {"day": deadline.strftime("%d/%m/%Y")}
        )


def _previous_year(year: SchoolYear) -> SchoolYear | None:
    return SchoolYear.objects.filter(province=year.province_id, start_year=year.start_year - 1).first()


def _prefill(school: School, year: SchoolYear, lines: list[AnnexLine]) -> None:
    """Last year's actual rate and this year's two counts, from the indicator engine (a few queries per indicator,
    whatever the number of lines)."""
    from apps.indicators.selectors import figures

    target = registry.Target(school=school)
    codes = {line.indicator for line in lines}
    before = _previous_year(year)
    for line in lines:
        level = line.level or None
        now = figures([target], year=year, level=level, codes={line.indicator}).get(line.indicator, {})
        value = now.get(target.key, {}).get("")
        if value is not None and not value.note:
            line.census_count, line.mobilised_count = value.denominator, value.numerator
        if before is not None and line.indicator in codes:
            then = figures([target], year=before, level=level, codes={line.indicator}).get(line.indicator, {})
            value = then.get(target.key, {}).get("")
            if value is not None and value.rate is not None:
                line.last_year = min(value.rate, Decimal("999.999"))


def _new_annex(*, actor, school: School, year: SchoolYear, publication: Publication, deadline=None) -> Annex:
    """A draft annex whose lines are `publication`'s defaults for the levels the school teaches."""
    annex = Annex.objects.create(school=school, year=year, created_by=actor, deadline=deadline)
    defaults = {(t.indicator, t.level): t for t in publication.targets.all()}
    lines = []
    for position, row in enumerate(catalogue.IN_ANNEX):
        target = defaults.get((row.indicator, row.level))
        if target is None or target.kind != rules.RATE or not catalogue.teaches(school.levels, row.level):
            continue
        lines.append(
            AnnexLine(
                annex=annex,
                indicator=row.indicator,
                level=row.level,
                comparison=target.comparison,
                default_value=target.value,
                value=target.value,
                position=position,
            )
        )
    _prefill(school, year, lines)
    AnnexLine.objects.bulk_create(lines)
    return annex


@transaction.atomic
def annex_start(*, actor, school: School, year: SchoolYear, today: datetime.date | None = None) -> Annex:
    """The principal opens the school's annex for `year`: its lines are the defaults of the nearest publication
    for the levels the school teaches, with last year's actual and this year's counts filled in."""
    school = _principal_school(actor, school)
    existing = Annex.objects.filter(school=school, year=year).first()
    if existing is not None:
        return existing
    publication = publications.nearest([school], year)[school.pk]
    _open(None, publication, today)
    annex = _new_annex(actor=actor, school=school, year=year, publication=publication)
    audit_record(
        actor=actor,
        action="targets.annex_start",
        obj=annex,
        org_unit=school.managed_by,
        changes={"year": year.name, "publication": publication.pk},
    )
    return annex


def _locked(actor, annex: Annex, action: str) -> Annex:
    return get_scoped_or_404(Annex.objects.all(), actor, action, pk=annex.pk, lock=True)


def _for_principal(actor, annex: Annex) -> tuple[Annex, Publication | None]:
    annex = _locked(actor, annex, CHANGE)
    annex = Annex.objects.select_related("school__managed_by", "year").get(pk=annex.pk)
    publication = publications.nearest([annex.school], annex.year)[annex.school_id]
    return annex, publication


@transaction.atomic
def annex_save(*, actor, annex: Annex, lines: dict, today: datetime.date | None = None) -> Annex:
    """Save the principal's values: `lines` {line id: {"value", "census_count", "mobilised_count",
    "justification"}}. Only a draft or a returned annex, and a draft only until its deadline."""
    annex, publication = _for_principal(actor, annex)
    if not annex.editable:
        raise ValidationError(_("Phụ lục đã gửi hoặc đã duyệt: không sửa được."))
    if annex.status == S.DRAFT:
        _open(annex, publication, today)
    errors, changed = {}, {}
    by_id = {line.pk: line for line in annex.lines.all()}
    for line_id, data in lines.items():
        line = by_id.get(int(line_id))
        if line is None:
            continue
        label = str(registry.get(line.indicator).label)
        try:
            value = _decimal(data.get("value"), "value")
            if value is None:
                raise ValidationError({"value": _("Nhập giá trị chỉ tiêu.")})
            check_value(line.comparison, value, rules.RATE)
            counts = {}
            for name in ("census_count", "mobilised_count"):
                raw = data.get(name)
                if raw in (None, ""):
                    counts[name] = None
                    continue
                text = str(raw).strip()
                if not text.isascii() or not text.isdigit() or len(text) > 7:
                    if text.lstrip("-").isdigit() and text.startswith("-"):
                        raise ValidationError({name: _("Số trẻ không được âm.")})
                    raise ValidationError(
                        {name: _("“%(value)s” không phải là số nguyên từ 0 đến 9.999.999.") % {"value": text[:40]}}
                    )
                counts[name] = int(text)
            if counts["census_count"] is not None and counts["mobilised_count"] is not None:
                if counts["mobilised_count"] > counts["census_count"] and line.indicator == "enrol_net":
                    raise ValidationError({"mobilised_count": _("Số huy động lớn hơn số trẻ trong độ tuổi.")})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"line-{line.pk}-{field}"] = [f"{label} ({line_level(line)}): {m}" for m in messages]
            continue
        justification = (data.get("justification") or "").strip()[:500]
        new = {"value": value, "justification": justification, **counts}
        diff = {k: [str(getattr(line, k)), str(v)] for k, v in new.items() if getattr(line, k) != v}
        if diff:
            for k, v in new.items():
                setattr(line, k, v)
            line.save()
            changed[f"{line.indicator}:{line.level}"] = diff
    if errors:
        raise ValidationError(errors)
    if changed:
        audit_record(
            actor=actor, action="targets.annex_save", obj=annex, org_unit=annex.school.managed_by, changes=changed
        )
    return annex


def line_level(line) -> str:
    return str(catalogue.LEVEL_LABELS.get(line.level, ""))


def _below_default(line: AnnexLine) -> bool:
    if line.default_value is None or line.value is None:
        return False
    if line.comparison in rules.FLOORS:
        return line.value < line.default_value
    return line.value > line.default_value


@transaction.atomic
def annex_submit(*, actor, annex: Annex, today: datetime.date | None = None, announce: bool = True) -> Annex:
    """Send the annex to the managing unit (again, after a return). A target weaker than the default needs its
    justification."""
    annex, publication = _for_principal(actor, annex)
    if not annex.editable:
        raise ValidationError(_("Phụ lục đã gửi hoặc đã duyệt."))
    if annex.status == S.DRAFT:
        _open(annex, publication, today)
    problems = []
    for line in annex.lines.all():
        label = f"{registry.get(line.indicator).label} ({line_level(line)})"
        if line.value is None:
            problems.append(_("%(row)s: chưa nhập chỉ tiêu.") % {"row": label})
        elif _below_default(line) and not line.justification:
            problems.append(_("%(row)s: thấp hơn chỉ tiêu giao, cần giải trình.") % {"row": label})
    if problems:
        raise ValidationError(problems)
    old = annex.status
    annex.status, annex.submitted_at = S.SUBMITTED, timezone.now()
    annex.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor,
        action="targets.annex_submit",
        obj=annex,
        org_unit=annex.school.managed_by,
        changes={"status": [old, S.SUBMITTED]},
    )
    _notify(
        announce,
        recipients=officers_of([annex.school.managed_by_id]),
        kind="targets.submitted",
        title=_("%(school)s đã gửi phụ lục chỉ tiêu năm học %(year)s")
        % {"school": annex.school.name[:100], "year": annex.year.name},
        body=_("Xem và duyệt hoặc trả lại phụ lục."),
        url=reverse("targets:annex", args=[annex.pk]),
    )
    return annex


def _for_unit(actor, annex: Annex) -> Annex:
    annex = _locked(actor, annex, MANAGE)
    return Annex.objects.select_related("school__managed_by", "year").get(pk=annex.pk)


@transaction.atomic
def annex_approve(*, actor, annex: Annex, announce: bool = True) -> Annex:
    """The managing unit approves a submitted annex: its lines become the school's targets for the year."""
    annex = _for_unit(actor, annex)
    if annex.status != S.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được phụ lục đã gửi."))
    for line in annex.lines.all():
        Target.objects.update_or_create(
            school=annex.school,
            year=annex.year,
            indicator=line.indicator,
            level=line.level,
            org_unit=None,
            defaults={"comparison": line.comparison, "value": line.value, "kind": rules.RATE},
        )
    annex.status, annex.decided_at, annex.decided_by, annex.comment = S.APPROVED, timezone.now(), actor, ""
    annex.save(update_fields=["status", "decided_at", "decided_by", "comment"])
    audit_record(
        actor=actor,
        action="targets.annex_approve",
        obj=annex,
        org_unit=annex.school.managed_by,
        changes={"status": [S.SUBMITTED, S.APPROVED]},
    )
    _notify(
        announce,
        recipients=principals_of([annex.school_id]),
        kind="targets.approved",
        title=_("Phụ lục chỉ tiêu năm học %(year)s đã được duyệt") % {"year": annex.year.name},
        url=reverse("targets:annex", args=[annex.pk]),
    )
    return annex


@transaction.atomic
def annex_return(*, actor, annex: Annex, comment: str, announce: bool = True) -> Annex:
    """The managing unit returns a submitted annex with what to correct."""
    annex = _for_unit(actor, annex)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Ghi ý kiến: trường cần sửa gì.")})
    if annex.status != S.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được phụ lục đã gửi."))
    annex.status, annex.decided_at, annex.decided_by, annex.comment = S.RETURNED, timezone.now(), actor, comment[:2000]
    annex.save(update_fields=["status", "decided_at", "decided_by", "comment"])
    audit_record(
        actor=actor,
        action="targets.annex_return",
        obj=annex,
        org_unit=annex.school.managed_by,
        changes={"status": [S.SUBMITTED, S.RETURNED], "comment": annex.comment},
    )
    _notify(
        announce,
        recipients=principals_of([annex.school_id]),
        kind="targets.returned",
        title=_("Phụ lục chỉ tiêu năm học %(year)s bị trả lại để sửa") % {"year": annex.year.name},
        body=_("Xem ý kiến của đơn vị quản lý trên trang phụ lục, sửa và gửi lại."),
        url=reverse("targets:annex", args=[annex.pk]),
    )
    return annex


@transaction.atomic
def annex_reopen(
    *, actor, school: School, year: SchoolYear, deadline: datetime.date, today: datetime.date | None = None
) -> Annex:
    """The managing unit reopens a late school's registration until a new deadline (creating its annex when it
    had not started one)."""
    # CHANGE on a school: the officers of its managing unit itself (not its principal, not the units above).
    school = get_scoped_or_404(School.objects.all(), actor, CHANGE, pk=school.pk, lock=True)
    school = School.objects.select_related("managed_by").get(pk=school.pk)
    if deadline <= (today or _today()):
        raise ValidationError({"deadline": _("Hạn mới phải sau hôm nay.")})
    if deadline > year.ends_on:
        raise ValidationError({"deadline": _("Hạn mới phải nằm trong năm học %(year)s.") % {"year": year.name}})
    publication = publications.nearest([school], year)[school.pk]
    if publication is None:
        raise ValidationError(_("Chưa ban hành chỉ tiêu năm học này."))
    annex = Annex.objects.select_for_update().filter(school=school, year=year).first()
    if annex is not None and annex.status in (S.SUBMITTED, S.APPROVED):
        raise ValidationError(_("Trường đã gửi phụ lục: không cần mở lại."))
    old = publications.deadline_of(annex, publication)
    if annex is None:
        annex = _new_annex(actor=actor, school=school, year=year, publication=publication, deadline=deadline)
    else:
        annex.deadline = deadline
        annex.save(update_fields=["deadline"])
    audit_record(
        actor=actor,
        action="targets.annex_reopen",
        obj=annex,
        org_unit=school.managed_by,
        changes={"deadline": [old.isoformat() if old else None, deadline.isoformat()]},
    )
    _notify(
        recipients=principals_of([school.pk]),
        kind="targets.reopened",
        title=_("Đăng ký chỉ tiêu năm học %(year)s được mở lại đến ngày %(day)s")
        % {"year": year.name, "day": deadline.strftime("%d/%m/%Y")},
        url=reverse("targets:annex", args=[annex.pk]),
    )
    return annex
