"""The public hotline (đường dây nóng): anyone reports a child not in school, on the public page (no login) or by
phone to an officer who types it in. The report lands with its commune's officers, who accept it as a case or close
it with a reason. The reporter gets a reference code whose status check says nothing but the status.

Limits, kept in the database (the reports themselves): at most `PER_ADDRESS_HOUR` reports an hour from one address
— kept only as a keyed hash (HMAC-SHA256 with the site's SECRET_KEY), never the address — and `PER_COMMUNE_DAY` a
commune a day; the public form has a honeypot field that a person never fills."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, get_scoped_or_404
from apps.core.text import nfc
from apps.orgunits.models import OrgUnit
from apps.retention.models import DropoutCase, HotlineNumber, HotlineReport

PER_ADDRESS_HOUR = 5
PER_COMMUNE_DAY = 50
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
Status = HotlineReport.Status


def address_hash(address: str) -> str:
    """The keyed hash an address is kept as: whoever reads the table cannot recover the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def commune_from_text(text: str) -> OrgUnit:
    """The one current commune the text names, through the address resolver (communes only, never a hamlet or a
    province): a clear message otherwise."""
    from apps.orgunits.resolver import resolve

    text = nfc(text or "").strip()[:200]
    if not text:
        raise ValidationError({"commune": _("Hãy ghi xã, phường nơi trẻ ở.")})
    found = [u for u in resolve(text).units if u.is_current and u.is_commune_level]
    if not found:
        raise ValidationError(
            {"commune": _("Không tìm thấy xã, phường “%(t)s”: hãy ghi cả tỉnh, thành phố.") % {"t": text}}
        )
    if len(found) > 1:
        raise ValidationError(
            {"commune": _("“%(t)s” có thể là nhiều xã, phường: hãy ghi cả tỉnh, thành phố.") % {"t": text}}
        )
    return found[0]


@transaction.atomic
def report_submit(
    *,
    commune: OrgUnit,
    child_text: str,
    age: int | None = None,
    hamlet_text: str = "",
    known: str = "",
    contact: str = "",
    address: str = "",
    honeypot: str = "",
    actor=None,
) -> HotlineReport:
    """Record a report (from the public page, `address` the visitor's; or taken by phone by an officer, `actor`).
    Refuses a filled honeypot, the sixth report in an hour from one address and the 51st a commune a day."""
    if honeypot:
        raise ValidationError(_("Không gửi được tin báo."))
    commune = OrgUnit.objects.select_for_update().get(pk=commune.pk)  # the day's count, one writer at a time
    if not commune.is_current or not commune.is_commune_level:
        raise ValidationError({"commune": _("Hãy chọn một xã, phường hiện hành.")})
    child_text = nfc(child_text or "").strip()
    if not child_text:
        raise ValidationError({"child_text": _("Hãy ghi tên hoặc mô tả trẻ.")})
    if age is not None and not 3 <= age <= 18:
        raise ValidationError({"age": _("Tuổi của trẻ từ 3 đến 18.")})
    now = timezone.now()
    keyed = "" if actor is not None else address_hash(address)
    if actor is None:
        recent = HotlineReport.objects.filter(address_hash=keyed, received_at__gte=now - datetime.timedelta(hours=1))
        if recent.count() >= PER_ADDRESS_HOUR:
            raise ValidationError(
                _("Bạn đã gửi nhiều tin báo trong một giờ: hãy thử lại sau hoặc gọi số đường dây nóng.")
            )
    today = HotlineReport.objects.filter(commune=commune, received_at__gte=now - datetime.timedelta(days=1))
    if today.count() >= PER_COMMUNE_DAY:
        raise ValidationError(_("Xã, phường này đã nhận nhiều tin báo hôm nay: hãy gọi số đường dây nóng."))
    report = HotlineReport(
        code=new_code(),
        commune=commune,
        child_text=child_text[:300],
        age=age,
        hamlet_text=nfc(hamlet_text).strip()[:150],
        known=nfc(known).strip()[:2000],
        contact=nfc(contact).strip()[:200],
        via=HotlineReport.Via.PHONE if actor is not None else HotlineReport.Via.WEB,
        address_hash=keyed,
        taken_by=actor,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor, action="retention.hotline_report", obj=report, org_unit=commune, changes={"via": report.via}
    )
    transaction.on_commit(lambda: _tell_officers(report), robust=True)
    return report


