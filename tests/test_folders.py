"""created_folders: folders made for a write stay when it succeeds, go when it fails."""

import pytest

from minitorch_lr._folders import created_folders


def test_missing_folders_are_created_and_stay_when_the_block_succeeds(tmp_path):
    with created_folders(tmp_path / "a" / "b") as folder:
        assert folder.is_dir()
        (folder / "file").write_text("kept")
    assert (tmp_path / "a" / "b" / "file").read_text() == "kept"


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_a_failure_removes_the_empty_folders_it_made_and_goes_on(tmp_path, stop):
    (tmp_path / "existed").mkdir()
    with pytest.raises(stop):
        with created_folders(tmp_path / "existed" / "new" / "deeper"):
            raise stop
    assert [path.name for path in tmp_path.rglob("*")] == ["existed"]


def test_a_failure_keeps_what_was_written_and_the_folders_holding_it(tmp_path):
    with pytest.raises(RuntimeError):
        with created_folders(tmp_path / "a" / "b"):
            (tmp_path / "a" / "keep").write_text("a file that was written")
            raise RuntimeError
    # b was empty again: removed; a holds a file: kept.
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["a", "a/keep"]


def test_a_folder_that_cannot_be_created_leaves_nothing_behind(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        with created_folders(tmp_path / "file" / "sub"):
            pass
    assert [path.name for path in tmp_path.iterdir()] == ["file"]
