"""Which publication a school's defaults come from: the nearest one on its managing unit's path (the unit itself,
then the units above it), and when it must register by (the annex's reopened deadline, else the publication's).
A few queries for any number of schools."""

from apps.targets.models import Annex, Publication


def unit_ids(path: str) -> list[int]:
    """The ids on a unit's path, from the root down to the unit itself."""
    return [int(p) for p in path.strip("/").split("/") if p]


def nearest(schools, year) -> dict[int, Publication | None]:
    """{school id: the publication its defaults come from, or None} for schools with `managed_by` loaded (one
    query)."""
    schools = list(schools)
    wanted = {i for s in schools for i in unit_ids(s.managed_by.path)}
    found = {p.org_unit_id: p for p in Publication.objects.filter(year=year, org_unit__in=wanted)}
    out = {}
    for school in schools:
        out[school.pk] = next((found[i] for i in reversed(unit_ids(school.managed_by.path)) if i in found), None)
    return out


def deadline_of(annex: Annex | None, publication: Publication | None):
    """The day a school must submit by: a reopened annex's own deadline, else its publication's; None without
    either."""
    if annex is not None and annex.deadline is not None:
        return annex.deadline
    return publication.deadline if publication is not None else None


UNREGISTERED = (None, Annex.Status.DRAFT)  # never submitted: late once the deadline has passed


def is_late(annex: Annex | None, publication: Publication | None, today) -> bool:
    """Past the deadline with nothing submitted (a returned annex was registered in time: it is corrected and
    resubmitted whatever the day)."""
    deadline = deadline_of(annex, publication)
    status = annex.status if annex is not None else None
    return deadline is not None and today > deadline and status in UNREGISTERED
