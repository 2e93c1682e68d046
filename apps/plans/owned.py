"""What the plans app's records kept by a school or a unit share (a plan, a meeting, a campaign's report): exactly
one of `school` and `org_unit` is set (each model's own check constraint says so), and the commune the record is
kept in. A plain mixin, not an abstract model: the fields stay declared on each model, so no migration changes."""


class SchoolOrUnit:
    """Mixed into a model with a `school` and an `org_unit` foreign key, one of them set."""

    @property
    def owner(self):
        return self.school or self.org_unit

    @property
    def commune(self):
        """The commune the record is kept in (the change log's unit): a school's location, or the unit itself."""
        return self.school.location if self.school_id else self.org_unit
