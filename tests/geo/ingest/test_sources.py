"""Reading sources: metadata, encodings, HTML, and every kind of bad input as a real file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.errors import SourceError
from geo.ingest import discover, load_sources, read_source

RU = "Ереван также передал Баку Кельбаджарский, Лачинский и Агдамский районы."


def _one_line(msg: str) -> bool:
    return "\n" not in msg and "Traceback" not in msg


def test_seeds_load_with_manifest_metadata(seeds_dir: Path) -> None:
    loaded = load_sources([seeds_dir])
    assert loaded.warnings == [] and loaded.skipped == []
    assert [s.source_id for s in loaded.sources] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    by_id = {s.source_id: s for s in loaded.sources}
    ru = by_id["003_25647d25b5e993b4"]
    assert ru.language == "ru" and ru.published == dt.date(2021, 11, 23)
    assert by_id["002_f983e600a59fb805"].outlet == "AP"
    # The text is the file's text, unchanged, so offsets index the file.
    assert ru.text == (seeds_dir / "003_25647d25b5e993b4.txt").read_text(encoding="utf-8")
    assert all(len(s.content_hash) == 64 for s in loaded.sources)


def test_front_matter_wins_over_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\npublished: 2023-05-01\ntitle: From front matter\nurl: https://example.org/a\n---\n"
        "Talks were held in Sochi.\n",
        encoding="utf-8",
    )
    (tmp_path / "sources.yaml").write_text(
        "a.md:\n  published: 2020-01-01\n  outlet: Manifest Outlet\n  title: From manifest\n",
        encoding="utf-8",
    )
    (src,) = load_sources([tmp_path]).sources
    assert src.published == dt.date(2023, 5, 1)
    assert src.title == "From front matter"
    assert src.outlet == "Manifest Outlet"  # manifest fills what front matter leaves out
    assert src.url == "https://example.org/a"
    assert src.text == "Talks were held in Sochi.\n"
    assert src.language == "en"  # detected


def test_language_detected_when_not_given(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(RU, encoding="utf-8")
    (src,) = load_sources([tmp_path]).sources
    assert src.language == "ru"


def test_content_hash_follows_text_and_metadata_not_path(tmp_path: Path) -> None:
    a, b = tmp_path / "x" / "s.txt", tmp_path / "y" / "s.txt"
    for p in (a, b):
        p.parent.mkdir()
        p.write_text("Clashes near Lachin.", encoding="utf-8")
    ha = read_source(a)[0].content_hash
    assert read_source(b)[0].content_hash == ha
    (b.parent / "sources.yaml").write_text("s.txt: {published: 2020-10-01}\n", encoding="utf-8")
    assert load_sources([b.parent]).sources[0].content_hash != ha
    a.write_text("Clashes near Shusha.", encoding="utf-8")
    assert read_source(a)[0].content_hash != ha


def test_discover_recurses_skips_hidden_and_rejects_unknown_types(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "deep" / "a.html").write_text("<p>x y</p>", encoding="utf-8")
    (tmp_path / "b.TXT").write_text("x", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "c.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    found = discover([tmp_path])
    assert [p.name for p in found] == ["b.TXT", "a.html"]
    with pytest.raises(SourceError, match=r"notes\.pdf: unsupported file type"):
        discover([tmp_path / "notes.pdf"])


# --------------------------------------------------------------------------- bad input


def _skipped(tmp_path: Path, name: str, **kw: object) -> str:
    loaded = load_sources([tmp_path], **kw)  # type: ignore[arg-type]
    (rec,) = [r for r in loaded.skipped if r.path.endswith(name)]
    assert rec.status == "skipped" and rec.reason
    (warning,) = [w for w in loaded.warnings if name in w]
    assert _one_line(warning)
    return warning


def test_empty_file_is_skipped_with_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("  \n\n\t\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Talks in Sochi.", encoding="utf-8")
    assert "empty" in _skipped(tmp_path, "empty.txt")
    assert "empty" in _skipped(tmp_path, "blank.md")
    assert [s.source_id for s in load_sources([tmp_path]).sources] == ["ok"]


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    (tmp_path / "photo.txt").write_bytes(png)
    assert "binary" in _skipped(tmp_path, "photo.txt")


def test_front_matter_only_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "fm.md").write_text("---\ntitle: nothing else\n---\n", encoding="utf-8")
    assert "no article text" in _skipped(tmp_path, "fm.md")


def test_oversized_file_is_skipped_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Clashes near Lachin. " * 100, encoding="utf-8")
    warning = _skipped(tmp_path, "big.txt", max_size=1000)
    assert "size limit of 1,000" in warning and "--max-size" in warning
    assert load_sources([tmp_path], max_size=None).sources[0].source_id == "big"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_russian_legacy_encodings_are_decoded_with_a_warning(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "ru.txt").write_bytes(RU.encode(encoding))
    loaded = load_sources([tmp_path])
    (src,) = loaded.sources
    assert src.text == RU and src.language == "ru"
    (warning,) = loaded.warnings
    assert "ru.txt" in warning and "not UTF-8" in warning and _one_line(warning)
    assert encoding.replace("_", "").lower() in warning.replace("_", "").replace("-", "").lower()


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffTalks in Sochi.".encode())
    loaded = load_sources([tmp_path])
    assert loaded.sources[0].text == "Talks in Sochi." and loaded.warnings == []


def test_broken_front_matter_keeps_the_body_and_warns(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(
        "---\ntitle: [unclosed\npublished: 2020-01-01\n---\nClashes near Lachin.\n",
        encoding="utf-8",
    )
    loaded = load_sources([tmp_path])
    (src,) = loaded.sources
    assert src.text == "Clashes near Lachin.\n" and src.title is None
    (warning,) = loaded.warnings
    assert "bad.md" in warning and "front matter" in warning and _one_line(warning)


def test_broken_manifest_warns_and_loads_the_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks in Sochi.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("a.txt:\n  published: [2020\n", encoding="utf-8")
    loaded = load_sources([tmp_path])
    assert [s.source_id for s in loaded.sources] == ["a"]
    (warning,) = loaded.warnings
    assert "sources.yaml" in warning and "broken YAML" in warning and _one_line(warning)


def test_manifest_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks in Sochi.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("- a.txt\n- b.txt\n", encoding="utf-8")
    loaded = load_sources([tmp_path])
    assert len(loaded.sources) == 1
    assert "must map file names" in loaded.warnings[0]


def test_manifest_date_that_is_not_a_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks in Sochi.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "a.txt:\n  published: last Tuesday\n  outlet: TASS\n", encoding="utf-8"
    )
    loaded = load_sources([tmp_path])
    (src,) = loaded.sources
    assert src.published is None and src.outlet == "TASS"
    (warning,) = loaded.warnings
    assert "sources.yaml" in warning and "a.txt" in warning and "published" in warning
    assert "YYYY-MM-DD" in warning and _one_line(warning)


def test_front_matter_date_that_is_not_a_date(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\npublished: 2020-13-45\n---\nTalks.\n", encoding="utf-8")
    loaded = load_sources([tmp_path])
    assert loaded.sources[0].published is None
    assert "a.md" in loaded.warnings[0] and "published" in loaded.warnings[0]


def test_duplicate_stems_get_unique_deterministic_ids(tmp_path: Path) -> None:
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"Talks {folder}.", encoding="utf-8")
    (tmp_path / "a" / "report.html").write_text("<p>Talks html.</p>", encoding="utf-8")
    first = load_sources([tmp_path])
    ids = [s.source_id for s in first.sources]
    assert len(set(ids)) == 3 and "report" in ids
    assert next(s for s in first.sources if s.source_id == "report").path.endswith("a/report.html")
    assert len(first.warnings) == 2 and all("source id 'report'" in w for w in first.warnings)
    assert [s.source_id for s in load_sources([tmp_path]).sources] == ids


def test_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    loaded = load_sources([tmp_path / "nope"])
    assert loaded.sources == [] and "no such file" in loaded.warnings[0]


# --------------------------------------------------------------------------- HTML

HTML = """<!doctype html>
<html lang="ru-RU"><head>
<title>Site | Page</title>
<meta property="og:title" content="Переговоры в Сочи">
<meta property="article:published_time" content="2021-11-23T10:00:00+03:00">
<style>body { color: red }</style>
<script>var tracking = "Москва";</script>
</head><body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/w">Мир Киев</a></li></ul></nav></header>
<article>
  <h1>Переговоры в Сочи</h1>
  <p>26 ноября в Сочи состоятся трёхсторонние переговоры.</p>
  <p>Лидеры обсудят ситуацию в <b>Нагорном Карабахе</b>.</p>
  <script>alert("Париж")</script>
