"""Vietnamese typed in the pre-Unicode fonts, turned back into Unicode.

Old workbooks were typed with ".VnTime" fonts (TCVN3, also called ABC: one byte per letter) or "VNI-Times"
fonts (VNI Windows: a vowel followed by a byte for its marks). The file stores the Windows Latin-1 characters
of those bytes, which only look Vietnamese in that font: TCVN3 "NguyÔn V¨n An" and VNI "Nguyeãn Vaên An" are
both "Nguyễn Văn An".

TCVN3 has no code for an upper-case letter with a tone mark: those live in the separate ".VnTimeH" font at
the codes of the lower-case ones, and the font of a cell is not read here. So they come back lower case,
except for two guesses that suit the names and places of rosters: a word whose ASCII letters (two or more) are
all capitals is put in capitals ("NGUYÔN" → "NGUYỄN"; the whole cell when most of its words are), and a word
that starts with a toned letter is capitalised when it opens the cell or a word next to it starts with a
capital ("NguyÔn ThÞ ¸nh TuyÕt" → "Nguyễn Thị Ánh Tuyết", "Lª V¨n ót" → "Lê Văn Út"). Text typed for
.VnTimeH all in lower-case codes ("tr\xadêng", shown as "TRƯỜNG") comes back lower case: "trường".

The tables follow UniKey's converter (the TCVN3 and VNI-WIN tables of its VnConv library), checked against a
second published converter.
"""

import re
import unicodedata
from collections.abc import Iterable

TCVN3 = "tcvn3"
VNI = "vni"

