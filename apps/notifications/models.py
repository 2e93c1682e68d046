from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet

TITLE_MAX = 200  # one line: the e-mail's subject
BODY_MAX = 2000  # a few sentences; the record itself stays on its own page, behind the link
URL_MAX = 500


def is_local_path(url: str) -> bool:
    """Whether `url` is a path inside this site ("/students/12/"): never another host ("http://evil.example",
    "//evil.example", "/\\evil.example"), never a scheme ("javascript:"), no spaces or control characters. The one
    rule for what a notification may link to and what marking one read may redirect to."""
    return (
        bool(url)
        and url.startswith("/")
        and not any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url)
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def validate_local_path(url: str) -> None:
    if url and not is_local_path(url):
        raise ValidationError(
            _("Đường dẫn phải là một trang trong hệ thống, bắt đầu bằng “/”."), code="not_local", params={"url": url}
        )


class NotificationQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        # A notification is its recipient's alone, whatever roles they hold: to see, to mark read. `restrict` still
        # answers nothing for a user with no role and everything for a system administrator, so the selectors
        # filter by recipient themselves (`selectors.own`) rather than rely on it.
        return Q(recipient_id=scope.user_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know about their work (an import finished, a case was assigned to them, a
    deadline nears): shown in the list behind the bell in the header until they read it, and sent once by e-mail.
    It says what happened and links to the page where it is; it never names a child (the e-mail leaves the
    system), and it holds no record of the domain itself."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("người nhận")
    )
    # Who sent it and why, as a code ("imports.done"): for filtering and for tests, never shown as is.
    kind = models.CharField(
        _("loại"),
        max_length=60,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", _("Mã loại có dạng “ung_dung.viec”."))],
    )
    title = models.CharField(_("tiêu đề"), max_length=TITLE_MAX)
    body = models.TextField(_("nội dung"), blank=True, validators=[MaxLengthValidator(BODY_MAX)])
    url = models.CharField(_("đường dẫn"), max_length=URL_MAX, blank=True, validators=[validate_local_path])
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
