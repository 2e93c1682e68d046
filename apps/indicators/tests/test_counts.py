import pytest
from django.core.management import call_command

from apps.indicators import counts
from apps.indicators.models import CountRefresh, EnrolmentCount

pytestmark = pytest.mark.django_db


class TestCountsOfTheDemo:
    def test_the_demo_seed_leaves_the_tables_equal_to_a_full_recompute(self, cast):
        assert EnrolmentCount.objects.exists()
        assert counts.stored() == counts.recompute()

    def test_rebuild_counts_rewrites_them_the_same(self, cast):
        before = counts.stored()
        EnrolmentCount.objects.all().delete()
        call_command("rebuild_counts", stdout=open("/dev/null", "w"))
        assert counts.stored() == before
        assert CountRefresh.objects.exists()
