import unicodedata

from apps.core.text import exact_key, fold, nfc


class TestFold:
    def test_it_removes_diacritics_and_lowercases(self):
        assert fold("Nguyễn Văn Ân") == "nguyen van an"

    def test_it_turns_d_with_stroke_into_d(self):
        assert fold("Đặng Đình Đức") == "dang dinh duc"

    def test_it_collapses_spaces_and_punctuation(self):
        assert fold("  X.  Trà   Nam,") == "x tra nam"

    def test_nfd_input_folds_like_nfc(self):
        assert fold(unicodedata.normalize("NFD", "Thuỷ")) == fold("Thủy") == "thuy"


class TestNfc:
    def test_it_composes_and_trims(self):
        decomposed = unicodedata.normalize("NFD", " Trà  Nam ")
        assert nfc(decomposed) == "Trà Nam"
        assert len(nfc(decomposed)) == len("Trà Nam")

    def test_exact_key_keeps_diacritics(self):
        assert exact_key("Bình Lãng") != exact_key("Bình Lăng")
        assert exact_key("BÌNH LÃNG") == exact_key("bình lãng")
