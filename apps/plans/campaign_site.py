"""How the campaigns join the rest (called from the plans' `AppConfig.ready()`): their audit actions, the tasks a
campaign gives (its writers see and update them, whoever owns them), the menu entry, and the campaign
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


def may_open_campaigns(user) -> bool:
    """Every signed-in user: the campaigns of their units and the ones above them, the reports they file."""
    return user.is_authenticated


def register(app: str) -> None:
    from django.utils.translation import pgettext_lazy

    from apps.core import sections
    from apps.plans import campaign_audit_actions  # noqa: F401  (declares the actions)

    sections.register_section(
        sections.Section(
            app, "campaigns", pgettext_lazy("menu", "Chiến dịch"), "plans:campaigns", may_open_campaigns, order=73
        )
    )
    scoping.contribute("plans.task", campaign_task_terms)
    from apps.funds import campaigns

    campaigns.register(choices=donation_choices, link=donation_link)


def donation_choices(user, fund) -> list[tuple[int, str]]:
    """The open campaigns the user sees that reach the fund's commune (issued by it or a unit above it)."""
    from apps.plans import campaign_selectors

    commune = fund.commune
    if commune is None:
        return []
    ids = [int(part) for part in commune.path.strip("/").split("/") if part]
    found = campaign_selectors.campaigns_for_choice(user).filter(org_unit__in=ids)
    return [(c.pk, c.title) for c in found]


def donation_link(*, actor, donation, ref: int) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from apps.plans import campaign_services
    from apps.plans.models_campaigns import Campaign

    if ref not in {pk for pk, _label in donation_choices(actor, donation.fund)}:
        raise ValidationError({"linked_campaign": _("Chiến dịch này không nhận đóng góp cho quỹ này.")})
    campaign_services.donation_link(actor=actor, donation=donation, campaign=Campaign(pk=ref))
