"""The anonymous crawler of the privacy check (tests/quality/test_privacy_crawl.py): every page the URL resolver
knows (its parameters filled in) and every link on every page reached, then every operation of every OpenAPI schema
the site serves, all as an anonymous visitor; each answer searched for the children's personal data. Nothing here
names a page or an endpoint: what another app adds later is found the same way."""

import html
import io
import json
import re
import unicodedata
import zipfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

SKIP = ("/static/", "/media/")
MAX_PAGES = 3000
MAX_QUERIES_PER_PATH = 10  # ?page=2, ?q=… : enough variants of one page
PARAMETERS = ("1", "x")  # a value for a URL parameter: a number, else a word


def personal_data() -> dict[str, set[str]]:
    """What of the (demo) database must never reach the public: {kind: values}."""
    from apps.students.models import Child, Guardian

    found = {"name": set(), "birth date": set(), "personal ID": set(), "guardian": set(), "phone": set()}
    for name, born, pid in Child.objects.values_list("full_name", "birth_date", "personal_id"):
        if len(name.split()) >= 2:
            found["name"].add(name)
        if born:
            found["birth date"] |= {born.strftime("%d/%m/%Y"), born.isoformat()}
        if pid:
            found["personal ID"].add(pid)
    for name, phone in Guardian.objects.values_list("full_name", "phone"):
        if len(name.split()) >= 2:
            found["guardian"].add(name)
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 8:
            found["phone"].add(digits)
    return found


class Needles:
    """One search over every value: names as whole words (any case), numbers and dates not inside longer ones."""

    def __init__(self, data: dict[str, set[str]]):
        self.kind = {}  # value → the first kind it is of (a child may bear a guardian's name)
        for kind, values in data.items():
            for value in values:
                self.kind.setdefault(unicodedata.normalize("NFC", value).casefold(), kind)
        words = sorted((v for v, k in self.kind.items() if k in ("name", "guardian")), key=len, reverse=True)
        other = sorted((v for v, k in self.kind.items() if k not in ("name", "guardian")), key=len, reverse=True)
        self.words = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None
        self.other = re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, other)) + r")(?![\w/-])") if other else None

    def __len__(self) -> int:
        return len(self.kind)

    def find(self, text: str) -> list[tuple[str, str]]:
        text = unicodedata.normalize("NFC", text).casefold()
        hits = []
        for pattern in (self.words, self.other):
            if pattern is not None:
                hits += [(self.kind[m.group(1)], m.group(1)) for m in pattern.finditer(text)]
        return hits


def readable(response) -> str:
    """The answer's text as a reader sees it: entities decoded, JSON unescaped, the XML inside Office files."""
    body = getattr(response, "content", b"") if not getattr(response, "streaming", False) else b"".join(response)
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                return html.unescape(" ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))
        except zipfile.BadZipFile:
            pass
    text = body.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        try:
            text += json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return html.unescape(text)


class Links(HTMLParser):
    ATTRIBUTES = {"href", "src", "action", "hx-get", "data-url"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.found.append(value)


def url_patterns(patterns=None, prefix: str = ""):
    """(regex of the whole path, converters) of every URL pattern, through every include."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        regex = prefix + p.pattern.regex.pattern.removeprefix("^")
        if isinstance(p, URLResolver):
            yield from url_patterns(p.url_patterns, regex)
        elif isinstance(p, URLPattern):
            yield regex


def resolver_paths() -> set[str]:
    """A path for every pattern the resolver knows, its parameters filled with a number or a word."""
    paths = set()
    for regex in url_patterns():
        for fmt, params in normalize(regex):
            for value in PARAMETERS:
                path = "/" + fmt % {name: value for name in params}
                try:
                    resolve(path)
                except Resolver404:
                    continue
                paths.add(path)
                break
    return paths


@dataclass
class Report:
    pages: int = 0
    api_operations: int = 0
    api_anonymous: int = 0  # operations that answered without asking to sign in
    hits: list = field(default_factory=list)  # (url, kind, value)
    statuses: dict = field(default_factory=dict)


def _internal(base: str, link: str) -> str | None:
    link = urldefrag(urljoin(base, html.unescape(link.strip())))[0]
    parts = urlsplit(link)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(needles: Needles, client: Client | None = None) -> Report:
    client = client or Client()
    report = Report()
    queue = deque(sorted(resolver_paths() | {"/"}))
    seen, queries = set(queue), {}
    while queue and report.pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=False)
        report.pages += 1
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        report.hits += [(url, kind, value) for kind, value in needles.find(readable(response))]
        links = [response["Location"]] if response.has_header("Location") else []
        if "html" in response.get("Content-Type", ""):
            parser = Links()
            parser.feed(response.content.decode("utf-8", "replace"))
            links += parser.found
        for link in links:
            target = _internal(url, link)
            if target is None or target in seen:
                continue
            path = target.split("?")[0]
            if "?" in target:
                queries[path] = queries.get(path, 0) + 1
                if queries[path] > MAX_QUERIES_PER_PATH:
                    continue
            seen.add(target)
            queue.append(target)
    _call_api(client, needles, report)
    return report


def schemas(client: Client) -> list[dict]:
    """Every OpenAPI schema the site serves (each NinjaAPI's openapi.json, found by its URL name); read as the
    administrator when the schema itself is not public."""
    from django.contrib.auth import get_user_model

    found = []
    admin = Client()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is not None:
        admin.force_login(user)
    for regex in url_patterns():
        for fmt, params in normalize(regex):
            path = "/" + fmt % {name: "1" for name in params}
            if not path.endswith("openapi.json"):
                continue
            response = client.get(path)
            if response.status_code != 200:
                response = admin.get(path)
            if response.status_code == 200:
                found.append(response.json())
    return found


def _call_api(client: Client, needles: Needles, report: Report) -> None:
    for schema in schemas(client):
        for route, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                path = re.sub(r"\{[^}]+\}", "1", route)
                query = {
                    p["name"]: "1"
                    for p in operation.get("parameters", [])
                    if p.get("in") == "query" and p.get("required")
                }
                if method == "get":
                    response = client.get(path, query)
                else:
                    response = client.generic(method.upper(), path, "{}", content_type="application/json")
                report.api_operations += 1
                report.api_anonymous += response.status_code not in (401, 403)
                report.hits += [(f"{method.upper()} {path}", k, v) for k, v in needles.find(readable(response))]
