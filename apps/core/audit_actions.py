"""The core's own audit actions (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.core.audit import register_actions

register_actions("core", {"core.tasks_reap": _("Thu hồi các tác vụ nền bị bỏ dở")})