def phone_intake(*, actor, commune: OrgUnit, **fields) -> HotlineReport:
    """A report taken by phone: by an officer of the commune (or above it)."""
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    return report_submit(actor=actor, commune=commune, **fields)


def _tell_officers(report: HotlineReport) -> None:
    from django.urls import reverse

    from apps.accounts.models import Role, RoleAssignment
    from apps.notifications.services import notify

    officers = [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role=Role.COMMUNE_OFFICER, org_unit=report.commune)
        .select_related("user")
    ]
    if officers:
        notify(
            recipients=officers,
            kind="retention.hotline",
            title=_("Có tin báo mới về trẻ không đến trường"),
            body=_("Hãy xem và xử lý tin báo %(c)s.") % {"c": report.code},
            url=reverse("retention:hotline_report", kwargs={"pk": report.pk}),
        )


def status_of(code: str) -> str | None:
    """The status of the report with this code, in words, and nothing else (None: no such code)."""
    code = (code or "").strip().upper()
    if not 6 <= len(code) <= 12 or not code.isalnum():
        return None
    status = HotlineReport.objects.filter(code=code).values_list("status", flat=True).first()
    return str(Status(status).label) if status else None


def _handled(actor, report: HotlineReport) -> HotlineReport:
    report = get_scoped_or_404(HotlineReport.objects.select_related("commune"), actor, CHANGE, lock=True, pk=report.pk)
    if report.status == Status.CLOSED:
        raise ValidationError(_("Tin báo đã kết thúc."))
    return report


@transaction.atomic
def report_accept(*, actor, report: HotlineReport, child=None) -> DropoutCase:
    """The commune's officer accepts the report as a case (of a known child, or described as reported)."""
    from apps.retention.cases import case_open
    from apps.schools.selectors import current_year

    report = _handled(actor, report)
    year = current_year(report.commune)
    if year is None:
        raise ValidationError(_("Tỉnh chưa có năm học hiện hành."))
    case = case_open(
        actor=actor,
        commune=report.commune,
        year=year,
        source=DropoutCase.Source.HOTLINE,
        child=child,
        subject=report.child_text,
    )
    report.case, report.status, report.handled_by = case, Status.HANDLING, actor
    report.save()
    audit_record(
        actor=actor, action="retention.hotline_accept", obj=report, org_unit=report.commune, changes={"case": case.pk}
    )
    return case


@transaction.atomic
def report_close(*, actor, report: HotlineReport, reason: str) -> HotlineReport:
    """Close a report with a reason (a child already in school, a wrong commune, nothing found…)."""
    report = _handled(actor, report)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do kết thúc tin báo.")})
    report.status, report.close_reason, report.handled_by = Status.CLOSED, reason[:500], actor
    report.save()
    audit_record(actor=actor, action="retention.hotline_close", obj=report, org_unit=report.commune)
    return report


def sync_closed_cases(case: DropoutCase) -> None:
    """A report accepted as a case reads "closed" once its case is closed."""
    if case.status == DropoutCase.Status.CLOSED:
        HotlineReport.objects.filter(case=case).exclude(status=Status.CLOSED).update(status=Status.CLOSED)


@transaction.atomic
def number_set(*, actor, commune: OrgUnit, phone: str, published: bool = True) -> HotlineNumber:
    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    phone = "".join(c for c in phone if c.isdigit() or c in "+ .")[:20].strip()
    if len([c for c in phone if c.isdigit()]) < 3:
        raise ValidationError({"phone": _("Số điện thoại không hợp lệ.")})
    number, _created = HotlineNumber.objects.update_or_create(
        commune=commune, phone=phone, defaults={"published": published}
    )
    audit_record(actor=actor, action="retention.hotline_number", obj=number, org_unit=commune)
    return number


def published_numbers():
    return HotlineNumber.objects.restrict(None, "public").select_related("commune", "commune__parent")
