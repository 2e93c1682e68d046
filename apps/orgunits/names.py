"""How administrative unit names are written: official prefixes, abbreviations, and their folded keys.

A name as written may also be read in other ways (`name_readings`): without a prefix written twice ("Phường
Phường 3"), without "cũ" (the former commune), and with the words that official names write in two ways
swapped ("NT" and "Nông trường"). The reading as written always comes first.
"""

import re
from dataclasses import dataclass

from apps.core.text import exact_key, fold, strip_marks


@dataclass(frozen=True)
class Prefix:
    spelled: str  # as written with diacritics, lower case ("thị trấn")
    levels: frozenset[int]  # 1 province, 2 district, 3 commune
    types: frozenset[str]  # the OrgUnit types it names


# Official prefixes, longest first. Pre-2025 "thị trấn" were stored as communes.
PREFIXES = (
    Prefix("thành phố", frozenset({1, 2}), frozenset({"province", "district"})),
    Prefix("thị trấn", frozenset({3}), frozenset({"commune"})),
    Prefix("thị xã", frozenset({2}), frozenset({"district"})),
    Prefix("đặc khu", frozenset({3}), frozenset({"special_zone"})),
    Prefix("tỉnh", frozenset({1}), frozenset({"province"})),
    Prefix("huyện", frozenset({2}), frozenset({"district"})),
    Prefix("quận", frozenset({2}), frozenset({"district"})),
    Prefix("phường", frozenset({3}), frozenset({"ward"})),
    Prefix("xã", frozenset({3}), frozenset({"commune"})),
)
# Abbreviations as people type them. A lone letter counts only with its dot ("X. Trà Nam"): names such as
# "H Bông" begin with a letter.
ABBREVIATIONS = {
    "tp": PREFIXES[0],
    "tp.": PREFIXES[0],
    "tx": PREFIXES[2],
    "tx.": PREFIXES[2],
    "tt": PREFIXES[1],
    "tt.": PREFIXES[1],
    "t.": PREFIXES[4],
    "h.": PREFIXES[5],
    "q.": PREFIXES[6],
    "p.": PREFIXES[7],
    "x.": PREFIXES[8],
}
# Names people write for a unit that its official name does not say (applied to what users type only).
ALIASES = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "sai gon": "ho chi minh",
    "hn": "ha noi",
    "thua thien hue": "hue",
}
COUNTRY = {"viet nam", "vietnam", "vn"}
# Words that the official data abbreviates in some names and spells out in others ("Thị trấn NT Mộc Châu",
# "Thị trấn Nông Trường Việt Lâm"), while people write them either way: each is also read as the other.
NAME_WORDS = (("nt", "nông trường"),)
FORMER = "cũ"  # "xã Trà Nam cũ": the former commune, written to tell a place apart

HAMLET_WORDS = (
    "to dan pho",
    "khu pho",
    "khoi pho",
    "thon",
    "ap",
    "ban",
    "buon",
    "lang",
    "xom",
    "khom",
    "khoi",
    "doi",
    "khu",
    "to",
    "tdp",
    "kp",
)
_HAMLET_ABBREVIATIONS = {"tdp": "to dan pho", "kp": "khu pho"}
_GLUED = re.compile(r"^([a-z]+)(\d+)$")  # "kp2"


def split_written_prefix(text: str) -> tuple[Prefix | None, str]:
    """The prefix a user wrote and the rest (NFC, lower case): 'X. Trà Nam' → (xã, 'trà nam'). Words with
    diacritics count as a prefix only when spelled as one ("Quận 1" but not "Quan Sơn" or "Quản Bạ"); text
    typed without diacritics is read on its folded words."""
    lowered = exact_key(text)
    for prefix in PREFIXES:
        if lowered.startswith(prefix.spelled + " "):
            return prefix, lowered[len(prefix.spelled) :].strip()
    first, _, rest = lowered.partition(" ")
    if first in ABBREVIATIONS and rest:
        return ABBREVIATIONS[first], rest.strip()
    head, dot, tail = first.partition(".")
    if dot and head + "." in ABBREVIATIONS and tail:  # "P.14", "TP.Đà Nẵng"
        return ABBREVIATIONS[head + "."], lowered[len(head) + 1 :].strip()
    if lowered == strip_marks(lowered):
        for prefix in PREFIXES:
            bare = fold(prefix.spelled)
            if fold(lowered).startswith(bare + " "):
                return prefix, fold(lowered)[len(bare) + 1 :]
    return None, lowered


