"""Writing a file atomically: to a temporary file beside it, renamed over it only when complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic"]


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
        A fresh temporary path in the same folder, with the same suffix (writers that pick the format
        from the suffix still work). On any exception it is removed and `path` is left as it was.
    """
    final = Path(path)
    if final.exists() and not force:
        raise FileExistsError(f"{final} exists; use --force to replace it")
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final.stem}.",
        suffix=final.suffix + ".part" if not final.suffix else f".part{final.suffix}",
        dir=final.parent,
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield tmp
        if not tmp.exists():
            raise OSError(f"nothing was written to {final}")
        tmp.replace(final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            if tmp.is_dir():
                shutil.rmtree(tmp)
            else:
                tmp.unlink()
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = True, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` through a temporary file and a rename; return the path."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)
