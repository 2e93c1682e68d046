"""The registry of import kinds. An app registers one `Importer` per kind of file from its `AppConfig.ready()`:

    from apps.imports.registry import register
    register(RosterImporter())

The import layer (jobs, background tasks, audited services, preview pages, API) does the rest the same way for
every kind; an importer only says who may import what, how a row is parsed (`parse_row`) and the rows checked
together (`check`), and how the plan is written (`write`). See the README, "Adding a kind of import"."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import NOTHING
from apps.imports.plan import Plan, TableReader, check_file

_KINDS: dict[str, "Importer"] = {}


class Importer:
    """One kind of file. Subclasses set `name`, `label` and `fields`, and implement the methods below.

    Every method that acts for a user receives that user explicitly (`actor`): the check runs as the person who
    asked for it, the write as the person who confirmed it, each with the rights they hold at that moment."""

    name: str = ""  # "students.roster": app label, then the kind
    label = ""  # for people: "Danh sách học sinh"
    fields: dict = {}  # field → label: what a column may be read as (the preview's column choices)
    upload_form = None  # the upload page's form: an `apps.imports.forms.UploadForm` (see `start`)
    upload_label = ""  # the upload button and page title: "Nhập danh sách học sinh"
    upload_help = ""
    target_label = ""  # what a job is for, when the preview asks to choose it: "Trường nhập vào"
    preview_template = ""  # the kind's part of the preview (its first rows, what it found), given `s`: the summary

    # Who may do what ---------------------------------------------------------------------------------------
    def scope_q(self, scope, action) -> Q:
        """The jobs of this kind (a `Q` on ImportJob) that `scope` may see (`view`) or act on (`change`), by the
        rights held today over their unit or target."""
        return NOTHING

    def may_start(self, user) -> bool:
        """Whether the user may upload a file of this kind at all (the button on the list page)."""
        return False

    def start(self, *, actor, cleaned: dict):
        """(org_unit, target_id, params) of a new job from the upload form's cleaned data, after checking the
        actor's rights over them (Http404 out of scope, PermissionDenied read-only, ValidationError bad input)."""
        raise NotImplementedError

    def target_choices(self, *, actor, job) -> list[tuple[int, str]]:
        """When a checked file says what it is for in none of its columns (`Plan.target_missing`: a roster with no
        school column): the (id, label) the actor may choose from on the preview. None by default."""
        return []

    def retarget(self, *, actor, job, target_id: int):
        """(org_unit, target_id) of the job once the actor has chosen `target_id` among `target_choices`, after
        checking the actor's rights over it (Http404 out of scope)."""
        raise NotImplementedError

    def authorise(self, *, actor, job, plan=None) -> None:
        """Raise Http404/PermissionDenied unless `actor` may import this job now: called when confirming and again
        inside the write transaction, with the plan, to check every target the rows name."""
        raise NotImplementedError

    # Reading and checking (`apps.imports.plan.check_file` calls these in this order) -------------------------
    required: tuple[set[str], ...] = ()  # the header must name every field of one of these sets

    def params(self, *, job, actor) -> dict:
        """What the check needs from the job (its school year, school, commune…), each looked up with the actor's
        rights (Http404 out of scope)."""
        return {}

    def new_plan(self, *, filename: str, params: dict) -> Plan:
        return Plan(filename=filename)

    def vocabulary(self) -> dict[str, set[str]]:
        """field → the folded headers naming it (kept as data: `apps.imports.plan.read_vocabulary`)."""
        raise NotImplementedError

    def reader(self, run) -> TableReader:
        """The kind's table reader for one check (a subclass may keep what is remembered from row to row)."""
        return TableReader(run.plan, vocabulary=self.vocabulary(), labels=self.fields)

    def ready(self, run) -> bool:
        """Once the header is found: whether the rows can be read (False after saying why in `run.plan`: the file
        names no school and none was chosen)."""
        return True

    def parse_row(self, run, number: int, row: list[str], error):
        """One body row: the typed row, validated with the app's own rules (each bad cell reported through
        `error(field, value, message)`), or None for a row that is none (a note under the table)."""
        raise NotImplementedError

    def check(self, run) -> None:
        """The checks across the rows once all are read (matching, duplicates within the file, statuses): a row
        that fails them is rejected through `run.plan.reject` and taken out of `run.plan.rows`."""

    def plan(self, *, job, actor, data: bytes, progress):
        """Read every row, validate it with the app's own rules and match it; write nothing. Returns the plan."""
        return check_file(
            self,
            actor=actor,
            filename=job.filename,
            data=data,
            params=self.params(job=job, actor=actor),
            decisions=self.decisions(job.decisions),
            columns=job.chosen_columns,
            progress=progress,
        )

    # Writing -------------------------------------------------------------------------------------------------

    def write(self, *, job, actor, plan) -> dict:
        """Write the plan (inside the caller's transaction) and return the counts for the result line."""
        raise NotImplementedError

    def summarise(self, plan) -> dict:
        """What the preview shows, beyond what `apps.imports.plan.summary` already takes from every plan."""
        return {}

    def result_text(self, result: dict) -> str:
        return ""

    def describe_many(self, jobs) -> dict[int, str]:
        """{job id: what the file is for, in words} (the preview's subtitle, the list's column), for jobs of this
        kind with their `org_unit` loaded: a few queries for a whole page, not some per job."""
        return {job.pk: job.org_unit.display_name for job in jobs}

    def decisions(self, saved: dict) -> dict:
        """The answers given on the preview ({question key: choice}) as this importer takes them."""
        return dict(saved)

    def __repr__(self) -> str:
        return f"<Importer {self.name}>"


def register(importer: Importer) -> Importer:
    if not importer.name or "." not in importer.name:
        raise ValueError(f"{importer!r}: a kind's name is 'app.kind'")
    if importer.name in _KINDS and type(_KINDS[importer.name]) is not type(importer):
        raise ValueError(f"Import kind {importer.name} is registered twice")
    _KINDS[importer.name] = importer
    return importer


def label_jobs(jobs) -> None:
    """Give each job its `target_label` (`Importer.describe_many`, once per kind among them)."""
    by_kind: dict[str, list] = {}
    for job in jobs:
        by_kind.setdefault(job.kind, []).append(job)
    for kind, group in by_kind.items():
        labels = get(kind).describe_many(group)
        for job in group:
            job.__dict__["target_label"] = labels[job.pk]


def kinds() -> list[Importer]:
    return list(_KINDS.values())


def get(name: str) -> Importer:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(_("Không có loại tệp nhập “%(kind)s”.") % {"kind": name}) from None
