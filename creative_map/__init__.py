"""creative_map: the map of Hanoi's creative-space network (UNESCO City of Design, plan 161/KH-UBND 3.1.2.e).

The data flows one way: `load` (read and validate once) -> `select` (the one filter) -> the map, the
statistics or an export, each of which takes the `Selection`.
"""

from creative_map.dataset import Dataset, Selection, load, select
from creative_map.errors import DataError, Problem
from creative_map.io import load_events, load_spaces
from creative_map.query import Filter, filter_spaces
from creative_map.text import fold

__all__ = [
    "DataError",
    "Dataset",
    "Filter",
    "Problem",
    "Selection",
    "filter_spaces",
    "fold",
    "load",
    "load_events",
    "load_spaces",
    "select",
]
__version__ = "0.1.0"
