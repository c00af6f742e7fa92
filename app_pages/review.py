"""The Review page (staff): behind a login, the queue of suggestions, each beside the record it changes, and the
history of a space with the revert of a revision.

Login: `creative_map.suggestions.authenticate` (failures are slowed down; the wait is shown). The password is
only read by the login's callback and blanked at once: Session State keeps the reviewer's name, nothing else.
Every text that comes from a sender (names, note, contact, source, reason) is shown as plain text or escaped
HTML, never as Markdown.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _positions as positions
from app_pages import _shared as shared
from creative_map import schema, suggestions
from creative_map.errors import DataError
from creative_map.i18n import space_names, t, vocab_label
from creative_map.mapping import safe_url
from creative_map.suggestions import KINDS, STATUSES, Kind, Status
from creative_map.types import Lang

REVIEWER, LOGIN_ERROR, OUTCOME = "rv_reviewer", "rv_login_error", "rv_outcome"


def login(store: suggestions.Store) -> None:
    """The login form's callback: the password is read here, blanked at once, and never stored."""
    name = str(st.session_state.get("rv_name") or "")
    password = str(st.session_state.get("rv_password") or "")
    st.session_state["rv_password"] = ""
    st.session_state.pop(LOGIN_ERROR, None)
    try:
        st.session_state[REVIEWER] = suggestions.authenticate(store, name, password, client=shared.sender())
    except suggestions.LoginThrottledError as exc:
        st.session_state[LOGIN_ERROR] = ("rv_login_wait", {"seconds": exc.retry_after})
    except suggestions.LoginFailedError:
        st.session_state[LOGIN_ERROR] = ("rv_login_failed", {})
    except suggestions.SuggestionError as exc:
        st.session_state[LOGIN_ERROR] = ("rv_login_other", {"error": str(exc)})


def logout() -> None:
    for key in [k for k in st.session_state if str(k).startswith("rv_")]:
        del st.session_state[key]


def outcome(kind: shared.Kind, lead: str, details: list[str] | None = None) -> None:
    st.session_state[OUTCOME] = (kind, lead, details or [])


def act(action: str, store: suggestions.Store, number: int, **options: Any) -> None:
    """Approve, reject or revert (a button's callback); the outcome is shown at the top of the page."""
    lang = shared.current_lang()
    reviewer = str(st.session_state.get(REVIEWER) or "")
    data = shared.data_path()
    try:
        if action == "approve":
            revision = suggestions.approve(store, number, reviewer=reviewer, data=data, **options)
            outcome("success", t("rv_approved", lang, revision=revision.id))
        elif action == "reject":
            reason = str(st.session_state.get(f"rv_reason_{number}") or "")
            suggestions.reject(store, number, reviewer=reviewer, reason=reason)
            outcome("success", t("rv_rejected", lang))
        else:
            revision = suggestions.revert(store, number, reviewer=reviewer, data=data)
            outcome("success", t("rv_reverted", lang, revision=number, new=revision.id))
    except suggestions.ConflictError as exc:
        outcome("warning", t("rv_conflict_now", lang), [str(exc)])
    except suggestions.InvalidSuggestionError as exc:
        outcome(
            "error", t("rv_invalid", lang), [f"{shared.field_label(p.field, lang)}: {p.message}" for p in exc.problems]
        )
    except (suggestions.SuggestionError, DataError, OSError, TimeoutError) as exc:
        outcome("error", t("rv_failed", lang), [str(exc)])


