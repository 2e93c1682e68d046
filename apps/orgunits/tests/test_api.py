from apps.accounts.services import api_token_create, api_token_revoke


def bearer(client, user):
    _token, raw = api_token_create(actor=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


class TestResolveEndpoint:
    def test_it_answers_the_successor_with_candidates_and_what_was_matched(self, cast, client):
        bearer(client, cast.teacher_a)
        data = client.get("/api/v1/orgunits/resolve", {"q": "xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam"}).json()
        assert data["status"] == "ok"
        assert [(c["code"], c["full_name"]) for c in data["candidates"]] == [
            ("20950", "Xã Trà Linh, Thành phố Đà Nẵng")
        ]
        assert data["matched"][0]["name"] == "Xã Trà Nam" and data["matched"][0]["current"] is False

    def test_ambiguous_lists_every_candidate(self, cast, client):
        bearer(client, cast.teacher_a)
        data = client.get("/api/v1/orgunits/resolve", {"q": "huyện Nam Trà My"}).json()
        assert data["status"] == "ambiguous" and len(data["candidates"]) > 1

    def test_a_hamlet_out_of_scope_is_not_returned(self, cast, client):
        bearer(client, cast.teacher_b)
        data = client.get("/api/v1/orgunits/resolve", {"q": "Thôn 1, xã Trà Nam, huyện Nam Trà My"}).json()
        assert data["status"] == "ok" and data["hamlet"] is None
        bearer(client, cast.teacher_a)
        data = client.get("/api/v1/orgunits/resolve", {"q": "Thôn 1, xã Trà Nam, huyện Nam Trà My"}).json()
        assert data["hamlet"]["name"] == "Thôn 1 (xã Trà Nam cũ)"

    def test_it_needs_authentication(self, db, client):
        assert client.get("/api/v1/orgunits/resolve", {"q": "Trà Nam"}).status_code == 401


class TestOrgUnitEndpoints:
    def test_the_list_is_scoped(self, cast, client):
        bearer(client, cast.commune_officer)
        data = client.get("/api/v1/orgunits/", {"level": 3}).json()
        assert [u["code"] for u in data["items"]] == ["20950"]

    def test_detail_shows_history(self, cast, client):
        bearer(client, cast.commune_officer)
        data = client.get(f"/api/v1/orgunits/{cast.commune_a.pk}").json()
        assert {p["name"] for p in data["predecessors"]} >= {"Xã Trà Nam", "Xã Trà Linh"}

    def test_out_of_scope_is_404(self, cast, client):
        bearer(client, cast.commune_officer)
        assert client.get(f"/api/v1/orgunits/{cast.commune_b.pk}").status_code == 404

    def test_a_revoked_token_is_refused(self, cast, client):
        token, raw = api_token_create(actor=cast.teacher_a, name="cũ")
        api_token_revoke(actor=cast.teacher_a, token=token)
        response = client.get("/api/v1/orgunits/", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401


class TestSchoolEndpoints:
    def test_a_teacher_lists_only_their_school(self, cast, client):
        bearer(client, cast.teacher_a)
        data = client.get("/api/v1/schools/").json()
        assert [s["moet_code"] for s in data["items"]] == [cast.school_a.moet_code]
        assert data["items"][0]["levels"] == ["primary"]

    def test_school_detail_has_its_sites(self, cast, client):
        bearer(client, cast.commune_officer)
        data = client.get(f"/api/v1/schools/{cast.school_a.pk}").json()
        assert {s["name"] for s in data["sites"]} == {"Điểm chính", "Điểm Thôn 2", "Điểm Thôn 3"}
        assert data["managed_by"]["code"] == "20950"

    def test_filter_by_level(self, cast, client):
        bearer(client, cast.province_officer)
        codes = {
            s["moet_code"]
            for s in client.get("/api/v1/schools/", {"level": "upper_secondary", "limit": 50}).json()["items"]
        }
        assert codes == {"48095004", "48010004"}

    def test_the_session_works_for_the_browser(self, cast, client):
        client.force_login(cast.teacher_b)
        assert client.get(f"/api/v1/schools/{cast.school_b.pk}").status_code == 200
        assert client.get(f"/api/v1/schools/{cast.school_a.pk}").status_code == 404

    def test_openapi_docs_are_served_without_a_cdn(self, db, client):
        page = client.get("/api/v1/docs").content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


class TestBounds:
    def test_absurd_numbers_answer_404_or_422_not_500(self, cast, client):
        bearer(client, cast.province_officer)
        assert client.get(f"/api/v1/orgunits/{10**20}").status_code == 404
        assert client.get("/api/v1/orgunits/", {"parent": 10**20}).status_code == 422

    def test_a_page_holds_at_most_page_size_items(self, cast, client, settings):
        bearer(client, cast.province_officer)
        assert client.get("/api/v1/orgunits/", {"limit": 100000}).status_code == 422
        data = client.get("/api/v1/orgunits/", {"current": False}).json()
        assert data["count"] > settings.PAGE_SIZE and len(data["items"]) == settings.PAGE_SIZE
