"""What a record owned by a school, an org unit or an organisation (a fund, an issuing body) shares: the rule that
it has exactly one of the three, and the commune it is kept in."""

from django.db import models
from django.db.models import Q


def one_owner(name: str) -> models.CheckConstraint:
    """The database's rule: exactly one of `school`, `org_unit` and `organisation` is set."""
    return models.CheckConstraint(
        name=name,
        condition=Q(school__isnull=False, org_unit__isnull=True, organisation__isnull=True)
        | Q(school__isnull=True, org_unit__isnull=False, organisation__isnull=True)
        | Q(school__isnull=True, org_unit__isnull=True, organisation__isnull=False),
    )


class OwnedByOne:
    """Mixed into a model with the three owner fields."""

    @property
    def commune(self):
        """The commune the record is kept in (for the public pages and the change log's unit): a school's location,
        the unit itself, or an organisation's school's location or unit."""
        if self.school_id:
            return self.school.location
        if self.org_unit_id:
            return self.org_unit
        org = self.organisation
        return org.school.location if org.school_id else org.org_unit