</article>
<aside>Популярное: Лондон</aside>
<footer>© 2021 Сайт, Берлин</footer>
</body></html>"""


def test_html_article_text_without_scripts_styles_navigation(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    loaded = load_sources([tmp_path])
    (src,) = loaded.sources
    assert src.text.splitlines() == [
        "Переговоры в Сочи",
        "26 ноября в Сочи состоятся трёхсторонние переговоры.",
        "Лидеры обсудят ситуацию в Нагорном Карабахе.",
    ]
    for dropped in ("Москва", "Париж", "Главная", "Киев", "Лондон", "Берлин", "color"):
        assert dropped not in src.text
    assert src.language == "ru" and src.title == "Переговоры в Сочи"
    assert src.published == dt.date(2021, 11, 23)


def test_html_without_article_uses_body_and_manifest_wins(tmp_path: Path) -> None:
    (tmp_path / "p.htm").write_text(
        "<html><head><title>T</title></head><body><nav>Menu</nav>"
        "<div><p>First paragraph here.</p><div>Loose text line</div></div></body></html>",
        encoding="cp1252",
    )
    (tmp_path / "sources.yaml").write_text("p.htm: {title: Mine}\n", encoding="utf-8")
    (src,) = load_sources([tmp_path]).sources
    assert "First paragraph here." in src.text and "Menu" not in src.text
    assert src.title == "Mine"


def test_output_folder_inside_sources_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks in Sochi.", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "map.html").write_text("<p>Map of Sochi</p>", encoding="utf-8")
    assert [p.name for p in discover([tmp_path], exclude=[tmp_path / "out"])] == ["a.txt"]
    loaded = load_sources([tmp_path], exclude=[tmp_path / "out"])
    assert [s.source_id for s in loaded.sources] == ["a"]


def test_folder_without_sources_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    loaded = load_sources([tmp_path])
    assert loaded.sources == [] and "no .txt, .md or .html files" in loaded.warnings[0]


@pytest.mark.parametrize(
    "given, expected, warns",
    [("ru-RU", "ru", False), ("Russian", "ru", False), ("EN", "en", False), ("fr", "ru", True)],
)
def test_language_metadata_is_normalised(
    tmp_path: Path, given: str, expected: str, warns: bool
) -> None:
    (tmp_path / "a.md").write_text(f"---\nlanguage: {given}\n---\n{RU}\n", encoding="utf-8")
    loaded = load_sources([tmp_path])
    assert loaded.sources[0].language == expected
    assert bool(loaded.warnings) == warns
    if warns:
        assert "a.md" in loaded.warnings[0] and "not supported" in loaded.warnings[0]


def test_html_furniture_by_class_and_article_header_kept(tmp_path: Path) -> None:
    page = """<html><body>
    <header class="site"><a>Home</a> <a>World: Paris</a></header>
    <div class="layout with-sidebar">
      <div class="share-buttons"><span>Share on Facebook from London</span></div>
      <div class="story-body">
        <header><h1>Ceasefire agreed in Nagorno-Karabakh</h1><p>Baku, 10 November</p></header>
        <p>Armenia and Azerbaijan agreed<br>to a ceasefire brokered in <b>Moscow</b>.</p>
        <p>Russian peacekeepers will deploy along the Lachin corridor.</p>
        <div id="comments"><p>Great article from Berlin!</p></div>
      </div>
      <div class="sidebar"><ul><li>Storm hits Madrid</li><li>Rome votes</li></ul></div>
      <section class="related-articles"><h3>Related</h3><p>Talks in Geneva stall</p></section>
    </div>
    <footer><p>Contact us in Vienna</p></footer>
    </body></html>"""
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    (src,) = load_sources([tmp_path]).sources
    assert src.text.splitlines() == [
        "Ceasefire agreed in Nagorno-Karabakh",
        "Baku, 10 November",
        "Armenia and Azerbaijan agreed to a ceasefire brokered in Moscow.",
        "Russian peacekeepers will deploy along the Lachin corridor.",
    ]


def test_a_single_path_is_not_a_sequence_of_characters(seeds_dir: Path) -> None:
    assert len(load_sources(str(seeds_dir)).sources) == 5
    assert len(discover(seeds_dir)) == 5
