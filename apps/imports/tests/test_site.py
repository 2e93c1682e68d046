"""The imports' home tile: failed files and files waiting for confirmation, of the user's units and schools."""

from django.urls import reverse

from apps.imports.models import ImportJob
from apps.imports.site import imports_tile


def a_job(cast, status):
    return ImportJob.objects.create(
        kind="students.roster",
        org_unit=cast.commune_a,
        target_id=cast.school_a.pk,
        filename="ds.csv",
        status=status,
        created_by=cast.principal_a,
    )


class TestImportsTile:
    def test_a_failed_import_of_the_school_needs_attention(self, cast, client_for):
        before = imports_tile(cast.principal_a)
        a_job(cast, ImportJob.Status.FAILED)
        a_job(cast, ImportJob.Status.CHECKED)
        a_job(cast, ImportJob.Status.DONE)
        after = imports_tile(cast.principal_a)
        assert (after["failed"], after["waiting"]) == (before["failed"] + 1, before["waiting"] + 1)
        page = client_for(cast.principal_a).get(reverse("home")).content.decode()
        assert f"{after['failed']} lượt nhập lỗi" in page

    def test_another_communes_officer_does_not_count_it(self, cast):
        before = imports_tile(cast.other_commune_officer)
        a_job(cast, ImportJob.Status.FAILED)
        assert imports_tile(cast.other_commune_officer) == before
