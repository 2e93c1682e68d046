"""The English catalogues: one per app (apps/<app>/locale, the strings of that app's own files) and the
project's (locale/, the strings of templates/ and dentruong/). Each is complete, its compiled .mo matches its
.po, and Django serves every entry as written (run `make messages` after changing any user-facing string)."""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.urls import reverse
from django.utils import translation

BASE = Path(settings.BASE_DIR)
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
PROJECT_SOURCES = ("templates", "dentruong")  # the project's own files; everything else belongs to an app


def our_apps() -> dict[str, Path]:
    """{label: directory} of the project's apps, in INSTALLED_APPS order."""
    return {c.label: Path(c.path) for c in apps.get_app_configs() if c.name.startswith("apps.")}


def catalogues() -> dict[str, Path]:
    """{"project" or an app's label: its .po}."""
    return {"project": BASE / CATALOGUE, **{label: path / CATALOGUE for label, path in our_apps().items()}}


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None
    plural: str | None
    msgstrs: list[str]  # msgstr, or msgstr[0], msgstr[1]…
    fuzzy: bool
    references: list[str]


def po_entries(po: Path) -> list[Entry]:
    """The live entries of a .po (not the header, not the obsolete `#~` ones)."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fields, current, references, fuzzy = {}, None, [], False
        for line in block.splitlines():
            if line.startswith("#:"):
                references += line[2:].split()
            elif line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            msgstrs = [fields["msgstr"]] if "msgstr" in fields else []
            msgstrs += [fields[f"msgstr[{i}]"] for i in range(10) if f"msgstr[{i}]" in fields]
            entries.append(
                Entry(fields["msgid"], fields.get("msgctxt"), fields.get("msgid_plural"), msgstrs, fuzzy, references)
            )
    return entries


def header(po: Path) -> str:
    return po.read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_each_app_has_its_own_catalogue_and_the_project_keeps_only_its_own_files():
    found = catalogues()
    assert set(found) == {"project", *our_apps()}
    for name, po in found.items():
        assert po.is_file(), f"{name}: no catalogue at {po.relative_to(BASE)} (run `make messages`)"
        # Every entry is there because a file of its owner uses it: an app's references are inside the app
        # (makemessages is run from the app's directory), the project's are in its templates and settings.
        root = BASE if name == "project" else our_apps()[name]
        for entry in po_entries(po):
            assert entry.references, (name, entry.msgid)
            for reference in entry.references:
                path = reference.rsplit(":", 1)[0]
                assert (root / path).is_file(), (name, reference)
                if name == "project":
                    assert path.split("/")[0] in PROJECT_SOURCES, reference
    assert len(po_entries(found["project"])) < 50  # the base template, the sign-in pages, the languages


def test_every_message_has_a_settled_english_translation():
    total = 0
    for name, po in catalogues().items():
        head = header(po)
        assert "#, fuzzy" not in head, f"{name}: a new catalogue's header is fuzzy; fill it in, drop the flag"
        assert "Plural-Forms: nplurals=2; plural=(n != 1);" in head, name
        entries = po_entries(po)
        total += len(entries)
        assert [e.msgid for e in entries if not all(e.msgstrs)] == [], f"{name}: no English"
        assert [e.msgid for e in entries if e.plural and len(e.msgstrs) != 2] == [], f"{name}: plural forms"
        assert [e.msgid for e in entries if e.fuzzy] == [], f"{name}: fuzzy"
    assert total > 700


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|\{\{.*?\}\}|\{\w*\}", text))


def test_translations_keep_the_placeholders_of_the_source():
    for name, po in catalogues().items():
        for e in po_entries(po):
            for i, msgstr in enumerate(e.msgstrs):
                source = e.plural if i and e.plural else e.msgid
                assert placeholders(msgstr) == placeholders(source), (name, e.msgid, msgstr)


def test_the_compiled_catalogues_match_their_sources():
    for name, po in catalogues().items():
        mo = po.with_suffix(".mo")
        assert mo.is_file(), f"{name}: run compilemessages"
        with mo.open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        for e in po_entries(po):
            if e.plural:
                for n, msgstr in ((1, e.msgstrs[0]), (2, e.msgstrs[1])):
                    got = (
                        compiled.npgettext(e.msgctxt, e.msgid, e.plural, n)
                        if e.msgctxt
                        else compiled.ngettext(e.msgid, e.plural, n)
                    )
                    assert got == msgstr, (name, e.msgid, n)
            else:
                got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
                assert got == e.msgstrs[0], (name, e.msgid)


def test_django_serves_every_entry_of_every_catalogue_as_it_is_written():
    """Django merges the catalogues: the project's wins, then the apps in INSTALLED_APPS order. A msgid in two
    catalogues must read the same in both, or one app would silently show the other's English."""
    with translation.override("en"):
        for name, po in catalogues().items():
            for e in po_entries(po):
                if e.plural:
                    for n, msgstr in ((1, e.msgstrs[0]), (2, e.msgstrs[1])):
                        got = (
                            translation.npgettext(e.msgctxt, e.msgid, e.plural, n)
                            if e.msgctxt
                            else translation.ngettext(e.msgid, e.plural, n)
                        )
                        assert got == msgstr, (name, e.msgid, n, got)
                else:
                    got = translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
                    assert got == e.msgstrs[0], (name, e.msgid, got)


