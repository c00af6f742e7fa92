import unicodedata

import pytest

from creative_map.text import fold, slugify

BASE = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def vietnamese_letters() -> list[tuple[str, str]]:
    """All 134 accented Vietnamese letters (67 lower, 67 upper) with their expected base letter."""
    letters = []
    for vowel in BASE:
        base = unicodedata.normalize("NFD", vowel)[0]
        forms = [vowel] if vowel != base else []
        forms += [unicodedata.normalize("NFC", vowel + tone) for tone in TONES]
        letters += [(f, base) for f in forms]
    letters.append(("đ", "d"))
    return letters + [(f.upper(), b) for f, b in letters]


def test_there_are_134_accented_letters():
    letters = vietnamese_letters()
    assert len(letters) == 134
    assert len({f for f, _ in letters}) == 134
    assert all(len(f) == 1 for f, _ in letters)  # each is one precomposed NFC character


@pytest.mark.parametrize(("letter", "base"), vietnamese_letters())
def test_every_accented_letter_folds_to_its_base(letter, base):
    assert fold(letter) == base
    assert fold(unicodedata.normalize("NFD", letter)) == base


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Văn Miếu – Quốc Tử Giám", "van mieu - quoc tu giam"),
        ("ĐỒNG XUÂN", "dong xuan"),
        ("  Hồ   Hoàn\tKiếm ", "ho hoan kiem"),
        ("Nhà hát Lớn Hà Nội", "nha hat lon ha noi"),
    ],
)
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_nfd_and_nfc_fold_alike():
    text = "Thăng Long – Đông Đô, Nguyễn Trãi"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_slugify():
    assert slugify("Làng gốm Bát Tràng") == "lang-gom-bat-trang"
    assert slugify("Văn Miếu – Quốc Tử Giám") == "van-mieu-quoc-tu-giam"
