"""The demo seed's steps: each app's demo data is written by one registered step, run in order by
`manage.py seed_demo` inside one transaction. A step is `step(ctx)`; it reads what earlier steps left in the
context and adds what it made. The steps live in apps/demo (no other app imports the demo) and are registered
from its app config:

    # in DemoConfig.ready()
    register("schools", schools.seed, order=20)  # seed(ctx: Context) -> None

Every step is idempotent: it looks each thing up by its natural key first, so a second run adds nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Context:
    """What a step gets: who writes (the system administrator), the province being seeded and its spec (see
    `apps.demo.spec.DEMO`), the demo password, and what the earlier steps produced."""

    admin: Any
    province: str  # the current province's code, e.g. "48"
    spec: dict
    password: str
    units: dict[str, Any] = field(default_factory=dict)  # code → OrgUnit: the province and the demo's communes
    hamlets: dict[str, list] = field(default_factory=dict)  # commune code → its hamlets, in the spec's order
    schools: dict[str, Any] = field(default_factory=dict)  # MOET code → School
    organisations: dict[str, Any] = field(default_factory=dict)  # name → Organisation
    years: dict[int, Any] = field(default_factory=dict)  # start year → SchoolYear
    users: dict[str, Any] = field(default_factory=dict)  # username → User


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], None]
    order: int


_STEPS: dict[str, Step] = {}


def register(name: str, step: Callable[[Context], None], order: int) -> None:
    """Add a seed step (or replace the one of that name): steps run by `order`, then by name."""
    _STEPS[name] = Step(name, step, order)


def steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def run(ctx: Context) -> None:
    """Run every step in order; the caller holds the transaction."""
    for step in steps():
        step.run(ctx)
