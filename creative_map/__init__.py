"""creative_map: the map of Hanoi's creative-space network (UNESCO City of Design, plan 161/KH-UBND 3.1.2.e).

The data flows one way: `load_spaces` (read and validate once) -> `filter_spaces` -> the map, the
statistics or an export.
"""

from creative_map.errors import DataError, Problem
from creative_map.io import load_events, load_spaces
from creative_map.query import Filter, filter_spaces
from creative_map.text import fold

__all__ = ["DataError", "Filter", "Problem", "filter_spaces", "fold", "load_events", "load_spaces"]
__version__ = "0.1.0"
