"""The English catalogue is complete and its compiled .mo matches the .po (run `make messages` after
changing any user-facing string)."""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def po_entries() -> dict[str, tuple[str, bool]]:
    """{msgid: (msgstr, fuzzy)}; plural entries keyed by their singular msgid, with msgstr[0]."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d\])\s+(".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            entries[fields["msgid"]] = (msgstr, "#, fuzzy" in block)
    return entries


def test_every_message_has_a_settled_english_translation():
    entries = po_entries()
    assert len(entries) > 200
    assert [m for m, (s, _f) in entries.items() if not s] == []
    assert [m for m, (_s, fuzzy) in entries.items() if fuzzy] == []


def test_the_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for msgid, (msgstr, _fuzzy) in po_entries().items():
        assert compiled.gettext(msgid) == msgstr, msgid
