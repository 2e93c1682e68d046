import unicodedata

import pytest

from apps.core.legacy_text import TCVN3_TO_UNICODE, VNI_TO_UNICODE, convert, detect, is_syllable

# The phrases of the brief and of two published converters, typed by hand from UniKey's tables: (Unicode,
# TCVN3 as a .VnTime file stores it, VNI as a VNI-Times file stores it). "\xad" is TCVN3's ư (a soft hyphen).
PHRASES = [
    ("Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn Vaên An"),
    ("Trường Tiểu học", "Tr\xadêng TiÓu häc", "Tröôøng Tieåu hoïc"),
    ("Đà Nẵng", "§µ N½ng", "Ñaø Naüng"),
    ("Nguyễn Thị Ánh Tuyết", "NguyÔn ThÞ ¸nh TuyÕt", "Nguyeãn Thò AÙnh Tuyeát"),
    ("Phường Hải Châu", "Ph\xadêng H¶i Ch©u", "Phöôøng Haûi Chaâu"),
    ("Trần Văn Đức", "TrÇn V¨n §øc", "Traàn Vaên Ñöùc"),
    ("Huỳnh Thị Kiều Oanh", "Huúnh ThÞ KiÒu Oanh", "Huyønh Thò Kieàu Oanh"),
    ("Bảo Thắng", "B¶o Th¾ng", "Baûo Thaéng"),
    ("Mường Khương", "M\xadêng Kh\xad¬ng", "Möôøng Khöông"),
    ("Bát Xát", "B¸t X¸t", "Baùt Xaùt"),
    ("Xin chào các bạn", "Xin chµo c¸c b¹n", "Xin chaøo caùc baïn"),
    ("Ủy ban nhân dân xã Hòa Tiến", "ñy ban nh©n d©n x· Hßa TiÕn", "UÛy ban nhaân daân xaõ Hoøa Tieán"),
    ("Lớp 5A, năm học 2024-2025", "Líp 5A, n¨m häc 2024-2025", "Lôùp 5A, naêm hoïc 2024-2025"),
]

TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VIETNAMESE_VOWELS = {unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in ("", *TONES)}


def encoder(table: dict[str, str]) -> dict[str, str]:
    """Unicode → legacy, from our own table. TCVN3 has no upper-case toned letters: they take the code of
    the lower-case one, as a writer using .VnTime had to."""
    inverse = {letter: code for code, letter in table.items()}
    for letter, code in list(inverse.items()):
        inverse.setdefault(letter.upper(), code)
    return inverse


def encode(text: str, inverse: dict[str, str]) -> str:
    return "".join(inverse.get(char, char) for char in text)


def place_names() -> list[str]:
    from vietnam_provinces import Province, Ward, legacy

    names = [w.name for w in Ward.iter_all()] + [p.name for p in Province.iter_all()]
    names += [w.name for w in legacy.Ward.iter_all()] + [d.name for d in legacy.District.iter_all()]
    return sorted(set(names))


class TestTables:
    def test_vni_has_every_vowel_in_both_cases_and_d_with_stroke(self):
        lower = VIETNAMESE_VOWELS - set("aeiouy")
        letters = set(VNI_TO_UNICODE.values())
        assert len(lower) == 66
        assert lower | {v.upper() for v in lower} | {"đ", "Đ"} == letters
        assert len(VNI_TO_UNICODE) == 134  # 132 vowels with a mark, đ and Đ

    def test_tcvn3_has_every_lower_case_vowel_and_the_upper_case_bare_letters(self):
        letters = set(TCVN3_TO_UNICODE.values())
        assert (VIETNAMESE_VOWELS - set("aeiouy")) | {"đ", "Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} == letters
        assert len(TCVN3_TO_UNICODE) == 74
        assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in TCVN3_TO_UNICODE)

    def test_codes_are_those_of_unikey(self):
        assert TCVN3_TO_UNICODE["µ"] == "à" and TCVN3_TO_UNICODE["¸"] == "á" and TCVN3_TO_UNICODE["¹"] == "ạ"
        assert TCVN3_TO_UNICODE["\xad"] == "ư" and TCVN3_TO_UNICODE["ù"] == "ự" and TCVN3_TO_UNICODE["þ"] == "ỵ"
        assert VNI_TO_UNICODE["aø"] == "à" and VNI_TO_UNICODE["AØ"] == "À" and VNI_TO_UNICODE["eã"] == "ễ"
        assert VNI_TO_UNICODE["ôù"] == "ớ" and VNI_TO_UNICODE["î"] == "ỵ" and VNI_TO_UNICODE["ò"] == "ị"


