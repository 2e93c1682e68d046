"""Fixtures of the plans' tests: this year's socialisation plan of school A (Trường PTDTBT Tiểu học Trà Nam),
written by its principal from the template on 5 September 2025, and helpers to take a plan through agreement."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.plans import services

DAY = datetime.date(2025, 9, 5)


def pdf(name="ban-ky.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def jpeg_with_location(name="anh.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (16.0, 3.0, 0.0)}  # GPS info
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


@pytest.fixture
def plan(cast):
    return services.plan_create(actor=cast.principal_a, kind="socialisation", school=cast.school_a, on=DAY)


def agree_all(plan, cast):
    """Every signing party agrees: the principal in the app, the others recorded on paper with a scan."""
    plan.refresh_from_db()
    for s in plan.signatories.filter(role="sign"):
        if s.school_id == cast.school_a.pk:
            services.signatory_agree(actor=cast.principal_a, signatory=s)
        else:
            services.signatory_record_paper(actor=cast.principal_a, signatory=s, scan=pdf())
    plan.refresh_from_db()
    return plan


def issue(plan, cast, on=DAY):
    if plan.status == "draft":
        services.plan_submit(actor=cast.principal_a, plan=plan)
    agree_all(plan, cast)
    return services.plan_confirm(actor=cast.commune_officer, plan=plan, on=on)
