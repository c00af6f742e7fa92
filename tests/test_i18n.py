"""Interface texts: both languages, fallback to the other language, never a blank."""

from __future__ import annotations

import re

import pytest

from creative_map import i18n, schema
from creative_map.i18n import TEXTS, coerce_lang, space_names, t
from creative_map.schema import Label


@pytest.mark.parametrize("key", sorted(TEXTS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_text_exists_in_both_languages(key: str, lang: str) -> None:
    text = TEXTS[key].get(lang)  # type: ignore[arg-type]
    assert text.strip(), f"{key} is blank in {lang}"
    placeholders_vi = set(re.findall(r"{(\w+)}", TEXTS[key].vi))
    placeholders_en = set(re.findall(r"{(\w+)}", TEXTS[key].en))
    assert placeholders_vi == placeholders_en, key


def test_vietnamese_and_english_differ_where_words_are_translated() -> None:
    same = [k for k, v in TEXTS.items() if v.vi == v.en and k not in {"basemap_osm"}]
    assert same == []


def test_missing_translation_falls_back_to_the_other_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TEXTS, "only_vi", Label("Chỉ tiếng Việt", ""))
    monkeypatch.setitem(TEXTS, "only_en", Label("", "English only"))
    assert t("only_vi", "en") == "Chỉ tiếng Việt"
    assert t("only_en", "vi") == "English only"
    assert t("only_en", "en") == "English only"


def test_placeholders_are_filled() -> None:
    assert t("count", "vi", shown=3, total=104) == "3 / 104 không gian"
    assert t("count", "en", shown=3, total=104) == "3 of 104 spaces"


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        t("no_such_text", "vi")


@pytest.mark.parametrize("value,expected", [("en", "en"), ("vi", "vi"), ("fr", "vi"), (None, "vi"), ("EN", "vi")])
def test_coerce_lang(value: object, expected: str) -> None:
    assert coerce_lang(value) == expected


@pytest.mark.parametrize(
    "vocab",
    [
        {c.id: c.label for c in schema.CATEGORIES.values()},
        schema.STATUSES,
        schema.NETWORK_MEMBER,
        schema.PRECISIONS,
        schema.PLAN_ITEMS,
    ],
)
def test_every_data_label_is_never_blank(vocab: dict[str, Label]) -> None:
    for value in vocab.values():
        assert i18n.label(value, "vi").strip() and i18n.label(value, "en").strip()


def test_space_names_put_the_chosen_language_first_and_fall_back() -> None:
    space = {schema.NAME_VI: "Văn Miếu – Quốc Tử Giám", schema.NAME_EN: "Temple of Literature"}
    assert space_names(space, "vi") == ("Văn Miếu – Quốc Tử Giám", "Temple of Literature")
    assert space_names(space, "en") == ("Temple of Literature", "Văn Miếu – Quốc Tử Giám")
    assert space_names({schema.NAME_VI: "Phố sách", schema.NAME_EN: ""}, "en") == ("Phố sách", "")
    assert space_names({schema.NAME_VI: "Same", schema.NAME_EN: "Same"}, "en") == ("Same", "")


def test_unit_labels_in_english() -> None:
    assert i18n.unit_label("Quận Hoàn Kiếm", "en") == "Hoàn Kiếm District"
    assert i18n.unit_label("Quận Hoàn Kiếm", "vi") == "Quận Hoàn Kiếm"
    assert i18n.unit_label("", "en") == ""