_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# TCVN3: for each vowel, the code of the bare letter (when it is not an ASCII letter), then its codes with a
# grave, hook, tilde, acute and dot tone mark. Lower case only; the upper-case bare letters follow.
_TCVN3_VOWELS = {
    "a": ("", "µ¶·¸¹"),
    "ă": ("¨", "»¼½¾Æ"),
    "â": ("©", "ÇÈÉÊË"),
    "e": ("", "ÌÎÏÐÑ"),
    "ê": ("ª", "ÒÓÔÕÖ"),
    "i": ("", "×ØÜÝÞ"),
    "o": ("", "ßáâãä"),
    "ô": ("«", "åæçèé"),
    "ơ": ("¬", "êëìíî"),
    "u": ("", "ïñòóô"),
    "ư": ("\xad", "õö÷øù"),  # ư is the soft hyphen, invisible outside the font
    "y": ("", "úûüýþ"),
}
_TCVN3_OTHERS = {"®": "đ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
_TCVN3_UPPER = frozenset("¡¢£¤¥¦§")

TCVN3_TO_UNICODE: dict[str, str] = dict(_TCVN3_OTHERS)
_TCVN3_TONED: set[str] = set()  # codes of toned vowels: lower case only in .VnTime
for _vowel, (_bare, _toned) in _TCVN3_VOWELS.items():
    if _bare:
        TCVN3_TO_UNICODE[_bare] = _vowel
    for _code, _tone in zip(_toned, _TONES, strict=True):
        TCVN3_TO_UNICODE[_code] = _nfc(_vowel + _tone)
        _TCVN3_TONED.add(_code)

# VNI Windows: a vowel is its ASCII letter followed by one mark byte, except i and ỵ (one byte each) and the
# bare ơ, ư, đ (one byte each). Lower-case marks; each upper-case mark is the same byte minus 0x20.
_VNI_PLAIN_TONES = "øûõùï"  # grave, hook, tilde, acute, dot on a, e, o, u, y, ơ, ư
_VNI_HAT = ("â", "àåãáä")  # circumflex alone, then with each tone: â ê ô
_VNI_BREVE = ("ê", "èúüéë")  # breve alone, then with each tone: ă
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    table = {}
    for code, letter in _VNI_SINGLE.items():
        table[code] = letter
        table[code.upper()] = letter.upper()
    for base, letter, tones in (
        ("a", "a", _TONES),
        ("e", "e", _TONES),
        ("o", "o", _TONES),
        ("u", "u", _TONES),
        ("y", "y", _TONES[:4]),  # ỵ is the single byte î
        ("ô", "ơ", _TONES),
        ("ö", "ư", _TONES),
    ):
        for mark, tone in zip(_VNI_PLAIN_TONES, tones, strict=False):
            table[base + mark] = _nfc(letter + tone)
    for base in "aeo":
        bare, toned = _VNI_HAT
        table[base + bare] = _nfc(base + "\u0302")
        for mark, tone in zip(toned, _TONES, strict=True):
            table[base + mark] = _nfc(base + "\u0302" + tone)
    bare, toned = _VNI_BREVE
    table["a" + bare] = "ă"
    for mark, tone in zip(toned, _TONES, strict=True):
        table["a" + mark] = _nfc("a\u0306" + tone)
    for code, letter in list(table.items()):
        if len(code) == 2:
            table[code.upper()] = letter.upper()
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()

_TCVN3_TRANSLATE = str.maketrans(TCVN3_TO_UNICODE)
# A word that starts with a toned letter, or two capitals in one word with no small letter between them.
_MAY_CAPITALISE = re.compile("(?:^|\\s)[" + re.escape("".join(sorted(_TCVN3_TONED))) + "]|[A-Z][^\\sa-z]*[A-Z]")
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
_MARKERS = {
    TCVN3: frozenset(TCVN3_TO_UNICODE),
    VNI: frozenset(c for code in VNI_TO_UNICODE for c in code if not c.isascii()),
}

# Telltales of a legacy word that European text does not have: a symbol inside a word ("V¨n") for TCVN3, a
# vowel followed by a mark byte that no European language puts after a vowel ("Vaên", "Nguyeãn") for VNI.
_TELLTALE = {
    TCVN3: re.compile("[" + re.escape("".join(c for c in TCVN3_TO_UNICODE if not c.isalpha())) + "]"),
    VNI: re.compile("|".join(k for k in VNI_TO_UNICODE if len(k) == 2 and k[1].lower() in "âêãõøûåäëü")),
}

# Letters only Unicode can hold (ă đ ĩ ũ ơ ư, the toned vowels of Latin Extended Additional, combining marks):
# text that has one was not typed in a legacy font.
_UNICODE_ONLY = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u0300-\u036f\u1ea0-\u1ef9]"
)
_WORD = re.compile(r"[^\s0-9!-/:-@\[-`{-~]+")  # split on spaces, digits and ASCII punctuation only
_SPACES = re.compile(r"\S+")


def convert(text: str, encoding: str) -> str:
    """`text` typed in a TCVN3 ("tcvn3") or VNI ("vni") font, as NFC Unicode. Text that already holds letters
    only Unicode has (ư, ơ, ă, đ, ạ…) is returned as it is: no legacy font could have produced it."""
    if text.isascii() or _UNICODE_ONLY.search(text):
        return text
    if encoding == TCVN3:
        return _nfc(_tcvn3(text))
    if encoding == VNI:
        return _nfc(_VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text))
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def _tcvn3(text: str) -> str:
    converted = text.translate(_TCVN3_TRANSLATE)
    if not _MAY_CAPITALISE.search(text):  # most cells: no word starts with a toned letter, none is shouted
        return converted
    # Upper-case toned letters: see the module docstring. The translation is one character for one, so a
    # position in `text` is the same position in `converted`. Outside words typed in capitals, only toned
    # letters are capitalised: they have no upper-case code, while a writer who wanted "Ô" had its code.
    words = [
        (m.start(), m.end()) for m in _SPACES.finditer(text) if any(c.isalpha() or c in _TCVN3_TONED for c in m.group())
    ]
    shouted = [_shouted(text[start:end]) for start, end in words]
    if any(shouted) and 2 * sum(shouted) >= len(words) and not any(c.isascii() and c.islower() for c in text):
        return converted.upper()
    # Capitals are ASCII ones and the seven upper-case codes: "Ê" or "Ý" are TCVN3's small ấ and í.
    starts_upper = [text[s] in _TCVN3_UPPER or (text[s].isascii() and text[s].isupper()) for s, _e in words]
    chars = list(converted)
    for index, (start, end) in enumerate(words):
        if shouted[index]:
            chars[start:end] = [c.upper() for c in converted[start:end]]
        elif text[start] in _TCVN3_TONED and (
            index == 0 or starts_upper[index - 1] or (index + 1 < len(words) and starts_upper[index + 1])
        ):
            chars[start] = chars[start].upper()
    return "".join(chars)