def keys(po: Path) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po_entries(po)}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_string_of_their_sources(tmp_path, monkeypatch):
    """What `make messages` would extract from each app's files (and the project's) is what its catalogue holds:
    no string is missing from it, none is left over. Extracted from a copy, so that the tree is not touched."""
    ignore = shutil.ignore_patterns("tests", "locale", "__pycache__")  # as `make messages` does
    sources = {label: [path] for label, path in our_apps().items()}
    sources["project"] = [BASE / name for name in PROJECT_SOURCES]
    for name, dirs in sources.items():
        copy = tmp_path / name
        for source in dirs:
            shutil.copytree(source, copy / source.name if name == "project" else copy, ignore=ignore)
        (copy / "locale").mkdir()
        monkeypatch.chdir(copy)
        call_command("makemessages", locale=["en"], verbosity=0)
        extracted = copy / CATALOGUE
        expected = keys(extracted) if extracted.exists() else set()
        held = keys(catalogues()[name])
        assert sorted(expected - held) == [], f"{name}: missing from its catalogue (run `make messages`)"
        assert sorted(held - expected) == [], f"{name}: no longer used (run `make messages`)"


def english(text: str) -> str:
    with translation.override("en"):
        return str(text)


def test_a_string_of_each_app_reads_in_english():
    from apps.core.models import DailyRun
    from apps.imports.models import ImportJob
    from apps.notifications.models import Notification
    from apps.orgunits.models import Designation
    from apps.schools.models import SchoolYear
    from apps.students.models import Child

    assert english(apps.get_app_config("accounts").verbose_name) == "Accounts and permissions"
    assert english(apps.get_app_config("demo").verbose_name) == "Demo data"
    assert english(DailyRun._meta.verbose_name) == "daily job run"
    assert english(ImportJob._meta.verbose_name) == "import"
    assert english(Notification._meta.verbose_name) == "notification"
    assert english(Designation.Kind.DBKK.label) == "Especially difficult"
    assert english(SchoolYear._meta.verbose_name) == "school year"
    assert english(Child._meta.verbose_name) == "child"
    # The project's own templates: the base template's bell, in Vietnamese unless English is chosen.
    template = engines["django"].from_string('{% load i18n %}{% translate "Thông báo" %}')
    with translation.override("vi"):
        assert template.render() == "Thông báo"
    with translation.override("en"):
        assert template.render() == "Notifications"
        assert translation.ngettext("Thông báo: %(count)s chưa đọc", "Thông báo: %(count)s chưa đọc", 3) % {
            "count": 3
        } == ("Notifications: 3 unread")


@pytest.mark.django_db
def test_the_pages_read_in_english_when_english_is_chosen(cast, client_for):
    from apps.notifications.services import notify

    notify(recipients=[cast.admin], kind="imports.done", title="Đã nhập xong lượt nhập số 1", email=False)
    client = client_for(cast.admin)
    with translation.override(settings.LANGUAGE_CODE):  # a request activates its language: leave none behind
        page = client.get(reverse("home")).content.decode()
        assert "Học sinh" in page and "Thông báo: 1 chưa đọc" in page  # Vietnamese first
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("home")).content.decode()
        notifications = client.get(reverse("notifications:list")).content.decode()
    menu = [
        "Administrative units",  # orgunits
        "Schools",  # schools
        "Students",  # students
        "Universal-education census",  # students
        "File imports",  # imports
        "School years",  # schools
        "Users",  # accounts
        "Log",  # core
    ]
    assert all(f">{label}</a>" in page for label in menu), page
    assert 'aria-label="Notifications: 1 unread"' in page and ">Notifications <span" in page
    assert "Học sinh" not in page and "Thông báo" not in page
    assert "<h1>Notifications</h1>" in notifications and "1 unread notification." in notifications
    assert "Mark all as read" in notifications and "Unread" in notifications
