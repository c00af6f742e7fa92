"""The public map as a static site, for any web server, a CDN or a folder opened from disk.

``creative-map site -o DIR`` is this package's command. The library calls::

    selection = creative_map.select(creative_map.load(), creative_map.Filter())
    summary = creative_map.site.write_site(selection, "public", force=True)

`write_site` writes the site atomically; `site_files` returns its files in memory (path -> bytes). What the
pages' script reads is made by `creative_map.site.data`; the folding tables that let it search exactly as
`creative_map.text.fold` folds by `creative_map.site.folding`. The page, its script and style sheet are files
of the package (``creative_map/resources/site/``).
"""

from __future__ import annotations

from creative_map.site.build import GENERATOR, PAGES, SiteSummary, check_target, is_site, site_files, write_site
from creative_map.site.data import page_config, site_data, units_data
from creative_map.site.folding import fold_tables

__all__ = [
    "GENERATOR",
    "PAGES",
    "SiteSummary",
    "check_target",
    "fold_tables",
    "is_site",
    "page_config",
    "site_data",
    "site_files",
    "units_data",
    "write_site",
]
