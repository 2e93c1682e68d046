from apps.schools.models import Level
from apps.standards import rules


class TestWhichSet:
    def test_a_school_with_any_secondary_level_takes_the_secondary_set(self):
        assert rules.set_kind(Level.PRIMARY | Level.LOWER_SECONDARY) == rules.SECONDARY
        assert rules.set_kind(Level.LOWER_SECONDARY) == rules.SECONDARY

    def test_preschool_levels_take_the_preschool_set_and_primary_alone_the_primary_one(self):
        assert rules.set_kind(Level.KINDERGARTEN | Level.CRECHE) == rules.PRESCHOOL
        assert rules.set_kind(Level.PRIMARY) == rules.PRIMARY
        assert rules.set_kind(Level.CONTINUING) is None


class TestCriterionLevel:
    def test_a_criterion_with_no_indicators_is_never_met(self):
        assert rules.criterion_level([]) == 0

    def test_it_is_met_at_a_level_when_every_indicator_up_to_it_is_met(self):
        assert rules.criterion_level([(1, True), (1, True), (2, True), (3, False)]) == 2
        assert rules.criterion_level([(1, True), (1, False), (2, True), (3, True)]) == 0
        assert rules.criterion_level([(1, True), (2, True), (3, True)]) == 3

    def test_levels_are_cumulative(self):
        assert rules.criterion_level([(1, False), (2, True), (3, True)]) == 0


class TestSchoolLevel:
    def test_the_school_reaches_the_lowest_level_of_its_criteria(self):
        assert rules.school_level([3, 2, 3], [True]) == 2
        assert rules.school_level([3, 3], [True]) == 4
        assert rules.school_level([3, 3], [False]) == 3
        assert rules.school_level([3, 3], []) == 3
        assert rules.school_level([], []) == 0

    def test_the_national_standard_level_follows_the_set_s_rule(self):
        rule = {"1": 2, "2": 3}
        assert [rules.national_level(a, rule) for a in (0, 1, 2, 3, 4)] == [0, 0, 1, 2, 2]
        assert rules.national_level(2, {"1": 3, "2": 4}) == 0  # another set's rule is data too

    def test_an_evidence_code_reads_box_standard_criterion_number(self):
        assert rules.evidence_code(1, 1, 10, 1) == "[H1-1.10-01]"
