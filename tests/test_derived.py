"""Data made from a dependency's files once and kept in the cache folder (gkdata.derived): the gazetteer's index
and the traditional characters of OpenCC's t2s, made anew for new files, and in memory when there is no folder."""

from __future__ import annotations

from gkdata import derived, hanzi, places


def test_a_file_is_made_once_for_the_same_bytes_of_its_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("GKDATA_CACHE", str(tmp_path / "cache"))
    source, made = tmp_path / "source", []

    def make(path):
        made.append(path)
        path.write_text(source.read_text() * 2)

    source.write_text("a")
    first = derived.cached("doubled.txt", [source], make)
    assert derived.cached("doubled.txt", [source], make) == first and len(made) == 1 and first.read_text() == "aa"
    source.write_text("b")  # a new version of the dependency
    second = derived.cached("doubled.txt", [source], make)
    assert second != first and second.read_text() == "bb" and first.parent == second.parent == tmp_path / "cache"


def test_without_a_cache_folder_the_data_are_made_in_memory_alike(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("GKDATA_CACHE", str(blocked / "cache"))  # a folder under a file cannot be made
    assert derived.cached("x.txt", [blocked], lambda path: path.write_text("")) is None
    in_memory, kept = places.gazetteer.__wrapped__(), places.gazetteer()
    assert in_memory.longest == kept.longest and in_memory.short == kept.short
    for name in ("城关镇", "黔南州", "广西", "会宁县"):
        assert in_memory.codes(name) == kept.codes(name) and in_memory.containing(name) == kept.containing(name)
    assert hanzi._tables.__wrapped__() == hanzi._tables()


def test_without_a_home_folder_the_data_are_made_in_memory(tmp_path, monkeypatch):
    monkeypatch.delenv("GKDATA_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(derived.Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("no home"))))
    source = tmp_path / "source"
    source.write_text("a")
    assert derived.cached("x.txt", [source], lambda path: path.write_text("")) is None


def test_a_damaged_table_of_traditional_characters_is_made_again_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("GKDATA_CACHE", str(tmp_path / "cache"))
    hanzi._tables.cache_clear()
    good = hanzi._tables()
    kept = next((tmp_path / "cache").glob("t2s-changing-1-*.txt"))
    for damage in (b"\xff\xfe\x00", "一\n二\n三".encode()):
        kept.write_bytes(damage)
        hanzi._tables.cache_clear()
        assert hanzi._tables() == good
    hanzi._tables.cache_clear()


def test_a_damaged_gazetteer_index_is_made_again_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("GKDATA_CACHE", str(tmp_path / "cache"))
    places.gazetteer.cache_clear()
    places.gazetteer()
    next((tmp_path / "cache").glob("gazetteer-1-*.sqlite")).write_bytes(b"not a database" * 100)
    places.gazetteer.cache_clear()
    try:
        assert [d.code for d in places.named("会宁县")] == ["620422"]
    finally:
        places.gazetteer.cache_clear()


def test_a_source_that_cannot_be_read_leaves_the_data_to_be_made_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("GKDATA_CACHE", str(tmp_path / "cache"))
    assert derived.cached("x.txt", [tmp_path / "no-such-file"], lambda path: path.write_text("")) is None
    assert not (tmp_path / "cache").exists()
