import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.http import Http404
from django.test import override_settings

from apps.notifications import services, tasks
from apps.notifications.models import Notification
from apps.notifications.tests.helpers import newcomer, note, with_email


def notify(recipients, **fields):
    defaults = {"kind": "imports.done", "title": "Đã nhập xong tệp ds.xlsx", "url": "/imports/42/"}
    return services.notify(recipients=recipients, **{**defaults, **fields})


class TestNotify:
    def test_the_notification_is_written_at_once_and_the_email_sent_only_after_commit(
        self, cast, django_capture_on_commit_callbacks
    ):
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks() as callbacks:
            with transaction.atomic():
                notify([cast.principal_a])
                assert Notification.objects.filter(recipient=cast.principal_a, kind="imports.done").count() == 1
            assert mail.outbox == []
        for callback in callbacks:
            callback()
        assert [m.to for m in mail.outbox] == [[cast.principal_a.email]]
        assert Notification.objects.get(recipient=cast.principal_a).emailed_at is not None

    def test_a_rolled_back_write_leaves_no_notification_and_sends_nothing(
        self, cast, django_capture_on_commit_callbacks
    ):
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                notify([cast.principal_a])
                raise RuntimeError("the caller's write failed")
        assert callbacks == []
        assert not Notification.objects.exists()
        assert mail.outbox == []

    @override_settings(SITE_URL="https://dentruong.example.vn")
    def test_the_email_is_the_title_the_body_and_the_link_built_from_site_url(
        self, cast, django_capture_on_commit_callbacks
    ):
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            notify([cast.principal_a], body="Đã nhập 12 dòng, 2 dòng bị từ chối.")
        (message,) = mail.outbox
        assert message.subject == "Đã nhập xong tệp ds.xlsx"
        assert message.body == (
            "Đã nhập 12 dòng, 2 dòng bị từ chối.\n\nXem trên Đến Trường: https://dentruong.example.vn/imports/42/\n"
        )

    @override_settings(SITE_URL="https://dentruong.example.vn")
    def test_a_notification_without_a_link_points_the_email_at_the_list(self, cast, django_capture_on_commit_callbacks):
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            notify([cast.principal_a], url="")
        assert "https://dentruong.example.vn/notifications/" in mail.outbox[0].body

    def test_inactive_recipients_get_nothing_and_those_without_an_address_no_email(
        self, cast, django_capture_on_commit_callbacks
    ):
        gone = newcomer("da.nghi", "nghi@example.vn")
        gone.is_active = False
        gone.save(update_fields=["is_active"])
        cast.teacher_a.email = ""
        cast.teacher_a.save(update_fields=["email"])
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            created = notify([cast.principal_a, cast.teacher_a, gone, cast.principal_a])
        assert sorted(n.recipient.username for n in created) == sorted(
            [cast.principal_a.username, cast.teacher_a.username]
        )
        assert [m.to for m in mail.outbox] == [[cast.principal_a.email]]

    def test_email_false_keeps_it_in_the_site(self, cast, django_capture_on_commit_callbacks):
        with_email(cast.principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            notify([cast.principal_a], email=False)
        assert Notification.objects.filter(recipient=cast.principal_a).exists()
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "fields",
        [
            {"title": "x" * 201},
            {"title": ""},
            {"title": "Hai\ndòng"},
            {"body": "x" * 2001},
        ],
    )
    def test_it_refuses_a_title_or_body_no_notification_should_have(self, cast, fields):
        with pytest.raises(ValueError):
            notify([cast.principal_a], **fields)
        assert not Notification.objects.exists()

    def test_it_refuses_a_link_to_another_site(self, cast):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            notify([cast.principal_a], url="http://evil.example")
        assert not Notification.objects.exists()


class TestSendingTask:
    def test_one_failing_recipient_does_not_stop_the_others(self, cast, monkeypatch):
        recipients = [
            with_email(cast.principal_a),
            with_email(cast.teacher_a, "hong@bad.example"),
            with_email(cast.commune_officer),
        ]
        notifications = [note(user) for user in recipients]
        real_send = tasks.send_mail

        def send(**kwargs):
            if kwargs["recipient_list"] == ["hong@bad.example"]:
                raise smtplib.SMTPRecipientsRefused({"hong@bad.example": (550, b"no such user")})
            return real_send(**kwargs)

        monkeypatch.setattr(tasks, "send_mail", send)
        result = tasks.send_notification_emails.enqueue([n.pk for n in notifications])
        assert result.return_value == {"sent": 2, "failed": 1}
        assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.principal_a.email, cast.commune_officer.email])
        emailed = {n.recipient.username: n.emailed_at is not None for n in Notification.objects.all()}
        assert emailed == {
            cast.principal_a.username: True,
            cast.teacher_a.username: False,
            cast.commune_officer.username: True,
        }

    def test_a_second_run_sends_nothing_again(self, cast):
        notification = note(with_email(cast.principal_a))
        tasks.send_notification_emails.enqueue([notification.pk])
        tasks.send_notification_emails.enqueue([notification.pk])
        assert len(mail.outbox) == 1


class TestMarkRead:
    def test_it_marks_one_of_ones_own_read(self, cast):
        notification = note(cast.teacher_a)
        services.mark_read(actor=cast.teacher_a, notification=notification)
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_anothers_notification_is_as_if_it_did_not_exist(self, cast):
        notification = note(cast.teacher_b)
        with pytest.raises(Http404):
            services.mark_read(actor=cast.admin, notification=notification)
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_marking_all_read_leaves_other_peoples_unread(self, cast):
        note(cast.teacher_a)
        note(cast.teacher_a)
        others = note(cast.teacher_b)
        assert services.mark_all_read(actor=cast.teacher_a) == 2
        assert not Notification.objects.filter(recipient=cast.teacher_a, read_at__isnull=True).exists()
        others.refresh_from_db()
        assert others.read_at is None
