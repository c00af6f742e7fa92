"""The bundle: every format of the registry in one zip, under ``creative_map/``, with a bilingual README.txt.

The README's layout is the template ``creative_map/resources/export/bundle_readme.tmpl`` (read with
`importlib.resources`), filled once per language with sentences from `creative_map.i18n.TEXTS`
(keys ``readme_*``; each member's line from the key its registry entry names).
"""

from __future__ import annotations

import functools
import string
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Final

from creative_map import schema
from creative_map.boundaries import BOUNDARIES_DIR, WARDS_LICENCE
from creative_map.dataset import Selection
from creative_map.export._common import (
    LICENCE,
    LICENCE_URL,
    BundleMember,
    ExportFormat,
    ExportOptions,
    cell_text,
    source_citation,
    write_zip,
)
from creative_map.i18n import describe_filter, t
from creative_map.types import LANGS, Format, Lang

__all__ = ["BUNDLE_STEM", "bundle_members", "readme_text", "write_bundle"]

BUNDLE_STEM: Final = "creative_map"
"""The folder every member sits in, inside the zip."""
README_TEMPLATE: Final = "bundle_readme.tmpl"


@functools.cache
def _template() -> string.Template:
    text = resources.files("creative_map").joinpath("resources", "export", README_TEMPLATE).read_text("utf-8")
    return string.Template(text)


def _members(formats: Mapping[Format, ExportFormat]) -> list[tuple[ExportFormat, BundleMember]]:
    """Return the formats that go into the bundle with their place there, in the registry's order."""
    return [(f, f.member) for f in formats.values() if f.member is not None]


def _verified(selection: Selection, lang: Lang) -> str:
    """Return when the selected entries were last checked (`last_verified`), or "" when none says."""
    dates = sorted(d for d in selection.spaces[schema.LAST_VERIFIED].map(cell_text) if d)
    if not dates:
        return ""
    if dates[0] == dates[-1]:
        span = t("readme_verified_on", lang, day=dates[0])
    else:
        span = t("readme_verified_between", lang, first=dates[0], last=dates[-1])
    return t("readme_verified", lang, span=span)


def _readme_part(
    selection: Selection, options: ExportOptions, formats: Mapping[Format, ExportFormat], lang: Lang
) -> str:
    title = t("export_title", lang)
    files = "\n".join(
        f"  {member.name.format(page=options.page)}: {t(member.label_key, lang)}" for _, member in _members(formats)
    )
    return _template().substitute(
        title=title.upper(),
        rule="=" * len(title),
        what=t(
            "readme_what",
            lang,
            spaces=len(selection),
            of_total=t("readme_of_total", lang, total=selection.total),
            events=len(selection.events),
        ),
        exported=t("readme_exported", lang, date=options.date.isoformat(), verified=_verified(selection, lang)),
        filter=t("readme_filter", lang, filter=describe_filter(selection.filter, lang)),
        source=t("readme_source", lang, source=source_citation()),
        licence=t("readme_licence", lang, licence=LICENCE, url=LICENCE_URL),
        crs=t("readme_crs", lang),
        boundaries="\n".join([t("readme_boundaries", lang), *(f"  {note}" for note in options.boundary_notes(lang))]),
        positions=t("readme_positions", lang),
        files_heading=t("readme_files", lang),
        files=files,
    )


def readme_text(selection: Selection, options: ExportOptions, formats: Mapping[Format, ExportFormat]) -> str:
    """Return the bundle's README: what, when, which filter, source, licence, CRS, boundaries, the files; in
    Vietnamese, then in English."""
    return "\n".join(_readme_part(selection, options, formats, lang) for lang in LANGS)


def bundle_members(
    selection: Selection, options: ExportOptions, formats: Mapping[Format, ExportFormat]
) -> dict[str, bytes]:
    """Return the bundle's files (name -> bytes): README.txt, every format of `formats` that has a member
    name, each written by its registry writer, and the licence notice of the shipped 2025 ward polygons."""
    members: dict[str, bytes] = {"README.txt": readme_text(selection, options, formats).encode("utf-8")}
    with tempfile.TemporaryDirectory(prefix="creative_map_bundle_") as tmp:
        for fmt, member in _members(formats):
            name = member.name.format(page=options.page)
            target = Path(tmp) / name
            fmt.writer(selection, target, options)
            members[name] = target.read_bytes()
    if options.ships_wards:  # the MIT notice travels with every copy of the ward polygons
        members[WARDS_LICENCE] = (BOUNDARIES_DIR / WARDS_LICENCE).read_bytes()
    return members


def write_bundle(
    selection: Selection, path: Path, options: ExportOptions, *, formats: Mapping[Format, ExportFormat]
) -> None:
    """Write the bundle: a zip of every format in `formats` (the registry) plus README.txt, under
    ``creative_map/``."""
    members = bundle_members(selection, options, formats)
    write_zip(path, {f"{BUNDLE_STEM}/{name}": data for name, data in members.items()}, options.date)
