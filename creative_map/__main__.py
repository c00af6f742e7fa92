"""``python -m creative_map``: the same command line as ``creative-map``."""

import sys

from creative_map.cli import main

if __name__ == "__main__":
    sys.exit(main())
