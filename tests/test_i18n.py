"""Interface texts: both languages, fallback to the other language, never a blank; every key the code uses is in
the one catalogue, and the app writes no text of its own."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from creative_map import i18n, schema, types
from creative_map.i18n import TEXTS, coerce_lang, space_names, t
from creative_map.schema import Label

from .conftest import ROOT

SOURCES = [*sorted((ROOT / "creative_map").rglob("*.py")), ROOT / "app.py"]
"""Every file whose code may call `t`: the package and the app."""


def catalogue_problems(texts: Mapping[str, Label]) -> list[str]:
    """Every text missing in a language, and every text whose two languages have different placeholders."""
    problems = []
    for key, text in texts.items():
        for lang in types.LANGS:
            if not getattr(text, lang).strip():
                problems.append(f"{key}: no {lang} text")
        if set(re.findall(r"{(\w*)}", text.vi)) != set(re.findall(r"{(\w*)}", text.en)):
            problems.append(f"{key}: the placeholders differ between vi and en")
    return problems


def t_keys(path: Path) -> Iterator[tuple[int, str | re.Pattern[str] | None]]:
    """(line, key) of every call of `t` (or `i18n.t`) in `path`: the key as written, a pattern for an f-string or a
    sum that starts with text, None when the key is a variable."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if not (
            (isinstance(func, ast.Name) and func.id == "t") or (isinstance(func, ast.Attribute) and func.attr == "t")
        ):
            continue
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield node.lineno, key.value
        elif isinstance(key, ast.JoinedStr):
            parts = [re.escape(v.value) if isinstance(v, ast.Constant) else r"\w+" for v in key.values]
            yield node.lineno, re.compile("".join(parts))
        elif isinstance(key, ast.BinOp) and isinstance(key.left, ast.Constant) and isinstance(key.left.value, str):
            yield node.lineno, re.compile(re.escape(key.left.value) + r"\w+")
        else:
            yield node.lineno, None


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


def test_no_text_of_the_catalogue_lacks_a_translation() -> None:
    assert catalogue_problems(TEXTS) == []


def test_a_missing_translation_is_found() -> None:
    broken = {"ok": Label("Có", "Yes"), "no_en": Label("Chỉ tiếng Việt", " "), "count": Label("{n} nơi", "places")}
    assert catalogue_problems(broken) == ["no_en: no en text", "count: the placeholders differ between vi and en"]


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    """Keys written in the code, or the pattern of a key built there (``f"basemap_{b}"``); a key held in a
    variable is checked by the tests of its module."""
    missing = []
    for path in SOURCES:
        for line, key in t_keys(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if isinstance(key, str) and key not in TEXTS:
                missing.append(f"{where} {key}")
            elif isinstance(key, re.Pattern) and not any(key.fullmatch(k) for k in TEXTS):
                missing.append(f"{where} {key.pattern}")
    assert missing == []


@pytest.mark.parametrize(
    "prefix,values",
    [
        ("basemap_", types.BASEMAPS),
        ("boundaries_", types.BOUNDARY_LAYERS),
        ("units_", types.LEVELS),
        ("fmt_", types.FORMATS),
    ],
)
def test_every_choice_the_app_offers_has_its_text(prefix: str, values: tuple[str, ...]) -> None:
    assert [v for v in values if prefix + v not in TEXTS] == []


def test_each_language_is_named_in_itself() -> None:
    assert [t("lang_name", lang) for lang in types.LANGS] == ["Tiếng Việt", "English"]


_WIDGETS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "warning", "error", "info", "success",
    "button", "download_button", "radio", "selectbox", "multiselect", "text_input", "date_input", "checkbox",
    "toggle", "slider", "number_input", "spinner", "expander", "tabs",
}  # fmt: skip


def _own_text(node: ast.expr) -> str:
    """The letters a string literal or an f-string writes itself (not those of the values it formats)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def test_the_app_writes_no_text_of_its_own() -> None:
    """Every label, title and message of the app comes from the catalogue (`t`), in the chosen language."""
    found = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr in _WIDGETS:
            texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("label", "placeholder", "help"))]
        elif node.func.attr == "set_page_config":
            texts = [k.value for k in node.keywords if k.arg == "page_title"]
        else:
            continue
        found += [f"app.py:{node.lineno} {_own_text(x)!r}" for x in texts if re.search(r"[^\W\d_]", _own_text(x))]
    assert found == []


def test_the_language_type_is_defined_once() -> None:
    """`creative_map.types.Lang` is the only definition: no module makes its own (``Lang = Literal[...]``)."""
    found = []
    for path in sorted((ROOT / "creative_map").rglob("*.py")):
        if path.name == "types.py" and path.parent.name == "creative_map":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if isinstance(node, ast.Assign | ast.AnnAssign) and any(
                isinstance(x, ast.Name) and x.id == "Lang" for x in targets if x is not None
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
    assert "Lang" not in i18n.__all__  # importers take it from creative_map.types


def test_plan_labels() -> None:
    assert i18n.plan_label("3.1.2.b", "en") == f"3.1.2.b — {schema.PLAN_ITEMS['3.1.2.b'].en}"
    assert i18n.plan_label("9.9", "vi") == "9.9" and i18n.plan_label("", "vi") == ""
