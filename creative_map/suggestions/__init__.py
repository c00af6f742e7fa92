"""Taking part: the public suggests spaces, corrections and events; reviewers approve them into the data.

The app and the command line call these (each is a thin wrapper around them):

* the store: `open_store` (``CREATIVE_MAP_DB``; created on first use), `upgrade_store` (``db upgrade``);
* the public: `Draft` (what is sent), `submit` (checked, limited, stored: returns the reference number),
  `public_status` (what anyone with the reference may see);
* reviewers: `add_reviewer`, `authenticate` (failed logins slowed down), `list_suggestions`, `show` (the
  suggestion beside the record, field by field, with the validation result), `approve`, `reject`;
* the record's past: `history`, `revert`;
* privacy: `forget_contacts` (blank the contacts of decided suggestions).

Modules, one job each: `canonical` (the files' exact text), `datafile` (locked, validated, atomic writes),
`db`/`tables`/`migrations`/`store` (the database), `model` (the dataclasses), `precision` (the position rule),
`proposals` (a suggestion applied to a record and checked), `limits`, `references`, `senders`, `submit`,
`review`, `reviewers`, `revisions`, `retention`, `settings`, `errors`.
"""

from creative_map.suggestions.errors import (
    AlreadyDecidedError,
    ConflictError,
    InvalidSuggestionError,
    LimitExceededError,
    LoginFailedError,
    LoginThrottledError,
    NotFoundError,
    StoreError,
    SuggestionError,
)
from creative_map.suggestions.model import (
    KINDS,
    SOURCE_OPERATOR,
    STATUSES,
    Draft,
    Kind,
    PublicStatus,
    Revision,
    Status,
    Suggestion,
)
from creative_map.suggestions.proposals import SUGGESTIBLE_FIELDS
from creative_map.suggestions.retention import forget_contacts
from creative_map.suggestions.review import FieldChange, Review, approve, get_suggestion, list_suggestions, reject, show
from creative_map.suggestions.reviewers import (
    add_reviewer,
    authenticate,
    list_reviewers,
    remove_reviewer,
    set_password,
)
from creative_map.suggestions.revisions import get_revision, history, revert
from creative_map.suggestions.settings import Limits
from creative_map.suggestions.store import Store, open_store, upgrade_store
from creative_map.suggestions.submit import public_status, submit

__all__ = [
    "KINDS",
    "SOURCE_OPERATOR",
    "STATUSES",
    "SUGGESTIBLE_FIELDS",
    "AlreadyDecidedError",
    "ConflictError",
    "Draft",
    "FieldChange",
    "InvalidSuggestionError",
    "Kind",
    "LimitExceededError",
    "Limits",
    "LoginFailedError",
    "LoginThrottledError",
    "NotFoundError",
    "PublicStatus",
    "Review",
    "Revision",
    "Status",
    "Store",
    "StoreError",
    "Suggestion",
    "SuggestionError",
    "add_reviewer",
    "approve",
    "authenticate",
    "forget_contacts",
    "get_revision",
    "get_suggestion",
    "history",
    "list_reviewers",
    "list_suggestions",
    "open_store",
    "public_status",
    "reject",
    "remove_reviewer",
    "revert",
    "set_password",
    "show",
    "submit",
    "upgrade_store",
]
