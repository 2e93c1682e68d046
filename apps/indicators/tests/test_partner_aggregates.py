"""A partner officer's indicator pages (aggregates only) on the hand-built province (`province.build`): the study-
promotion association of Xã Một sees the commune's and its schools' figures — the numerators and denominators an
officer sees — and never a child's name."""

import html
import re

import pytest

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.indicators.tests.province import build
from apps.schools import services as schools
from apps.schools.models import Organisation
from apps.students.models import Child

pytestmark = pytest.mark.django_db

# Names a page could never show by chance (the hand-built children are called c1…c10).
NAMES = {
    "c1": "Hồ Thị Lành",
    "c2": "Alăng Văn Thép",
    "c3": "Bríu Thị Nhung",
    "c4": "Zơrâm Văn Ngọt",
    "c5": "Pơloong Thị Xuân",
    "c6": "Bhling Văn Đức",
    "c7": "Clâu Thị Hiền",
    "c8": "Coor Văn Tám",
    "c9": "Hôih Thị Chín",
    "c10": "Riah Văn Mười",
}


@pytest.fixture
def tp(cast):
    province = build(cast.admin)
    for key, name in NAMES.items():
        Child.objects.filter(pk=province.children[key].pk).update(full_name=name, name_folded=name.lower())
    association = schools.organisation_create(
        actor=cast.admin, kind=Organisation.Kind.STUDY_PROMOTION, name="Hội Khuyến học Xã Một", org_unit=province.x
    )
    accounts.role_grant(actor=cast.admin, user=cast.partner, role=Role.PARTNER_OFFICER, organisation=association)
    return province


def row(page: str, label: str) -> list[str]:
    """The cells of the indicators' table row `label`, as text: [label, the target's, each unit or school below]."""
    found = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", page, re.S)
    assert found, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    return [label] + [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


class TestPartnerAggregates:
    def test_the_commune_page_shows_the_figures_an_officer_sees(self, tp, cast, client_for):
        url = f"/indicators/units/{tp.x.pk}/?year=2025&level=4"
        partner = client_for(cast.partner).get(url)
        assert partner.status_code == 200
        page = partner.content.decode()
        # 4 of the 6 children of primary age in Xã Một's census are at school at the right age.
        rate, counts = row(page, "Tỷ lệ huy động đúng độ tuổi")[1].rsplit(" ", 1)
        assert counts == "4/6" and rate == "66,7 %"
        officer = client_for(cast.admin).get(url).content.decode()
        for label in ("Tỷ lệ huy động đúng độ tuổi", "Trẻ 6 tuổi vào lớp 1"):
            assert row(page, label) == row(officer, label)

    def test_a_school_page_shows_its_figures(self, tp, cast, client_for):
        page = client_for(cast.partner).get(f"/indicators/schools/{tp.a.pk}/?year=2025&level=4").content.decode()
        assert row(page, "Trẻ 6 tuổi vào lớp 1")[1].endswith(" 3/3")  # grade 1 at 6 in A's catchment

    def test_no_child_s_name_appears(self, tp, cast, client_for):
        client = client_for(cast.partner)
        pages = [
            client.get(f"/indicators/units/{tp.x.pk}/?year=2025&level=4").content.decode(),
            client.get(f"/indicators/units/{tp.x.pk}/?year=2025&indicator=grade1_at_6&by=sex").content.decode(),
            client.get(f"/indicators/schools/{tp.a.pk}/?year=2025").content.decode(),
            client.get(f"/indicators/schools/{tp.b.pk}/?year=2025").content.decode(),
        ]
        for page in pages:
            assert "Trẻ 6 tuổi vào lớp 1" in page
            assert [name for name in NAMES.values() if name in html.unescape(page)] == []
        # The same names are on the lists behind a number, which an officer may open and the partner may not.
        url = f"/indicators/schools/{tp.a.pk}/students/?year=2025&period=Y&measure=enrolled"
        assert NAMES["c1"] in html.unescape(client_for(cast.admin).get(url).content.decode())
        assert client.get(url).status_code == 404