class TestConvert:
    @pytest.mark.parametrize("unicode, tcvn3, vni", PHRASES)
    def test_tcvn3_phrases_come_back_as_unicode(self, unicode, tcvn3, vni):
        assert convert(tcvn3, "tcvn3") == unicode

    @pytest.mark.parametrize("unicode, tcvn3, vni", PHRASES)
    def test_vni_phrases_come_back_as_unicode(self, unicode, tcvn3, vni):
        assert convert(vni, "vni") == unicode

    def test_the_result_is_nfc(self):
        result = convert("NguyÔn ThÞ Hoµng", "tcvn3")
        assert result == unicodedata.normalize("NFC", result) == "Nguyễn Thị Hoàng"
        assert len(convert("Nguyeãn", "vni")) == 6

    def test_every_place_name_survives_a_round_trip_through_vni(self):
        inverse = encoder(VNI_TO_UNICODE)
        names = place_names()
        assert len(names) > 9000
        assert [n for n in names if convert(encode(n, inverse), "vni") != n] == []

    def test_every_place_name_survives_a_round_trip_through_tcvn3_up_to_case(self):
        inverse = encoder(TCVN3_TO_UNICODE)
        wrong = [n for n in place_names() if convert(encode(n, inverse), "tcvn3").lower() != n.lower()]
        assert wrong == []

    def test_tcvn3_words_typed_with_caps_lock_come_back_in_capitals(self):
        assert convert("NGUYÔN V¨N AN", "tcvn3") == "NGUYỄN VĂN AN"
        assert convert("Hå V¨N THÞ", "tcvn3") == "HỒ VĂN THỊ"
        assert convert("TR\xadêNG THCS", "tcvn3") == "TRƯỜNG THCS"

    def test_tcvn3_capitalises_a_toned_first_letter_in_a_name_but_leaves_other_words_alone(self):
        assert convert("¸nh", "tcvn3") == "Ánh"
        assert convert("Lª V¨n ót", "tcvn3") == "Lê Văn Út"
        assert convert("Hå B¸", "tcvn3") == "Hồ Bá"
        assert convert("ë nhµ", "tcvn3") == "Ở nhà"
        assert convert("häc sinh ë nhµ", "tcvn3") == "học sinh ở nhà"  # the writer chose a small h
        assert convert("Tr\xadêng TiÓu häc", "tcvn3") == "Trường Tiểu học"
        assert convert("c¸c Êp Ýt d©n", "tcvn3") == "các ấp ít dân"  # Ê and Ý are small letters in TCVN3

    def test_tcvn3_text_for_the_capitals_font_typed_in_small_letters_stays_small(self):
        assert convert("tr\xadêng tiÓu häc", "tcvn3") == "trường tiểu học"

    def test_unicode_text_is_left_as_it_is(self):
        for text in ("Nguyễn Văn An", "Đà Nẵng", "Trường Tiểu học"):
            assert convert(text, "tcvn3") == text
            assert convert(text, "vni") == text
        assert convert("Hello, 42", "vni") == "Hello, 42"

    def test_an_unknown_encoding_is_refused(self):
        with pytest.raises(ValueError):
            convert("NguyÔn", "viscii")


class TestDetect:
    def test_it_recognises_tcvn3(self):
        assert detect([tcvn3 for _u, tcvn3, _v in PHRASES]) == "tcvn3"

    def test_it_recognises_vni(self):
        assert detect([vni for _u, _t, vni in PHRASES]) == "vni"

    def test_one_name_is_enough(self):
        assert detect(["NguyÔn V¨n An"]) == "tcvn3"
        assert detect(["Nguyeãn Vaên An"]) == "vni"

    def test_it_recognises_encoded_place_names_in_every_sample_of_two_hundred(self):
        names = place_names()
        for encoding, table in (("tcvn3", TCVN3_TO_UNICODE), ("vni", VNI_TO_UNICODE)):
            inverse = encoder(table)
            encoded = [encode(n, inverse) for n in names]
            misses = [i for i in range(0, len(encoded), 200) if detect(encoded[i : i + 200]) != encoding]
            assert misses == [], encoding

    def test_unicode_place_names_are_never_taken_for_legacy_text(self):
        names = place_names()
        assert [n for n in names if detect([n])] == []
        assert [i for i in range(0, len(names), 200) if detect(names[i : i + 200])] == []

    def test_unicode_vietnamese_made_only_of_western_letters_is_not_legacy_text(self):
        # ê, ô, â, à, é… are Vietnamese letters too, and are TCVN3 or VNI codes as well.
        sample = ["Lê Hà", "Tô Hoài", "Hoàng Toán", "Bé Tí", "Cà Mau", "Lê Bé Tô Mè", "ê ô â", "Ô Môn", "Tú Lệ"]
        assert detect(sample) is None
        assert detect(sample * 50) is None

    def test_ascii_is_not_legacy_text(self):
        assert detect(["Nguyen Van An", "Truong Tieu hoc", "THCS", "42", "x", ""]) is None
        assert detect([]) is None

    @pytest.mark.parametrize(
        "sample",
        [
            ["café", "Hôtel", "José"],
            ["Café de la Paix", "Hôtel du Nord", "José María", "François Hollande", "Zoë Saldaña"],
            ["Crème brûlée", "déjà vu", "naïve façade", "résumé", "über", "Straße", "Ærø", "Øresund", "Åland"],
            ["São Paulo", "João Gonçalves", "mãe", "irmã", "coração", "pão", "avô", "avó"],
            ["Das Mädchen läuft über die Brücke", "Grüße aus Köln", "daß", "Müller", "Björk", "Malmö", "Søren"],
            ["Loïc Dubois", "Loïc Martin", "Noël", "Anaïs", "Hélène", "Jérôme", "Benoît", "Chloé"],
            ["Él está aquí", "¿qué pasó?", "año", "niño", "mañana", "señor", "pingüino", "Ibáñez", "Peña"],
        ],
    )
    def test_european_text_is_not_legacy_text(self, sample):
        assert detect(sample) is None
        assert detect(sample * 20) is None

    def test_a_unicode_header_does_not_hide_a_legacy_body(self):
        assert detect(["Họ và tên", "Ngày sinh", "NguyÔn V¨n An", "TrÇn ThÞ B×nh", "Lª V¨n C­êng"]) == "tcvn3"


class TestIsSyllable:
    @pytest.mark.parametrize(
        "word", ["Nguyễn", "trường", "khuya", "quyết", "giữ", "gì", "nghiêng", "Oanh", "xoong", "Đắk", "ý", "ườn"]
    )
    def test_vietnamese_syllables_are_recognised(self, word):
        assert is_syllable(word)

    @pytest.mark.parametrize("word", ["NguyÔn", "V¨n", "Nguyeãn", "café", "Hôtel", "strong", "àk", "ảc", "hỗp", "hoá2"])
    def test_other_words_are_not(self, word):
        assert not is_syllable(word)
