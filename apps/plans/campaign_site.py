"""How the campaigns join the rest (called from the plans' `AppConfig.ready()`): their audit actions, the tasks a
campaign gives (its writers see and update them, whoever owns them), the demo's Action Month, and the campaign
choice funds offers on a donation (`apps.funds.campaigns`)."""

from django.db.models import Q

from apps.core import scoping
from apps.core.scoping import CHANGE, NOTHING, VIEW


def campaign_task_terms(scope, action):
    """A campaign's tasks are read and updated by the campaign's writers (the issuing and receiving units'
    officers), as a plan's are by the plan's owner."""
    if action not in (VIEW, CHANGE):
        return NOTHING
    from apps.plans.models_campaigns import Campaign

    return Q(campaign_link__campaign__in=Campaign.objects.within(scope, CHANGE).values("pk"))


def register() -> None:
    from apps.plans import campaign_audit_actions  # noqa: F401  (declares the actions)

    scoping.contribute("plans.task", campaign_task_terms)
