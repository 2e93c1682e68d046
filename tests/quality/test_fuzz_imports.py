"""Importer fuzzing: hostile spreadsheets through every registered import kind (apps.imports.registry).

Most files go in-process through the kind's reader and checks (`Importer.plan`): no exception escapes; every
error names a row (a `RowError` with its row and column) or says, naming the file, why it cannot be read; the
check writes nothing (no INSERT, UPDATE or DELETE is sent); the memory it takes (tracemalloc's peak) stays
bounded. A sample goes through the whole background import (upload, check, confirm) with every table compared
before and after: a rejected file changes nothing but its own job.

`make test` runs a small budget; `make check-long` sets FUZZ_EXAMPLES (examples per kind and strategy) high
enough for at least 10,000 files and prints files tried, rejected, accepted and crashes."""

import collections
import hashlib
import re
import traceback
import tracemalloc

import pytest
from django import forms
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from apps.core.spreadsheets import RowError
from apps.imports import registry, services
from apps.imports.models import ImportJob
from apps.imports.plan import Run
from tests.quality import fuzz_strategies as fs

KINDS = [importer.name for importer in registry.kinds()]
STATS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
MEMORY_BASE = 48 * 2**20  # what a check may take beyond the file itself: the kind's lookups, the sheet's text
MEMORY_PER_BYTE = 40  # a cell's text as Python strings, the rows as lists, the typed rows
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.I)
# The tables a job of its own may change: the job, its audit trail, the notices it sends.
JOB_TABLES = {
    "imports_importjob",
    "core_auditevent",
    "notifications_notification",
    "django_tasks_database_dbtaskresult",
}


def fuzz_settings(default: int, env: str = fs.ENV_EXAMPLES):
    return settings(
        max_examples=fs.examples(default, env),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
        derandomize=False,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a long run counts, then shows
    )


@pytest.fixture(autouse=True)
def _fuzz_limits(settings):
    for name, value in fs.LIMITS.items():
        setattr(settings, name, value)


def upload_fields(importer, actor) -> dict:
    """The data of the kind's upload form, filled as a person would: the first choice of each select, the initial
    value or a plausible one for each other field. Read from the form, so that a new kind needs no edit here."""
    form = importer.upload_form(user=actor)
    data = {}
    for name, field in form.fields.items():
        if name == "file":
            continue
        initial = form.get_initial_for_field(field, name)
        if isinstance(field, forms.ModelChoiceField):
            choice = field.queryset.order_by("pk").first() if initial in (None, "") else initial
            data[name] = getattr(choice, "pk", choice)
        elif initial not in (None, ""):
            data[name] = initial.isoformat() if hasattr(initial, "isoformat") else initial
        elif isinstance(field, forms.DateField):
            data[name] = timezone.localdate().isoformat()
        elif field.required:
            data[name] = "Kiểm thử"
    return data


def cleaned_for(importer, actor, filename="ds.csv", data=b"x") -> dict:
    form = importer.upload_form(
        upload_fields(importer, actor), {"file": SimpleUploadedFile(filename, data)}, user=actor
    )
    assert form.is_valid(), (importer.name, form.errors)
    return dict(form.cleaned_data)


def job_for(importer, actor):
    """An unsaved job of the kind, as `import_start` would make it (the kind's own `start`)."""
    cleaned = cleaned_for(importer, actor)
    cleaned.pop("file")
    org_unit, target_id, params = importer.start(actor=actor, cleaned=cleaned)
    return ImportJob(
        kind=importer.name,
        org_unit=org_unit,
        target_id=target_id,
        params={**params, "checked_as": actor.pk},
        filename="ds.csv",
        created_by=actor,
    )


def explained(error, filename: str) -> bool:
    """Whether an error names its row (and column), or names the file and says why it cannot be read."""
    if isinstance(error, RowError):
        return error.row > 0 and bool(str(error.column)) and bool(error.message)
    return filename in str(error) and len(str(error)) > len(filename) + 5


def check_one(importer, job, actor, filename: str, data: bytes) -> str:
    """One file through the kind's reader and checks: 'accepted' or 'rejected'; an assertion error otherwise."""
    job.filename = filename
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as queries:
            plan = importer.plan(job=job, actor=actor, data=data, progress=None)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writes = [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]
    assert not writes, f"{importer.name}: the check of {filename} wrote: {writes[:3]}"
    assert peak < MEMORY_BASE + MEMORY_PER_BYTE * len(data), f"{importer.name}: {peak / 2**20:.0f} MB for {len(data)} B"
    unexplained = [str(e) for e in plan.errors if not explained(e, filename)]
    assert not unexplained, f"{importer.name}: errors that name no row and no file: {unexplained[:3]}"
    assert all(number > 0 for number in plan.rejected), plan.rejected.keys()
    return "rejected" if plan.errors or not plan.rows or plan.header_row is None else "accepted"


