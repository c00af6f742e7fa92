"""``creative-map site -o DIR``: the public map as a static site (any web server, a CDN, or opened from disk).

It takes the same filter options as every selecting command (a site of the active spaces only, of one
district ...), selects through `creative_map.select` and hands the `Selection` to
`creative_map.site.write_site`, which writes the folder atomically.
"""

from __future__ import annotations

import argparse

import creative_map
from creative_map import i18n, site
from creative_map.cli.common import EXIT_OK, Subparsers, add_command, add_filter_arguments, data_arg, filter_from_args

__all__ = ["register", "run"]

HELP = "write the public map as a static site (index.html in Vietnamese, en/index.html in English) into DIR"


def register(subparsers: Subparsers) -> None:
    """Add the ``site`` command to `subparsers`."""
    parser = add_command(subparsers, "site", help=HELP, run=run)
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="the site's folder")
    parser.add_argument("--force", action="store_true", help="replace DIR if it holds a site written by this command")
    parser.add_argument("--events", metavar="PATH", help="events file (default: events.geojson beside the data)")
    parser.add_argument("--app-url", metavar="URL", help="link the pages to the app for planners at URL (e.g. /app/)")
    parser.add_argument(
        "--no-gzip", action="store_true", help="do not write a .gz beside each page, script and style sheet"
    )
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Write the site; print ``DIR: N spaces, E events, data file B bytes (G gzipped)``."""
    flt = filter_from_args(args)
    site.check_target(args.output, force=args.force)
    selection = creative_map.select(creative_map.load(data_arg(args), events_path=args.events), flt)
    summary = site.write_site(
        selection, args.output, force=args.force, app_url=args.app_url, precompress=not args.no_gzip
    )
    print(
        f"{summary.path}: {summary.spaces} of {selection.total} spaces and {summary.events} events "
        f"({i18n.describe_filter(flt, 'en')}); {summary.files} files; data file {summary.data_file} "
        f"{summary.data_bytes:,} bytes ({summary.data_gzip_bytes:,} gzipped)"
    )
    return EXIT_OK
