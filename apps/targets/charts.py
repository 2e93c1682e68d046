"""The dashboard's charts, drawn on the server as SVG geometry for the template (`partials/chart.html`): no script,
no style attribute (the CSP refuses both) — presentation attributes only — a viewBox that scales to a phone's
width, and each chart's figures as a table beside it (the text alternative):
- the units one level down against the target line (the first indicator with units, below-target ones first);
- the same unit across the two school years (each indicator's rate last year and this year);
- the dropout curve by phase (the rate at the end of each phase)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.indicators import registry
from apps.indicators import selectors as engine
from apps.indicators.models import Period

WIDTH = 320
LABEL = 120  # the left part, for the names
BAR = 18
GAP = 6
PLOT = WIDTH - LABEL - 40


def _x(rate: Decimal | None, top: Decimal) -> int:
    if rate is None or not top:
        return 0
    return int(min(rate, top) * PLOT / top)


def _short(name: str, n: int = 22) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate:.1f} %".replace(".", ",")


def units_chart(line) -> dict | None:
    if line is None or not line.units:
        return None
    goal = line.main.goal
    rates = [u.value.rate for u in line.units]
    top = Decimal(100)
    bars = []
    for i, (unit, rate) in enumerate(zip(line.units, rates, strict=True)):
        y = i * (BAR + GAP) + 20
        bars.append(
            {
                "label": _short(unit.target.name),
                "name": unit.target.name,
                "y": y,
                "text_y": y + 13,
                "w": _x(rate, top),
                "value": _pct(rate),
                "value_x": LABEL + _x(rate, top) + 4,
                "below": unit.below,
                "short": unit.gap.short if unit.gap else None,
                "over": unit.gap.over if unit.gap else None,
            }
        )
    height = len(bars) * (BAR + GAP) + 30
    goal_x = LABEL + _x(goal.value, top) if goal is not None else None
    return {
        "kind": "units",
        "title": _("%(indicator)s (%(level)s): các đơn vị so với chỉ tiêu")
        % {"indicator": line.indicator.label, "level": line.level_label},
        "width": WIDTH,
        "height": height,
        "label_x": LABEL - 4,
        "plot_x": LABEL,
        "bars": bars,
        "goal_x": goal_x,
        "goal_text": f"{goal.get_comparison_display()} {_pct(goal.value)}" if goal is not None else "",
        "axis_bottom": height - 6,
    }


def years_chart(target, year, previous, lines, shared=None) -> dict | None:
    if previous is None or not lines:
        return None
    bars, y = [], 20
    shown = [line for line in lines if not line.main.value.no_data][:6]
    then = {}  # one engine call per level for the previous year (its indicators share the grouped queries)
    shared = {} if shared is None else shared  # and the levels share the schools' and the census' readings
    for level in dict.fromkeys(line.level for line in shown):
        codes = {line.indicator.code for line in shown if line.level == level}
        then[level] = engine.figures([target], year=previous, level=level or None, codes=codes, shared=shared)
    for line in shown:
        before = then[line.level].get(line.indicator.code, {}).get(target.key, {}).get("", registry.ZERO)
        for label, value, cls in ((previous.name, before, "then"), (year.name, line.main.value, "now")):
            rate = value.rate
            bars.append(
                {
                    "group": f"{line.indicator.label} ({line.level_label})",
                    "label": _short(f"{label}"),
                    "y": y,
                    "text_y": y + 13,
                    "w": _x(rate, Decimal(100)),
                    "value": _pct(rate),
                    "value_x": LABEL + _x(rate, Decimal(100)) + 4,
                    "cls": cls,
                    "heading_y": y - 3,
                }
            )
            y += BAR + 2
        y += GAP + 12
    return {
        "kind": "years",
        "title": _("%(name)s: năm học %(then)s và %(now)s")
        % {"name": target.name, "then": previous.name, "now": year.name},
        "width": WIDTH,
        "height": y + 10,
        "label_x": LABEL - 4,
        "plot_x": LABEL,
        "bars": bars,
    }


PHASES = (Period.PHASE1, Period.PHASE2, Period.PHASE3)


def dropout_chart(target, year, on, shared=None) -> dict | None:
    found = engine.figures([target], year=year, breakdown="phase", on=on, codes={"dropout"}, shared=shared)
    found = found.get("dropout", {})
    groups = found.get(target.key, {})
    values = [groups.get(p) for p in PHASES]
    if all(v is None or v.rate is None for v in values):
        return None
    rates = [v.rate if v is not None else None for v in values]
    top = max([r for r in rates if r is not None] + [Decimal(1)])
    height, left, plot_w, plot_h = 160, 40, WIDTH - 60, 110
    points = []
    for i, (phase, rate, value) in enumerate(zip(PHASES, rates, values, strict=True)):
        x = left + int(i * plot_w / (len(PHASES) - 1))
        y = 20 + plot_h - (int(rate * plot_h / top) if rate is not None else 0)
        points.append(
            {
                "x": x,
                "y": y,
                "label": Period(phase).label,
                "value": _pct(rate),
                "counts": f"{value.numerator}/{value.denominator}"
                if value is not None and value.rate is not None
                else "",
                "has": rate is not None,
            }
        )
    return {
        "kind": "dropout",
        "title": _("Tỷ lệ bỏ học theo giai đoạn — %(name)s, năm học %(year)s")
        % {"name": target.name, "year": year.name},
        "width": WIDTH,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points if p["has"]),
        "base_y": 20 + plot_h,
        "left": left,
        "right": left + plot_w,
        "top_text": _pct(top),
    }


def build(target, below, year, previous, lines, *, on, shared=None) -> list[dict]:
    """The charts; `shared`: the engine's cache of the page (`engine.figures`)."""
    lines = [line for line in lines if line.indicator.unit == registry.Indicator.CHILDREN]  # rates of children
    first = next((line for line in lines if line.units and line.below_count), None) or next(
        (line for line in lines if line.units), None
    )
    charts = (
        units_chart(first),
        years_chart(target, year, previous, lines, shared),
        dropout_chart(target, year, on, shared),
    )
    return [c for c in charts if c]
