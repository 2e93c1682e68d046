"""The campaign a donation is raised for, offered by a higher app: funds sits below plans (import-linter) and knows
no campaign, so plans registers here, from its `AppConfig.ready()`, which campaigns a user may link a fund's
donation to and how a donation is linked. With nothing registered the donation form offers no choice."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    choices: Callable  # choices(user, fund) -> [(id, label)]
    link: Callable  # link(*, actor, donation, ref: int) -> None, inside the donation's transaction


_PROVIDER: list[Provider] = []


def register(*, choices: Callable, link: Callable) -> None:
    _PROVIDER[:] = [Provider(choices, link)]


def choices(user, fund) -> list[tuple[int, str]]:
    return list(_PROVIDER[0].choices(user, fund)) if _PROVIDER else []


def link(*, actor, donation, ref: int) -> None:
    if _PROVIDER:
        _PROVIDER[0].link(actor=actor, donation=donation, ref=ref)
