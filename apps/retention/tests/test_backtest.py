"""Backtest before trust, on the demo: the rules page shows how the current rules would have done on the latest
finished year holding records (2024-2025 in the demo): dropouts flagged, dropouts missed, false alarms."""

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.retention.backtest import backtest
from apps.retention.services import rules_update


def test_the_backtest_counts_flagged_missed_and_false_alarms_on_the_demo(cast):
    result = backtest(cast.province_officer, cast.province)
    print(
        f"backtest {result.year.name}: {result.students} students, {result.dropouts} dropouts after semester I; "
        f"flagged {result.caught}, missed {result.missed}, false alarms {result.false_alarms}"
    )
    assert result.year.start_year == 2024 and result.cut.month == 1
    assert result.dropouts > 0 and result.caught > 0 and result.missed >= 0 and result.false_alarms > 0
    assert result.caught + result.missed == result.dropouts
    assert result.caught / result.dropouts > (result.flagged - result.caught) / (result.students - result.dropouts)
    assert AuditEvent.objects.filter(action="retention.backtest_read", kind="read").exists()


def test_the_rules_page_prints_the_backtest_and_follows_a_rule_edit(cast, client_for):
    client = client_for(cast.province_officer)
    before = backtest(cast.province_officer, cast.province)
    page = client.get(reverse("retention:rules")).content.decode()
    assert "Kiểm tra quy tắc trên năm học đã qua" in page and "2024-2025" in page
    assert f'<td class="caught">{before.caught}</td>' in page
    assert f'<td class="missed">{before.missed}</td>' in page
    assert f'<td class="false-alarms">{before.false_alarms}</td>' in page
    rules_update(actor=cast.province_officer, province=cast.province, weights={"absences": 0, "poor_result": 0})
    after = backtest(cast.province_officer, cast.province)
    assert after.caught < before.caught  # without absences and results the rules see less


def test_a_commune_officer_sees_the_backtest_of_their_commune_only(cast):
    commune = backtest(cast.commune_officer, cast.province)
    province = backtest(cast.province_officer, cast.province)
    assert 0 < commune.students < province.students
