"""Kinds of official documents as data files: one TOML file per kind, filled from a fixed list of placeholders.

    [kind]                       # apps/documents/kinds/ke_hoach.toml
    code = "ke_hoach"            # the kind's key in code and in the register
    name = "Kế hoạch"            # shown in lists
    type_code = "KH"             # the symbol's type ("12/KH-THTN"); "" for a kind that has none
    title = "KẾ HOẠCH"           # the type line of the document
    numbered = true              # false: issued without a number (a thank-you letter)
    summary = "{summary}"
    paragraphs = ["Thực hiện nhiệm vụ năm {year}, {body} xây dựng kế hoạch như sau:"]
    recipients = ["{parent}|để báo cáo"]
    position = "HIỆU TRƯỞNG"

Apps contribute their directories of kinds (`register_kind_dir`, from their config); the documents app lists and
issues every kind, a lower app (funds) reads its own with `kind(code)` without importing the documents app.

A placeholder is `{name}` with a name from `PLACEHOLDERS`; a kind naming any other fails to load. Filling is one
pass over the kind's text only: a value is inserted as it is and never read again, so user text holding "{year}"
stays "{year}", and characters XML cannot hold (control characters) are dropped from values. User text (the
body a person writes) never goes through `fill`: it enters the document as paragraphs of its own.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# The fixed list: what a kind may ask for (the issuing body's facts, the date, the number, the summary).
PLACEHOLDERS = frozenset(
    {
        "body",  # "Trường PTDTBT Tiểu học Trà Nam"
        "parent",  # "UBND xã Trà Linh"
        "abbreviation",  # "THTN"
        "place",  # "Trà Linh"
        "date",  # "05/9/2025"
        "year",  # "2025"
        "school_year",  # "2025-2026"
        "number",  # "12/KH-THTN", "" when unnumbered
        "summary",  # the summary a person typed
        "addressee",  # "Công ty Thử"
        "details",  # what the caller fills in (a donation's description…)
    }
)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class KindError(ValueError):
    pass


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    title: str
    type_code: str = ""
    numbered: bool = True
    summary: str = ""
    addressee: str = ""
    paragraphs: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()  # "name|purpose"
    position: str = ""
    prefix: str = ""
    source: str = field(default="", compare=False)

    def texts(self) -> list[str]:
        return [self.summary, self.addressee, *self.paragraphs, *self.recipients, self.position, self.prefix]


def clean(value) -> str:
    """A value as it may enter a document: text, without the characters a .docx cannot hold."""
    return _NOT_XML.sub("", str(value))


def fill(text: str, context: dict) -> str:
    """`text` with each `{placeholder}` replaced by its value from `context` ("" when absent), in one pass."""
    return _PLACEHOLDER.sub(lambda m: clean(context.get(m.group(1), "")), text)


def load(path: Path) -> Kind:
    """The kind in one TOML file (KindError naming the file when it is not a valid kind)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))["kind"]
        found = Kind(
            code=data["code"],
            name=data["name"],
            title=data["title"],
            type_code=data.get("type_code", ""),
            numbered=bool(data.get("numbered", True)),
            summary=data.get("summary", ""),
            addressee=data.get("addressee", ""),
            paragraphs=tuple(data.get("paragraphs", ())),
            recipients=tuple(data.get("recipients", ())),
            position=data.get("position", ""),
            prefix=data.get("prefix", ""),
            source=str(path),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise KindError(f"{path}: not a document kind ({exc})") from None
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", found.code):
        raise KindError(f"{path}: code {found.code!r} must be lower-case letters, digits and _")
    if found.numbered and not found.type_code:
        raise KindError(f"{path}: a numbered kind needs its type_code (KH, BC, QĐ…)")
    for text in found.texts():
        unknown = set(_PLACEHOLDER.findall(text)) - PLACEHOLDERS
        if unknown:
            raise KindError(f"{path}: unknown placeholder(s) {', '.join(sorted(unknown))}")
    return found


_DIRS: list[Path] = []
_CACHE: dict[str, Kind] = {}


def register_kind_dir(path) -> None:
    """Add a directory of `*.toml` kinds (from an app's config)."""
    path = Path(path)
    if path not in _DIRS:
        _DIRS.append(path)
        _CACHE.clear()


def kinds() -> dict[str, Kind]:
    """Every registered kind by code (loaded once; two files with one code refuse to load)."""
    if not _CACHE:
        found: dict[str, Kind] = {}
        for directory in _DIRS:
            for path in sorted(directory.glob("*.toml")):
                k = load(path)
                if k.code in found:
                    raise KindError(f"{path}: kind {k.code!r} is also defined in {found[k.code].source}")
                found[k.code] = k
        _CACHE.update(found)
    return dict(_CACHE)


def kind(code: str) -> Kind:
    try:
        return kinds()[code]
    except KeyError:
        raise KindError(f"no document kind {code!r}") from None


def recipient(line: str, context: dict) -> tuple[str, str]:
    """(name, purpose) of a kind's "name|purpose" recipient line, filled."""
    name, _sep, purpose = fill(line, context).partition("|")
    return name.strip(), purpose.strip()
