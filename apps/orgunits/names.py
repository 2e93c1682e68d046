"""How administrative unit names are written: official prefixes, abbreviations, and their folded keys."""

from apps.core.text import fold

# Folded prefix words → the levels they can name (1 province, 2 district, 3 commune, 4 hamlet).
# Longest first, so "thi tran" wins over a bare "thi"...
ADMIN_PREFIXES: tuple[tuple[str, frozenset[int]], ...] = (
    ("thanh pho", frozenset({1, 2})),
    ("thi tran", frozenset({3})),
    ("thi xa", frozenset({2})),
    ("dac khu", frozenset({3})),
    ("tinh", frozenset({1})),
    ("huyen", frozenset({2})),
    ("quan", frozenset({2})),
    ("phuong", frozenset({3})),
    ("xa", frozenset({3})),
    # Abbreviations: a lone letter or two never begins a Vietnamese place name.
    ("tp", frozenset({1, 2})),
    ("tx", frozenset({2})),
    ("tt", frozenset({3})),
    ("t", frozenset({1})),
    ("h", frozenset({2})),
    ("q", frozenset({2})),
    ("x", frozenset({3})),
    ("p", frozenset({3})),
)
HAMLET_PREFIXES = ("to dan pho", "khu pho", "thon", "ap", "ban", "buon", "lang", "xom", "tdp", "kp", "khom")
ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "hn": "ha noi"}


def split_admin_prefix(folded: str) -> tuple[frozenset[int] | None, str]:
    """('xa tra nam') → ({3}, 'tra nam'). Levels are None when no prefix was written."""
    for prefix, levels in ADMIN_PREFIXES:
        if folded == prefix:
            return levels, ""
        if folded.startswith(prefix + " "):
            rest = folded[len(prefix) + 1 :]
            return levels, ALIASES.get(rest, rest)
    return None, ALIASES.get(folded, folded)


def has_hamlet_prefix(folded: str) -> bool:
    return any(folded == p or folded.startswith(p + " ") for p in HAMLET_PREFIXES)


def admin_key(name: str) -> str:
    """The matching key of an official name: folded, without its prefix ('Xã Trà Linh' → 'tra linh')."""
    return split_admin_prefix(fold(name))[1]


def hamlet_key(name: str) -> str:
    """Hamlets keep their prefix: 'Thôn 1' and 'Tổ dân phố 1' are different places."""
    return fold(name)
