"""The cache of parsed pack files returns exactly what parsing returns, and never hides a problem."""

from __future__ import annotations

from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.errors import PackError
from villagepolicy.library import shipped_root
from villagepolicy.packs import readcache
from villagepolicy.packs.readcache import read_pack_yaml
from villagepolicy.packs.yamlread import YamlError, read_yaml


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("VILLAGEPOLICY_CACHE_DIR", str(folder))
    monkeypatch.delenv("VILLAGEPOLICY_CACHE", raising=False)
    return folder


@pytest.mark.parametrize("path", sorted((shipped_root() / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_a_cached_pack_reads_as_parsed(path: Path, cache: Path) -> None:
    raw = path.read_bytes()
    fresh = read_yaml(raw, str(path))
    first = read_pack_yaml(raw, str(path))
    assert len(list(cache.glob("*.marshal"))) == 1
    again = read_pack_yaml(raw, "elsewhere.yaml")
    assert (again.data, again.positions, again.key_positions) == (fresh.data, fresh.positions, fresh.key_positions)
    assert (first.data, first.positions) == (fresh.data, fresh.positions)
    assert again.file == "elsewhere.yaml"


def test_an_edited_pack_is_parsed_again(cache: Path) -> None:
    read_pack_yaml(b"a: 1\n", "x.yaml")
    assert read_pack_yaml(b"a: 2\n", "x.yaml").data == {"a": 2}
    assert len(list(cache.glob("*.marshal"))) == 2


def test_a_pack_with_problems_is_never_cached(cache: Path) -> None:
    for _ in range(2):
        with pytest.raises(YamlError) as e:
            read_pack_yaml(b"a: 1\na: 2\n", "dup.yaml")
        assert "dup.yaml:2:1" in str(e.value)
    assert not list(cache.glob("*.marshal"))


def test_a_damaged_cache_entry_is_parsed_again(cache: Path) -> None:
    read_pack_yaml(b"a: [1, 2]\n", "x.yaml")
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(b"\x00garbage")
    assert read_pack_yaml(b"a: [1, 2]\n", "x.yaml").data == {"a": [1, 2]}


def test_cache_off_and_unwritable_cache_fall_back_to_parsing(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VILLAGEPOLICY_CACHE", "0")
    assert read_pack_yaml(b"a: 1\n", "x.yaml").data == {"a": 1}
    assert not cache.exists()
    monkeypatch.delenv("VILLAGEPOLICY_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VILLAGEPOLICY_CACHE_DIR", str(blocker / "sub"))
    assert read_pack_yaml(b"a: 1\n", "x.yaml").data == {"a": 1}


def test_the_cache_keeps_at_most_its_limit(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readcache, "MAX_ENTRIES", 3)
    for i in range(6):
        read_pack_yaml(f"a: {i}\n".encode(), "x.yaml")
    assert len(list(cache.glob("*.marshal"))) == 3


def test_the_library_loads_the_same_from_the_cache(cache: Path) -> None:
    first = vp.load(include_shipped=True)
    assert list(cache.glob("*.marshal"))
    second = vp.load(include_shipped=True)
    assert sorted(first.packs) == sorted(second.packs)
    for pid, pack in first.packs.items():
        other = second.packs[pid]
        assert [(r.rule, r.line) for r in pack.rules] == [(r.rule, r.line) for r in other.rules]
        assert pack.clauses == other.clauses


def test_a_broken_pack_still_reports_file_line_col_with_the_cache(cache: Path, tmp_path: Path) -> None:
    root = tmp_path / "packs"
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "bad-2024.yaml").write_text("pack:\n  id: bad-2024\n  title_zh: x\n  title_zh: y\n")
    for _ in range(2):
        with pytest.raises(PackError) as e:
            vp.load(root, include_shipped=False)
        assert "bad-2024.yaml:4:3" in str(e.value)
