"""Progress across a school's assessment cycles (its indicators met per cycle, the change from the last) and the
status page's commune filter."""

from django.urls import reverse

from apps.standards import selectors, services
from apps.standards.tests.conftest import indicators, rate_all


class TestProgressAcrossCycles:
    def test_each_cycle_counts_its_indicators_met_and_the_change_from_the_previous_one(self, cast, cycle, test_set):
        items = indicators(test_set)
        rate_all(cast.principal_a, cycle, items[:3])
        later = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2032, criteria_set=test_set)
        rate_all(cast.principal_a, later, items[:5])
        rate_all(cast.principal_a, later, items[5:6], met=False)
        rows = selectors.progress_of(cast.principal_a, cast.school_a)
        assert [(r.cycle.year, r.met, r.total, r.change) for r in rows] == [(2031, 3, 11, None), (2032, 5, 11, 2)]
        assert rows[1].by_level[0][2] == 5  # five indicators of level 1 in the test set

    def test_the_school_page_shows_the_trend(self, cast, client_for, cycle, test_set):
        items = indicators(test_set)
        rate_all(cast.principal_a, cycle, items[:4])
        later = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2032, criteria_set=test_set)
        rate_all(cast.principal_a, later, items[:1])
        page = client_for(cast.commune_officer).get(reverse("standards:school", args=[cast.school_a.pk]))
        body = page.content.decode()
        table = body[body.index('id="progress"') : body.index("</table>", body.index('id="progress"'))]
        assert "4/11 (36%)" in table and "1/11 (9%)" in table and "<td>-3</td>" in table
        assert table.index("2031") < table.index("2032")


class TestCommuneFilter:
    def test_the_status_page_shows_only_the_chosen_commune_s_schools(self, cast, client_for):
        client = client_for(cast.province_officer)
        url = reverse("standards:index")
        everything = client.get(url).content.decode()
        assert cast.school_a.name in everything and cast.school_b.name in everything
        assert f'<option value="{cast.commune_a.pk}"' in everything
        only_a = client.get(url, {"unit": cast.commune_a.pk}).content.decode()
        assert cast.school_a.name in only_a and cast.school_b.name not in only_a
        assert f"?unit={cast.commune_a.pk}" in only_a  # the export follows the filter

    def test_a_commune_out_of_scope_answers_404(self, cast, client_for):
        response = client_for(cast.commune_officer).get(reverse("standards:index"), {"unit": cast.commune_b.pk})
        assert response.status_code == 404

    def test_the_export_follows_the_filter(self, cast, client_for):
        import io

        from openpyxl import load_workbook

        response = client_for(cast.province_officer).get(
            reverse("standards:status_export"), {"unit": cast.commune_b.pk}
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        names = {c.value for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row}
        assert cast.school_b.name in names and cast.school_a.name not in names
