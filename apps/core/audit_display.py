"""How the change log shows what an event changed: values as a person reads them.

An event's `changes` hold plain JSON — ids, codes, bit masks, ISO dates, booleans; a change is `[before, after]`.
By default booleans read Có/Không, ISO dates dd/mm/yyyy, None "—". Anything else an app says from its
`audit_actions` module (core imports no other app):

    register_field("school", Ref("schools.School"))                      # an id, shown as the school's name
    register_field("levels", level_names)                                # a function of the value
    register_field("kind", choices(Grade), scope="students")             # only for the students' actions

`describe(events)` formats a whole page at once: the ids of each kind of object are collected over every event
and fetched with one `in_bulk` each, so the page costs a fixed number of queries whatever it shows.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EMPTY = "—"


@dataclass(frozen=True)
class Ref:
    """The value is the id of a `model` ("schools.School"), shown by `name` (the object's text by default); an
    id whose object is gone shows as "#id"."""

    model: str
    name: Callable[[Any], str] = str


@dataclass(frozen=True)
class _Field:
    format: Ref | Callable[[Any], str]
    many: bool


_FIELDS: dict[tuple[str, str], _Field] = {}


def register_field(field: str, format: Ref | Callable[[Any], str], *, scope: str = "", many: bool = False) -> None:
    """Show `field` of an event's changes with `format`: a `Ref` or a function of one value. `scope`: "" for every
    action, an app label for that app's actions, or one action's code; the narrowest registered wins. `many`: the
    value is a list of values (otherwise a list of two is a change, `[before, after]`)."""
    entry = _Field(format, many)
    if _FIELDS.get((scope, field), entry) != entry:
        raise ValueError(f"the change log already shows {field!r} of {scope or 'every action'!r} another way.")
    _FIELDS[(scope, field)] = entry


def unregister_field(field: str, *, scope: str = "") -> None:
    _FIELDS.pop((scope, field), None)


def choices(enum) -> Callable[[Any], str]:
    """A formatter showing a choice's label (`TextChoices`/`IntegerChoices`), an unknown value as it is."""
    labels = dict(enum.choices)
    return lambda value: str(labels.get(value, value))


def _lookup(action: str, field: str) -> _Field | None:
    for scope in (action, action.partition(".")[0], ""):
        if (entry := _FIELDS.get((scope, field))) is not None:
            return entry
    return None


def _as_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _leaves(value) -> Iterable:
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _is_change(value, entry: _Field | None) -> bool:
    if not isinstance(value, list) or len(value) != 2:
        return False
    return not (entry and entry.many) or all(isinstance(side, list) for side in value)


def plain(value) -> str:
    """A value no app said anything about, as a person reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, str):
        try:
            if ISO_DATE.match(value):
                return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            if ISO_DATETIME.match(value):
                moment = datetime.datetime.fromisoformat(value)
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        except ValueError:
            pass
        return value
    if isinstance(value, list):
        return ", ".join(plain(item) for item in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{key}: {plain(item)}" for key, item in value.items()) or EMPTY
    return str(value)


def _one(value, entry: _Field | None, found: dict) -> str:
    if isinstance(value, list):
        return ", ".join(_one(item, entry, found) for item in value) or EMPTY
    if entry is None or value is None:
        return plain(value)
    if isinstance(entry.format, Ref):
        obj = found.get(entry.format.model, {}).get(_as_id(value))
        return str(entry.format.name(obj)) if obj is not None else f"#{value}"
    return str(entry.format(value))


def describe(events) -> None:
    """Give each event `shown_changes`: [(field, text)] in the order recorded, ids named with one query per kind of
    object over all the events."""
    planned, wanted = [], defaultdict(set)
    for event in events:
        rows, changes = [], event.changes if isinstance(event.changes, dict) else {}
        for field, value in changes.items():
            entry = _lookup(event.action, field)
            if entry is not None and isinstance(entry.format, Ref):
                wanted[entry.format.model].update(pk for v in _leaves(value) if (pk := _as_id(v)) is not None)
            rows.append((field, value, entry))
        planned.append((event, rows))
    found = {label: apps.get_model(label)._base_manager.in_bulk(ids) for label, ids in wanted.items()}
    for event, rows in planned:
        event.shown_changes = [
            (
                field,
                f"{_one(value[0], entry, found)} → {_one(value[1], entry, found)}"
                if _is_change(value, entry)
                else _one(value, entry, found),
            )
            for field, value, entry in rows
        ]