CRASHES: list[tuple[str, str, str]] = []  # (kind, file, what went wrong): the first few of each kind are shown


def fuzz(importer, actor, filename, data):
    """One file; what went wrong is recorded rather than raised, so that a long run counts every crash (and
    hypothesis does not spend minutes shrinking each one): the test then fails, showing the first ones."""
    stats = STATS[importer.name]
    stats["tried"] += 1
    try:
        outcome = check_one(importer, job_for.cache[importer.name], actor, filename, data)
    except AssertionError as exc:
        stats["failed"] += 1
        CRASHES.append((importer.name, filename, f"{exc} [{len(data)} B: {data[:60]!r}]"))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader's panic is a BaseException: a crash too
        stats["crashes"] += 1
        where = traceback.extract_tb(exc.__traceback__)[-1]
        CRASHES.append(
            (
                importer.name,
                filename,
                f"{type(exc).__name__}: {exc} at {where.filename}:{where.lineno} [{len(data)} B: {data[:60]!r}]",
            )
        )
    else:
        stats[outcome] += 1


def run_fuzz(kind, strategy, examples, **fixtures):
    """Fuzz `kind` with files drawn from `strategy` (a function of the kind's header words), then fail on the
    first of any crashes found."""
    importer = registry.get(kind)
    before = len(CRASHES)

    @fuzz_settings(examples)
    @given(file=strategy(WORDS[kind]))
    def each(file):
        fuzz(importer, fixtures["cast"].admin, *file)

    each()
    found = CRASHES[before:]
    assert not found, f"{len(found)} files of {kind} went wrong; the first:\n" + "\n".join(
        f"  {name}: {what}" for _kind, name, what in found[:5]
    )


job_for.cache = {}
WORDS: dict[str, list[str]] = {}


@pytest.fixture
def jobs(cast):
    """Each kind's job (for the admin, the first unit or school its upload form offers) and header words."""
    for importer in registry.kinds():
        job = job_for.cache[importer.name] = job_for(importer, cast.admin)
        params = importer.params(job=job, actor=cast.admin)
        run = Run(
            actor=cast.admin, plan=importer.new_plan(filename="ds.csv", params=params), params=params, decisions={}
        )
        WORDS[importer.name] = fs.header_words(importer.reader(run), importer.fields)
    return job_for.cache


def test_every_registered_kind_is_fuzzed():
    """The kinds come from the registry: at least those of students, hamlets and donations."""
    assert {"students.roster", "students.census", "students.absences", "orgunits.hamlets", "funds.donations"} <= set(
        KINDS
    )


@pytest.mark.parametrize("kind", KINDS)
class TestEveryKind:
    def test_csv_files(self, kind, cast, jobs):
        run_fuzz(kind, fs.csv_file, 8, cast=cast)

    def test_workbooks(self, kind, cast, jobs):
        run_fuzz(kind, fs.workbook_file, 8, cast=cast)

    def test_junk(self, kind, cast, jobs):
        run_fuzz(kind, lambda _words: fs.junk_file(), 4, cast=cast)


# The whole background import -------------------------------------------------------------------------------


def tables_fingerprint() -> dict[str, str]:
    """Every table's rows, hashed (the job's own tables left out): a rejected file must leave them all equal."""
    out = {}
    with connection.cursor() as cursor:
        for model in django_apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in JOB_TABLES or model._meta.proxy or not model._meta.managed:
                continue
            pk = model._meta.pk.column
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')  # noqa: S608 - names from the models
            digest = hashlib.blake2b(digest_size=16)
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
            out[table] = digest.hexdigest()
    return out