def name_readings(prefix: Prefix | None, rest: str) -> list[str]:
    """The ways to read a name written after `prefix` (NFC lower case, as `split_written_prefix` returns it), the
    name as written first, then: without a prefix of the same kind written again ("Phường Phường 3", "Q. Quận 6"
    in exports that put the type before the full name; "Phường Phường Đúc" in Huế is an official name, hence
    as written first), without a trailing "cũ", and with the words of `NAME_WORDS` swapped."""
    readings = [rest]
    if prefix is not None:
        again, bare = split_written_prefix(rest)
        if again is not None and again.types & prefix.types and bare:
            readings.append(bare)
    readings += [without for r in readings if (without := _without_former(r))]
    for short, long in NAME_WORDS:
        readings += [other for r in readings if (other := _swap_words(r, short, long) or _swap_words(r, long, short))]
    return list(dict.fromkeys(readings))


def is_former(text: str) -> bool:
    """Whether a unit is written as the former one: 'xã Trà Nam cũ' (typed without diacritics: 'xa tra nam cu')."""
    return bool(_without_former(exact_key(text)))


def _without_former(text: str) -> str:
    # Without diacritics "cu" may end a name ("Lũng Cú", "An Cư"), so there it is only one more reading.
    words = text.split()
    if len(words) > 1 and (words[-1] == FORMER or (words[-1] == "cu" and text == strip_marks(text))):
        return " ".join(words[:-1])
    return ""


def _swap_words(text: str, old: str, new: str) -> str:
    """The text with the words `old` (compared folded) replaced by `new`, if it has them besides other words."""
    words, wanted = text.split(), fold(old).split()
    n = len(wanted)
    if len(words) <= n:
        return ""
    out, i = [], 0
    while i < len(words):
        if [fold(w) for w in words[i : i + n]] == wanted:
            out.append(new)
            i += n
        else:
            out.append(words[i])
            i += 1
    return " ".join(out) if out != words else ""


def admin_exact(name: str) -> str:
    """An official name without its prefix, NFC and lower case ('Xã Trà Linh' → 'trà linh')."""
    lowered = exact_key(name)
    for prefix in PREFIXES:
        if lowered.startswith(prefix.spelled + " "):
            return lowered[len(prefix.spelled) :].strip()
    return lowered


def admin_key(name: str) -> str:
    """The matching key of an official name: folded, without its prefix ('Xã Trà Linh' → 'tra linh')."""
    return fold(admin_exact(name))


def hamlet_key(name: str) -> str:
    """Hamlets keep their prefix ('Thôn 1' and 'Tổ dân phố 1' are different places) in one spelling:
    'TDP 03' and 'Tổ dân phố 3' meet, as do 'KP2' and 'Khu phố 2'."""
    words = fold(name).split()
    if words and (glued := _GLUED.match(words[0])) and glued.group(1) in _HAMLET_ABBREVIATIONS:
        words[:1] = [glued.group(1), glued.group(2)]
    if words and words[0] in _HAMLET_ABBREVIATIONS:
        words[:1] = _HAMLET_ABBREVIATIONS[words[0]].split()
    return " ".join(str(int(w)) if w.isdecimal() else w for w in words)


def is_hamlet(text: str) -> bool:
    key = hamlet_key(text)
    return any(key == w or key.startswith(w + " ") for w in HAMLET_WORDS)


_QUALIFIER = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")  # "Thôn 1 (xã Trà Nam cũ)"


def split_qualifier(text: str) -> tuple[str, str]:
    """A name and the folded qualifier written in brackets after it: 'Thôn 1 (xã Trà Nam cũ)' →
    ('Thôn 1', 'xa tra nam cu'); ('text', '') without brackets."""
    if bracketed := _QUALIFIER.match(text):
        return bracketed.group(1), fold(bracketed.group(2))
    return text, ""


def by_qualifier(hamlets: list, qualifier: str) -> list:
    """Among namesake hamlets of a merged commune, those the written qualifier names: the same qualifier, else
    one containing it ("Trà Nam cũ" for "xã Trà Nam cũ"); all of them when it names none."""
    if len(hamlets) < 2 or not qualifier:
        return hamlets
    same = [h for h in hamlets if fold(h.qualifier) == qualifier]
    return same or [h for h in hamlets if qualifier in fold(h.qualifier)] or hamlets
