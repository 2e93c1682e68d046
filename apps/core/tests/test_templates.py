"""The site's Content Security Policy allows no inline script: a template with an inline event handler
("onchange=", "onclick=") has a control that silently does nothing."""

import re
from pathlib import Path

from django.conf import settings

HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def test_no_template_has_an_inline_event_handler():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR, "apps").glob("*/templates")]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{n}"
        for root in roots
        for path in root.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HANDLER.search(line)
    ]
    assert found == []