@pytest.mark.parametrize("kind", KINDS)
@fuzz_settings(1, fs.ENV_BACKGROUND)
@given(file=st.data())
def test_the_whole_background_import_of_a_rejected_file_changes_nothing(
    kind, cast, jobs, file, django_capture_on_commit_callbacks
):
    importer = registry.get(kind)
    filename, data = file.draw(fs.any_file(WORDS[kind]))
    stats = STATS[f"{kind} (background)"]
    stats["tried"] += 1
    before = tables_fingerprint()
    form = importer.upload_form(
        upload_fields(importer, cast.admin), {"file": SimpleUploadedFile(filename, data)}, user=cast.admin
    )
    if not form.is_valid():  # an empty file: refused by the upload form, before anything is stored
        assert set(form.errors) == {"file"}, form.errors
        stats["rejected"] += 1
        assert tables_fingerprint() == before
        return
    cleaned = dict(form.cleaned_data)
    upload = cleaned.pop("file")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_start(actor=cast.admin, kind=kind, upload=upload, cleaned=cleaned)
    job.refresh_from_db()
    assert job.status in ("checked", "failed"), job.status
    assert not job.failure.startswith("Lỗi hệ thống"), job.failure  # a crash inside the check
    summary = job.summary
    rejected = job.status == "failed" or summary.get("error_count") or not summary.get("rows")
    if rejected:
        stats["rejected"] += 1
        with pytest.raises(ValidationError):
            with django_capture_on_commit_callbacks(execute=True):
                services.import_confirm(actor=cast.admin, job=job)
        assert tables_fingerprint() == before
    else:
        stats["accepted"] += 1
        with django_capture_on_commit_callbacks(execute=True):
            services.import_confirm(actor=cast.admin, job=job)
        job.refresh_from_db()
        assert job.status in ("done", "failed", "checked"), job.status
        assert not job.failure.startswith("Lỗi hệ thống"), job.failure
        if job.status != "done":
            assert tables_fingerprint() == before


@pytest.fixture(scope="module", autouse=True)
def _print_figures(request):
    yield
    if not STATS:
        return
    total = collections.Counter()
    lines = ["", "Importer fuzzing: files tried, rejected, accepted, crashes (failed checks)"]
    for kind in sorted(STATS):
        s = STATS[kind]
        total.update(s)
        lines.append(f"  {kind:34} {s['tried']:7} {s['rejected']:7} {s['accepted']:7} {s['crashes']:5} ({s['failed']})")
    lines.append(
        f"  {'all':34} {total['tried']:7} {total['rejected']:7} {total['accepted']:7} {total['crashes']:5} "
        f"({total['failed']})"
    )
    fs.print_figures(request, "\n".join(lines))


# What the fuzzing found, kept as plain examples -------------------------------------------------------------


class TestFound:
    def test_a_csv_with_a_quote_never_closed_is_refused_naming_its_row(self):
        from apps.core.spreadsheets import SpreadsheetError, read_sheet

        data = 'Họ tên,Số tiền\nAn,100\n"Bình'.encode() + b"x" * 200_000
        with pytest.raises(SpreadsheetError, match=r"ds\.csv, dòng 3"):
            read_sheet("ds.csv", data)

    def test_an_xlsx_whose_member_does_not_inflate_is_refused_as_unreadable(self):
        from apps.core.spreadsheets import SpreadsheetError, read_sheet

        good = fs._xlsx_bytes([["Họ tên", "Số tiền"], ["An", 100]])
        at = good.index(b"xl/workbook.xml") + 40  # inside the workbook's deflated bytes
        bad = good[:at] + bytes(b ^ 0xFF for b in good[at : at + 8]) + good[at + 8 :]
        with pytest.raises(SpreadsheetError, match="ds.xlsx"):
            read_sheet("ds.xlsx", bad)

    def test_a_damaged_office_attachment_is_refused_by_name(self):
        from apps.documents import attachments

        good = fs._xlsx_bytes([["Họ tên"], ["An"]])
        at = good.index(b"xl/workbook.xml") + 40
        bad = good[:at] + bytes(b ^ 0xFF for b in good[at : at + 8]) + good[at + 8 :]
        with pytest.raises(ValidationError, match="bb.xlsx"):
            attachments.accept("bb.xlsx", bad)


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_file_is_refused_by_the_upload_form_before_anything_is_stored(kind, cast, jobs):
    """The background fuzzing draws empty files too (a full run of `make check-long` drew one for the results): the
    upload form refuses them, naming the file field (the background test counts them as rejected)."""
    importer = registry.get(kind)
    form = importer.upload_form(
        upload_fields(importer, cast.admin), {"file": SimpleUploadedFile("ds.xlsx", b"")}, user=cast.admin
    )
    assert not form.is_valid() and set(form.errors) == {"file"}
