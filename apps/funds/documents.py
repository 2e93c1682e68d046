"""A donor's thank-you letter and receipt, in the state layout (`apps.core.statedoc`)."""

import datetime

from apps.core import doctemplate, statedoc
from apps.core.money import format_quantity, format_vnd
from apps.funds.models import Donation, DonationKind


def _issuer(fund) -> tuple[str, str, statedoc.Signature, str]:
    """(parent body, issuing body, signature without name, place) of the fund's owner."""
    if fund.school_id:
        school = fund.school
        return (
            f"UBND {school.managed_by.name}",
            school.name,
            statedoc.Signature("HIỆU TRƯỞNG", ""),
            school.location.name,
        )
    if fund.org_unit_id:
        unit = fund.org_unit
        parent = unit.province().name if unit.level > 1 else ""
        return (
            f"UBND {parent}" if parent else "",
            f"UBND {unit.name}",
            statedoc.Signature("CHỦ TỊCH", "", "TM. ỦY BAN NHÂN DÂN"),
            unit.name,
        )
    org = fund.organisation
    owner = org.school or org.org_unit
    place = org.school.location.name if org.school_id else org.org_unit.name
    return (
        str(owner),
        org.name,
        statedoc.Signature("TRƯỞNG BAN" if org.kind == "parents_association" else "CHỦ TỊCH", "", f"TM. {org.name}"),
        place,
    )


def describe(donation: Donation) -> str:
    if donation.kind == DonationKind.CASH:
        return f"số tiền {format_vnd(donation.amount)}"
    if donation.kind == DonationKind.IN_KIND:
        text = f"{format_quantity(donation.quantity)} {donation.unit} {donation.description}"
        return text + (f", trị giá {format_vnd(donation.valuation)}" if donation.valuation else "")
    return donation.description + (f", trị giá {format_vnd(donation.valuation)}" if donation.valuation else "")


def body_facts(fund) -> dict:
    """The facts of an issuing body for the fund's owner, when it has none yet (`services.donation_letter_issue`):
    its name, the body above it, the place and the abbreviation (the initials of its name)."""
    from apps.core.text import fold

    parent, body, _signature, place = _issuer(fund)
    initials = "".join(w[0] for w in fold(body).upper().split() if w[:1].isalpha())
    return {
        "name": body,
        "parent_name": parent,
        "place": place.removeprefix("Xã ").removeprefix("Phường "),
        "abbreviation": initials[:20] or "QUY",
    }


def letter(donation: Donation, *, on: datetime.date, signer, body) -> statedoc.Document:
    """The letter: the unnumbered document kind "thu_cam_on" (apps/funds/kinds/thu_cam_on.toml), filled with the
    donor, what was received and when, its receipt number (in the header, where a number stands), and the signer;
    headed by `body`, the issuing body it is entered under (its name, the body above it, its place)."""
    fund = donation.fund
    _parent, _name, signature, _place = _issuer(fund)
    parent, name, place = body.parent_name, body.name, body.place
    kind = doctemplate.kind("thu_cam_on")
    donor = donation.donor.name if donation.donor_id else "Quý nhà hảo tâm"
    details = f"{describe(donation)}, nhận ngày {donation.received_on:%d/%m/%Y}, người nhận: {donation.received_by}" + (
        f", trong đợt vận động “{donation.campaign}”" if donation.campaign else ""
    )
    context = {
        "body": name,
        "parent": parent,
        "place": place,
        "date": f"{on:%d/%m/%Y}",
        "year": on.year,
        "number": donation.receipt_number,
        "summary": fund.name,
        "addressee": donor,
        "details": details,
    }
    return statedoc.Document(
        header=statedoc.Header(
            body=name,
            parent=parent,
            number=f"Số biên nhận: {donation.receipt_number}",
            place=place,
            on=on,
        ),
        title=kind.title,
        summary=doctemplate.fill(kind.summary, context),
        addressee=doctemplate.fill(kind.addressee, context),
        paragraphs=[doctemplate.fill(p, context) for p in kind.paragraphs],
        signature=statedoc.Signature(signature.position, signer.full_name or signer.get_username(), signature.prefix),
        recipients=[doctemplate.fill(r, context) for r in kind.recipients],
    )