def _shouted(word: str) -> bool:
    """Two or more ASCII letters, all capitals: a word typed with caps lock."""
    letters = [c for c in word if c.isascii() and c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# A Vietnamese syllable without its tone: onset, then either an open rhyme or a vowel group and a final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:(?:iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uyu|uya|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưi|ưu"
    r"|ua|ưa|oa|oe|uê|uơ|uy|[aeêioôơuưy])"
    r"|(?:uyê|iê|yê|uô|ươ|oă|oa|oe|oo|uâ|uê|uy|[aăâeêioôơuưy])(?P<final>ch|nh|ng|[ckmnpt]))"
)
_LETTER = {}  # every Vietnamese letter (lower case) → (letter without tone, tone or "")
for _letter in "abcdđeghiklmnopqrstuvxyăâêôơư":
    _LETTER[_letter] = (_letter, "")
for _vowel in "aăâeêioôơuưy":
    for _tone in _TONES:
        _LETTER[_nfc(_vowel + _tone)] = (_vowel, _tone)


def is_syllable(word: str) -> bool:
    """Whether `word` (any case) spells one Vietnamese syllable: letters of the Vietnamese alphabet, one
    tone mark at most, an onset, a rhyme Vietnamese has, and only a rising or heavy tone on -c, -ch, -k, -p, -t."""
    bare, tones = [], []
    for char in word.lower():
        letter, tone = _LETTER.get(char, ("", ""))
        if not letter:
            return False
        bare.append(letter)
        if tone:
            tones.append(tone)
    if len(tones) > 1:
        return False
    match = _SYLLABLE.fullmatch("".join(bare))
    if match is None:
        return False
    final = match.group("final")
    return not (final in ("c", "ch", "k", "p", "t") and tones and tones[0] not in (_ACUTE, _DOT))


def detect(texts: Iterable[str]) -> str | None:
    """The legacy font `texts` (a sample of a file's cells) were typed in: "tcvn3", "vni", or None for text
    that is Unicode (or plain ASCII) already.

    Each distinct word holding a code of the encoding is tried: it is evidence for the encoding when it is not
    a Vietnamese syllable as it stands but becomes one once converted, and against it when it is no syllable
    after. Unicode Vietnamese never gains that way (its words were syllables already), nor do English or
    French ("café", "Hôtel"), whose words stay what they were, or seldom (German "daß" is TCVN3 for "daò").
    An encoding is chosen when at least three words are evidence for it (two, if one of them has a telltale
    no European word has, as "V¨n" or "Vaên") and they are at least twice as many as the words against it."""
    words = {w for text in texts if not _UNICODE_ONLY.search(text) for w in _WORD.findall(text) if not w.isascii()}
    best, best_gain = None, 0
    for encoding in (TCVN3, VNI):
        markers = _MARKERS[encoding]
        gain = loss = 0
        telltale = False
        for word in words:
            if not any(c in markers for c in word):
                continue
            after = convert(word, encoding)
            if after == word:
                continue
            if not is_syllable(after):
                loss += 1
            elif not is_syllable(word):
                gain += 1
                telltale = telltale or bool(_TELLTALE[encoding].search(word))
        if (gain >= 3 or (gain == 2 and telltale)) and gain >= 2 * loss and gain > best_gain:
            best, best_gain = encoding, gain
    return best
