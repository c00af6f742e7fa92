"""Taking part: the public suggests spaces, corrections and events; reviewers approve them into the data.

The store: `open_store` (``CREATIVE_MAP_DB``; created on first use), `upgrade_store` (``db upgrade``).
What is sent: `Draft`; what it would make of the data: `proposals.propose`.
"""

from creative_map.suggestions.errors import InvalidSuggestionError, StoreError, SuggestionError
from creative_map.suggestions.model import KINDS, SOURCE_OPERATOR, STATUSES, Draft, Kind, Status
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.store import Store, open_store, upgrade_store

__all__ = [
    "KINDS",
    "SOURCE_OPERATOR",
    "STATUSES",
    "Draft",
    "InvalidSuggestionError",
    "Kind",
    "Limits",
    "Status",
    "Store",
    "StoreError",
    "SuggestionError",
    "open_store",
    "upgrade_store",
]
