"""Taking part: the public suggests spaces, corrections and events; reviewers approve them into the data.

The store: `open_store` (``CREATIVE_MAP_DB``; created on first use), `upgrade_store` (``db upgrade``).
"""

from creative_map.suggestions.errors import StoreError, SuggestionError
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.store import Store, open_store, upgrade_store

__all__ = ["Limits", "Store", "StoreError", "SuggestionError", "open_store", "upgrade_store"]
