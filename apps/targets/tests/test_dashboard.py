"""The dashboard tile of the home page: each indicator against its target per level with both counts and the
children short, the units below target first, a fixed number of queries, aggregates only for partner officers,
and SVG charts without inline style or script."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.indicators.registry import Target as EngineTarget
from apps.schools.models import School, SchoolYear
from apps.students.models import Enrolment
from apps.targets import dashboard

pytestmark = pytest.mark.django_db


def tile_html(client) -> str:
    html = client.get("/").content.decode()
    start = html.index('<article class="attention dashboard">')
    return html[start : html.index("</article>", start)]


class TestLines:
    def test_each_line_shows_the_counts_and_the_children_short(self, cast, client_for):
        html = tile_html(client_for(cast.commune_officer))
        assert "Chỉ tiêu năm học 2025-2026 — Xã Trà Linh" in html
        assert re.search(r"Tỷ lệ duy trì sĩ số</a> <span class=\"muted\">Tiểu học</span>", html)
        assert re.search(r"\d+/\d+", html) and re.search(r"thiếu \d+ em", html)

    def test_below_target_units_and_lines_come_first(self, cast):
        data = dashboard.dashboard(cast.province_officer)
        lines = data["lines"]
        assert any(line.below_count for line in lines)
        flags = [bool(line.main.below or line.below_count) for line in lines]
        assert flags == sorted(flags, reverse=True)
        for line in lines:
            below = [u.below for u in line.units]
            assert below == sorted(below, reverse=True)
            shorts = [u.gap.missing for u in line.units if u.below]
            assert shorts == sorted(shorts, reverse=True)  # the worst first

    def test_late_registrations_come_first(self, cast):
        registrations = dashboard.dashboard(cast.commune_officer)["registrations"]
        statuses = [r["status"] for r in registrations]
        assert statuses[0] == "late" and "Trường PTDTBT Tiểu học Trà Nam" in {
            r["school"].name for r in registrations if r["status"] == "late"
        }

    def test_a_school_shows_only_the_levels_it_teaches(self, cast):
        lines = dashboard.dashboard(cast.principal_a)["lines"]
        assert {line.level for line in lines} <= {0, 4}
        assert lines and all(not line.units for line in lines)

    def test_a_teacher_sees_their_classes_figures_and_no_unit(self, cast, client_for):
        from apps.students.models import Enrolment

        data = dashboard.dashboard(cast.teacher_a)
        assert data["teacher"] and [r["class_group"].name for r in data["classes"]] == ["1A"]
        row = data["classes"][0]
        in_class = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A", year__start_year=2025)
        assert row["ongoing"] == in_class.filter(ongoing=True).count() > 0
        assert row["insured"].numerator == in_class.filter(ongoing=True, health_insurance=True).count()
        assert row["goal"] is not None and row["goal"].value == 90  # the province's default for Trà Nam
        html = client_for(cast.teacher_a).get("/").content.decode()
        assert "Lớp của tôi" in html and 'class="attention dashboard"' not in html


class TestQueries:
    def test_the_query_count_does_not_grow_with_the_units(self, cast):
        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        schools = list(School.objects.select_related("location", "managed_by").order_by("pk"))
        assert len(schools) >= 8
        province = EngineTarget(unit=cast.province)

        def count(n):
            targets = [province, *(EngineTarget(school=s) for s in schools[:n])]
            with CaptureQueriesContext(connection) as ctx:
                lines = dashboard.measure(targets, year)
            assert lines
            return len(ctx.captured_queries)

        assert count(4) == count(8)

    def test_the_registrations_take_three_queries_for_any_number_of_schools(self, cast):
        from apps.core.scoping import scope_for
        from apps.targets import selectors

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        sizes = []
        for user in (cast.commune_officer, cast.province_officer):
            scope_for(user)  # the scope is built once per request, before any page reads
            with CaptureQueriesContext(connection) as ctx:
                rows = selectors.registrations(user, year)
            sizes.append((len(rows), len(ctx.captured_queries)))
        assert sizes[0][0] < sizes[1][0]  # more schools…
        assert sizes[0][1] == sizes[1][1] == 3  # …the same queries


class TestPartner:
    def test_a_partner_officer_sees_the_aggregates_and_no_child(self, cast, client_for):
        html = tile_html(client_for(cast.partner))
        assert "Xã Trà Linh" in html and re.search(r"\d+/\d+", html)
        assert "/students/" not in html
        assert "Quá hạn" not in html  # registrations are the schools' and officers' work
        names = Enrolment.objects.filter(school__location=cast.commune_a).values_list("child__full_name", flat=True)
        assert names and not any(name in html for name in names[:200])


class TestCharts:
    def test_the_charts_are_svg_without_inline_style_or_script_and_with_a_text_alternative(self, cast, client_for):
        html = tile_html(client_for(cast.commune_officer))
        assert html.count("<svg") >= 2
        assert " style=" not in html and "<script" not in html.lower() and "<style" not in html.lower()
        assert 'viewBox="0 0 320' in html and 'width="100%"' in html  # scales down to a phone's width
        assert html.count('<table class="chart-data">') == html.count("<svg")  # each chart's figures as text
        assert "các đơn vị so với chỉ tiêu" in html

    def test_the_dropout_curve_by_phase_and_the_two_years(self, cast):
        kinds = [c["kind"] for c in dashboard.dashboard(cast.province_officer)["charts"]]
        assert "years" in kinds and "dropout" in kinds


class TestFundProgress:
    def test_a_published_fund_target_reads_short_in_dong(self, cast, client_for):
        import datetime
        from decimal import Decimal

        from apps.targets import services

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        services.publication_publish(
            actor=cast.commune_officer,
            org_unit=cast.commune_a,
            year=year,
            deadline=datetime.date(2025, 9, 20),
            rows=[("fund_progress", 0, ">=", Decimal("100")), ("health_insurance", 0, ">=", Decimal("90"))],
            announce=False,
        )
        line = next(
            li for li in dashboard.dashboard(cast.commune_officer)["lines"] if li.indicator.code == "fund_progress"
        )
        value, gap = line.main.value, line.main.gap
        assert gap.short == max(0, value.denominator - value.numerator)  # ≥ 100 % of the funds' targets, in đồng
        html = tile_html(client_for(cast.commune_officer))
        row = html[html.index("Tiến độ vận động quỹ") :].split("</tr>")[0]
        assert "₫" in row and " em" not in row
