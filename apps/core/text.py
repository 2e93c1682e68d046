"""Vietnamese text: NFC normalisation and the folded form used for matching and search."""

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")
_MARKS = re.compile(r"[\u0300-\u036f]+")


def nfc(text: str) -> str:
    """The text in Unicode NFC with single spaces and no leading or trailing space."""
    if (  # most text already is (checked in C, before any regex runs): returned as it is
        text
        and text.isprintable()  # no tab, newline or non-breaking space
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and unicodedata.is_normalized("NFC", text)
    ):
        return text
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics (đ→d) but keep case and punctuation."""
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text or ""))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


@lru_cache(maxsize=1 << 16)  # imports fold the same values ("Nam", "Kinh", "x", a class name) again and again
def fold(text: str) -> str:
    """Lower case, no diacritics (đ→d), punctuation as spaces, single spaces: 'Nguyễn  Văn Ân' → 'nguyen van an'."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", strip_marks(text).lower()).replace("_", " ")).strip()


def exact_key(text: str) -> str:
    """Case-insensitive NFC form, for 'exact' comparisons that still respect diacritics."""
    return nfc(text).casefold()
