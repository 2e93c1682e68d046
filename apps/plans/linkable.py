"""The registry of target kinds a plan's target may link to: a kind says what it is called, which objects of it a
user may pick for a plan, and what such an object's live figure is. The plans app registers the targets' and the
funds' kinds (`links.py`: both apps sit below it); an app above the plans (standards) registers its own from its
`AppConfig.ready()`:

    from apps.plans.linkable import LinkKind, Progress, register
    register(LinkKind("standards.criterion", _("Tiêu chí chuẩn quốc gia"), choices=..., progress=...))

`choices(user, plan)` → [(id, label)] within the user's scope; `progress(obj_id, plan, on)` → `Progress` or None
when the object is gone."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Progress:
    """A live figure: the value reached (a rate in %, a count or an amount), the comparison and the goal, whether it
    is met (None: no data yet), and how a person reads it."""

    value: Decimal | None
    goal: Decimal | None
    comparison: str = ">="
    met: bool | None = None
    text: str = ""


@dataclass(frozen=True)
class LinkKind:
    code: str
    label: str
    choices: Callable  # (user, plan) -> list[tuple[int, str]]
    progress: Callable[[int, object, datetime.date], Progress | None]


_KINDS: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> None:
    _KINDS[kind.code] = kind


def unregister(code: str) -> None:
    _KINDS.pop(code, None)


def kinds() -> dict[str, LinkKind]:
    return dict(_KINDS)


def get(code: str) -> LinkKind | None:
    return _KINDS.get(code)
