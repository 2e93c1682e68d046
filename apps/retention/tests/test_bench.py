"""The early warning's benchmark (bench/retention_daily.py) runs end to end on a small province and prints its
ratios to the floor; the first run writes the flags, the second nothing, the day after those that changed. No timing
is asserted (the figures of a real run are in the README)."""

import importlib.util
import re

from django.conf import settings


def bench_module():
    spec = importlib.util.spec_from_file_location("retention_daily", settings.BASE_DIR / "bench" / "retention_daily.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_prints_its_ratio_to_the_floor(db, capsys):
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    bench = bench_module()
    bench.measure(300, 3000, "SQLite" if sqlite else "PostgreSQL")
    out = capsys.readouterr().out
    ratios = r"^ratio daily/floor \d+\.\d, again/floor \d+\.\d, next day/floor \d+\.\d \(aim ≤ 2\)$"
    assert re.search(ratios, out, re.M), out
    cpu = r"^cpu   floor \d+\.\d+ s, daily/floor \d+\.\d, again/floor \d+\.\d, next day/floor \d+\.\d$"
    # PostgreSQL's backend CPU is read from /proc when the server runs on this machine (it does in the tests here)
    assert not (sqlite or bench.backend_stat()) or re.search(cpu, out, re.M), out
    daily = re.search(r"daily .*\{'changed': (\d+), 'high': (\d+)\}", out)
    # the first run's flags written again alone: as many as it wrote, and the bound they set on it
    assert re.search(rf"^  writing .*× floor  \({int(daily.group(1)):,} flags\)$", out, re.M), out
    assert re.search(
        r"^bound daily ≥ floor \+ writing = \d+\.\d× floor, daily/\(floor \+ writing\) \d+\.\d$", out, re.M
    ), out
    again = re.search(r"again .*\{'changed': (\d+), 'high': (\d+)\}", out)
    assert int(daily.group(1)) > 0 and again.groups() == ("0", "0")
    # The day after, a day leaves the window: the students whose count of absences changes get a new flag.
    assert re.search(r"^  next day .*× that day's floor .*\{'changed': [1-9]\d*, 'high': \d+\}", out, re.M), out
