import pytest

from creative_map.atomic import atomic_path, write_text_atomic


def test_atomic_path_renames_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".txt" and not tmp.exists()
        tmp.write_text("ok")
    assert target.read_text() == "ok"
    with pytest.raises(FileExistsError, match="--force"), atomic_path(target):
        pass
    with pytest.raises(RuntimeError), atomic_path(target, force=True) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer failed")
    assert target.read_text() == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_text_atomic(tmp_path):
    target = write_text_atomic(tmp_path / "sub" / "a.txt", "Văn Miếu")
    assert target.read_text(encoding="utf-8") == "Văn Miếu"
    write_text_atomic(target, "again")
    assert target.read_text(encoding="utf-8") == "again"
