"""The site's Content Security Policy allows no inline script or style: a template with an inline event handler
("onchange=", "onclick=") has a control that silently does nothing, an inline <script> never runs, and a style
attribute is dropped. Every template file of the project and of every app (those added later too) is read."""

import re
from pathlib import Path

from django.conf import settings

HANDLER = re.compile(r"\son\w+\s*=", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def template_files():
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("apps/*/templates")]
    return [path for root in roots for path in root.rglob("*") if path.suffix in {".html", ".txt", ".xml", ".svg"}]


def offending(pattern_check):
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for match in pattern_check(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0).strip()}")
    return found


def test_the_scan_reads_every_apps_templates():
    names = {str(p.relative_to(settings.BASE_DIR)) for p in template_files()}
    assert "templates/base.html" in names and "apps/students/templates/students/census_index.html" in names


def test_no_template_has_an_inline_event_handler():
    assert offending(HANDLER.finditer) == []


def test_no_template_has_an_inline_script():
    def inline(text):
        return (m for m in SCRIPT.finditer(text) if not re.search(r"\bsrc\s*=", m.group("attrs")))

    assert offending(inline) == []


def test_no_template_has_an_inline_style_or_a_javascript_url():
    assert offending(STYLE_ATTRIBUTE.finditer) == []
    assert offending(INLINE_STYLE.finditer) == []
    assert offending(JS_URL.finditer) == []


def test_the_patterns_catch_what_they_are_for():
    assert HANDLER.search('<select name="year" onchange="this.form.submit()">')
    assert HANDLER.search("<button onClick='go()'>")
    assert not HANDLER.search('<select name="year" data-autosubmit>')
    assert [m for m in SCRIPT.finditer("<script>alert(1)</script>") if "src" not in m.group("attrs")]
    assert not [m for m in SCRIPT.finditer('<script src="/static/js/app.js" defer>') if "src" not in m.group("attrs")]
    assert STYLE_ATTRIBUTE.search('<p style="color:red">') and JS_URL.search('<a href="javascript:void(0)">')