def show_value(value: Any) -> str:
    """A field's value as plain text: lists one per line, a point as "lat, lon", other shapes by their type."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        if value.get("type") == "Point" and isinstance(value.get("coordinates"), list):
            lon, lat = value["coordinates"][:2]
            return f"{lat:.6f}, {lon:.6f}"
        return str(value.get("type") or json.dumps(value, ensure_ascii=False)[:80])
    return str(value)


def fields_table(changes: list[suggestions.FieldChange], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("rv_col_field", lang): [shared.field_label(f.field, lang) for f in changes],
            t("rv_col_current", lang): [show_value(f.current) for f in changes],
            t("rv_col_proposed", lang): [show_value(f.proposed) for f in changes],
            t("rv_col_meanwhile", lang): ["⚠" if f.changed_meanwhile else "" for f in changes],
        }
    )


def source_html(source: str, lang: Lang) -> str:
    """The source as a link when it is an http(s) address (new tab, rel=noopener), else as text."""
    if source == suggestions.SOURCE_OPERATOR:
        return html.escape(t("rv_source_operator", lang))
    url = safe_url(source)
    if url:
        return f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{html.escape(url)}</a>'
    return html.escape(source)


def record_name(suggestion: suggestions.Suggestion, names: dict[str, str]) -> str:
    if suggestion.kind in ("new_space", "new_event"):
        change = suggestion.changes
        return str(change.get(schema.NAME_VI) or change.get(schema.NAME_EN) or suggestion.record_id)
    return names.get(str(suggestion.space_id), str(suggestion.space_id))


def review_one(store: suggestions.Store, number: int, lang: Lang, names: dict[str, str]) -> None:
    """One suggestion beside its record: fields, positions, validation, source, note, contact; the decision."""
    suggestion = suggestions.get_suggestion(store, number)
    edit_key = f"rv_edit_{number}"
    original = json.dumps(suggestion.changes, ensure_ascii=False, indent=1, sort_keys=False)
    edited_text = str(st.session_state.get(edit_key, original))
    edited: dict[str, Any] | None = None
    edit_error = ""
    if edited_text.strip() != original.strip():
        try:
            parsed = json.loads(edited_text)
            if not isinstance(parsed, dict):
                raise ValueError("expected a JSON object of fields")
            edited = parsed
        except ValueError as exc:
            edit_error = str(exc)
    precision = st.session_state.get(f"rv_precision_{number}")
    try:
        review = suggestions.show(store, number, data=shared.data_path(), changes=edited, precision=precision)
    except (suggestions.SuggestionError, DataError, OSError) as exc:
        shared.box("error", t("rv_failed", lang), [str(exc)])
        return

    st.subheader(f"{t(f'sg_kind_{suggestion.kind}', lang)} · {suggestion.reference}")
    st.text(record_name(suggestion, names))
    st.caption(t("rv_sent_at", lang, time=shared.when(suggestion.created_at, lang)))
    if suggestion.status != "pending":
        st.text(
            t(f"st_status_{suggestion.status}", lang)
            + f" · {suggestion.decided_by or ''} · {shared.when(suggestion.decided_at, lang)}"
        )
        if suggestion.reason:
            st.text(suggestion.reason)
    if review.conflict:
        shared.box("warning", t("rv_conflict", lang), [shared.field_label(f, lang) for f in review.conflict_fields])
    if review.errors:
        shared.box(
            "error", t("rv_errors", lang), [f"{shared.field_label(p.field, lang)}: {p.message}" for p in review.errors]
        )
    elif suggestion.status == "pending":
        shared.box("success", t("rv_valid", lang))
    if review.warnings:
        shared.box(
            "warning",
            t("rv_warnings", lang),
            [f"{shared.field_label(p.field, lang)}: {p.message}" for p in review.warnings],
        )

    st.markdown(f"**{t('rv_changes', lang)}**")
    changed = review.changed
    if changed:
        st.dataframe(fields_table(changed, lang), hide_index=True, width="stretch")
    else:
        st.caption(t("rv_no_changes", lang))
    with st.expander(t("rv_all_fields", lang)):
        st.dataframe(fields_table(list(review.fields), lang), hide_index=True, width="stretch")
    if suggestion.record_kind == "space":
        st.markdown(f"**{t('rv_positions', lang)}**")
        positions.compare(
            key=f"rv_map_{number}",
            current=(review.current or {}).get("geometry"),
            proposed=(review.proposed or {}).get("geometry"),
            lang=lang,
        )
        st.caption(t("rv_positions_key", lang))
        if review.precision:
            st.text(
                t("rv_precision_rule", lang, precision=vocab_label(schema.PRECISIONS, review.precision, lang))
                + f" ({review.precision_reason})"
            )

    st.markdown(f"**{t('rv_source', lang)}**")
    st.html(f'<p class="cm-source">{source_html(suggestion.source, lang)}</p>')
    if suggestion.note:
        st.markdown(f"**{t('rv_note', lang)}**")
        st.text(suggestion.note)
    if suggestion.contact:
        st.markdown(f"**{t('rv_contact', lang)}**")
        st.text(suggestion.contact)

    if suggestion.status != "pending":
        return
    with st.expander(t("rv_edit", lang)):
        st.text_area(t("rv_edit_help", lang), value=original, key=edit_key, height=200)
        if edit_error:
            shared.box("error", t("rv_edit_bad", lang), [edit_error])
        if suggestion.record_kind == "space":
            st.selectbox(
                t("rv_precision", lang),
                [None, *schema.PRECISIONS],
                key=f"rv_precision_{number}",
                format_func=lambda p: (
                    t("rv_precision_auto", lang) if p is None else vocab_label(schema.PRECISIONS, p, lang)
                ),
            )
    rebase = False
    if review.conflict:
        rebase = st.checkbox(t("rv_rebase", lang), key=f"rv_rebase_{number}")
    blocked = bool(review.errors) or bool(edit_error) or (review.conflict and not rebase)
    approve_col, reject_col = st.columns(2)
    with approve_col:
        st.button(
            t("rv_approve", lang),
            key=f"rv_approve_{number}",
            type="primary",
            disabled=blocked,
            on_click=act,
            args=("approve", store, number),
            kwargs={"changes": edited, "precision": precision, "rebase": rebase},
        )
        if blocked:
            st.caption(t("rv_approve_blocked", lang))
    with reject_col:
        st.text_area(t("rv_reason", lang), key=f"rv_reason_{number}", height=68)
        st.button(t("rv_reject", lang), key=f"rv_reject_{number}", on_click=act, args=("reject", store, number))


def queue(store: suggestions.Store, lang: Lang, names: dict[str, str]) -> None:
    status_col, kind_col = st.columns(2)
    status: Status = status_col.selectbox(
        t("rv_status_filter", lang), STATUSES, key="rv_status", format_func=lambda s: t(f"st_status_{s}", lang)
    )
    kind: Kind | None = kind_col.selectbox(
        t("rv_kind_filter", lang),
        [None, *KINDS],
        key="rv_kind",
        format_func=lambda k: t("rv_all_kinds", lang) if k is None else t(f"sg_kind_{k}", lang),
    )
    found = suggestions.list_suggestions(store, status=status, kind=kind, limit=500)
    if not found:
        st.info(t("rv_empty", lang))
        return
    st.caption(t("rv_count", lang, n=len(found)))
    labels = {
        s.id: f"#{s.id} · {t(f'sg_kind_{s.kind}', lang)} · {record_name(s, names)} · {shared.when(s.created_at, lang)}"
        for s in found
    }
    if st.session_state.get("rv_pick") not in labels:
        st.session_state["rv_pick"] = found[0].id  # the oldest first
    number = st.selectbox(t("rv_pick", lang), list(labels), key="rv_pick", format_func=lambda i: labels[i])
    review_one(store, int(number), lang, names)


def history_tab(store: suggestions.Store, lang: Lang, names: dict[str, str], event_names: dict[str, str]) -> None:
    options = [*sorted(names, key=lambda i: names[i].casefold()), *sorted(event_names)]
    record = st.selectbox(
        t("rv_history_of", lang),
        options,
        index=None,
        key="rv_history_id",
        placeholder=t("choose", lang),
        format_func=lambda i: names.get(i) or f"{event_names.get(i, i)} ({t('rv_event', lang)})",
    )
    if record is None:
        return
    revisions = suggestions.history(store, record)
    if not revisions:
        st.info(t("rv_history_none", lang))
        return
    for revision in reversed(revisions):
        with st.container(border=True, key=f"rv_revision_{revision.id}"):
            why = (
                t("rv_rev_reverts", lang, revision=revision.reverts)
                if revision.reverts is not None
                else t("rv_rev_suggestion", lang, reference=revision.suggestion_reference or "—")
            )
            st.markdown(f"**{t('rv_revision', lang, revision=revision.id)}**")
            st.text(f"{shared.when(revision.at, lang)} · {revision.reviewer} · {why}")
            st.text(
                t("rv_rev_fields", lang, fields=", ".join(shared.field_label(f, lang) for f in revision.changed_fields))
            )
            st.button(
                t("rv_undo", lang, revision=revision.id),
                key=f"rv_undo_{revision.id}",
                on_click=act,
                args=("revert", store, revision.id),
            )


lang = shared.current_lang()
store = shared.store(lang)
st.title(t("rv_title", lang))

if REVIEWER not in st.session_state:
    st.caption(t("rv_login_intro", lang))
    with st.form("rv_login"):
        st.text_input(t("rv_name", lang), key="rv_name", autocomplete="username")
        st.text_input(t("rv_password", lang), key="rv_password", type="password", autocomplete="current-password")
        st.form_submit_button(t("rv_login", lang), key="rv_login_button", on_click=login, args=(store,))
    failed = st.session_state.get(LOGIN_ERROR)
    if failed:
        shared.box("error", t(failed[0], lang, **failed[1]))
    st.stop()

dataset = shared.dataset()
space_names_by_id = {
    str(r[schema.ID]): space_names(r, lang)[0]
    for _, r in dataset.spaces[[schema.ID, schema.NAME_VI, schema.NAME_EN]].iterrows()
}
event_names_by_id = {
    str(r[schema.ID]): space_names(r, lang)[0]
    for _, r in dataset.events[[schema.ID, schema.NAME_VI, schema.NAME_EN]].iterrows()
}
who, leave = st.columns([4, 1], vertical_alignment="center")
who.text(t("rv_logged_in", lang, name=st.session_state[REVIEWER]))
leave.button(t("rv_logout", lang), key="rv_logout", on_click=logout)
done = st.session_state.pop(OUTCOME, None)
if done:
    shared.box(done[0], done[1], done[2])
# Stateful tabs: a rerun keeps the one open, and only the open one is built.
queue_tab, past_tab = st.tabs([t("rv_queue", lang), t("rv_history", lang)], key="rv_tab", on_change="rerun")
if queue_tab.open:
    with queue_tab:
        queue(store, lang, space_names_by_id)
if past_tab.open:
    with past_tab:
        history_tab(store, lang, space_names_by_id, event_names_by_id)
