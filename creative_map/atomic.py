"""Writing a file atomically: to a temporary file beside it, renamed over it only when complete.

The temporary file is named ``.{stem}.{pid}-{random}.part{suffix}``: hidden, in the target's folder (so the
rename is atomic), with the writer's process id and the target's suffix (writers that pick the format from
the suffix still work). A write that fails removes it. A write that is killed (``kill -9``, a power cut)
cannot: the next write to the same target removes such leftovers, with the files a writer such as SQLite
makes beside them (``-journal``, ``-wal``, ``-shm``), when the process that made them is gone or they have
not changed for `STALE_AFTER_S` (a process id may be reused). A leftover of a write still running (its
process alive, changed lately) is kept. Nothing else is ever removed: only names of that exact pattern.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = ["STALE_AFTER_S", "atomic_path", "check_writable_dir", "remove_stale_temporaries", "write_text_atomic"]

logger = logging.getLogger(__name__)

STALE_AFTER_S: Final = 6 * 3600
"""Seconds after its last change that a temporary file is a leftover even if a process of its id is running."""
_SIDECARS: Final = ("-journal", "-wal", "-shm")


def _temporary_name(final: Path) -> str:
    return f".{final.stem}.{os.getpid()}-{secrets.token_hex(6)}.part{final.suffix}"


def _temporary_pattern(final: Path) -> re.Pattern[str]:
    sidecars = "|".join(re.escape(s) for s in _SIDECARS)
    return re.compile(
        rf"\.{re.escape(final.stem)}\.(\d{{1,10}})-[0-9a-z_]{{8,12}}\.part{re.escape(final.suffix)}(?:{sidecars})?"
    )


def _process_alive(pid: int) -> bool:
    """Return whether a process of id `pid` runs on this machine (on Windows: assumed, the age decides)."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would end the process there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except (OSError, OverflowError, ValueError):
        return False
    return True


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that interrupted writes to `path` left beside it; return what was removed.

    A temporary file (see the module's docstring) is removed when no process of its id runs or it has not
    changed for `STALE_AFTER_S`. `atomic_path` calls this before each write.
    """
    final = Path(path)
    pattern = _temporary_pattern(final)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(final.parent if str(final.parent) else "."))
    except OSError:
        return removed  # no folder yet, or not readable: nothing to clean
    now = time.time()
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if _process_alive(int(match[1])) and age < STALE_AFTER_S:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                Path(entry.path).unlink()
        except FileNotFoundError:
            continue  # another writer cleaned it first
        except OSError as exc:
            logger.warning("could not remove the leftover temporary file %s: %s", entry.path, exc)
            continue
        logger.info("removed %s, left by an interrupted write", entry.path)
        removed.append(Path(entry.path))
    return removed


def check_writable_dir(directory: str | os.PathLike[str]) -> Path:
    """Check, before any work, that files can be created in `directory` (or in the folders that will hold it).

    The nearest existing folder on the way must be a folder, and a file must be creatable in it: an unnamed
    temporary file is made there and closed at once, which tests what permissions alone do not (a read-only
    file system, a folder of ``/proc``, the rights of ``root``).

    Returns
    -------
    pathlib.Path
        `directory`.

    Raises
    ------
    NotADirectoryError
        When `directory`, or a folder on its way, is a file.
    PermissionError
        When no file can be created there (the message says why).
    """
    folder = Path(directory)
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(f"{existing} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise PermissionError(f"no file can be created in {existing} ({exc.strerror or exc})") from None
    return folder


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Give a temporary path beside `path` to write to; rename it to `path` only if the block succeeds.

    Parameters
    ----------
    path
        The final file.
    force
        Replace an existing `path`; without it an existing file is an error (`FileExistsError`).

    Yields
    ------
    pathlib.Path
        A fresh temporary path in the same folder, with the same suffix, not yet created. On any exception it
        is removed and `path` is left as it was. Leftovers of earlier interrupted writes to `path` are removed
        first (`remove_stale_temporaries`).

    Raises
    ------
    FileExistsError
        When `path` exists and `force` is false.
    IsADirectoryError
        When `path` is a folder (with or without `force`).
    """
    final = Path(path)
    if final.is_dir():
        raise IsADirectoryError(f"{final} is a folder; give the name of a file to write")
    if final.exists() and not force:
        raise FileExistsError(f"{final} exists; use --force to replace it")
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final)
    tmp = final.with_name(_temporary_name(final))
    try:
        yield tmp
        if not tmp.exists():
            raise OSError(f"nothing was written to {final}")
        tmp.replace(final)
    except BaseException:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDECARS)):
            with contextlib.suppress(FileNotFoundError):
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = True, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` through a temporary file and a rename; return the path."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)
