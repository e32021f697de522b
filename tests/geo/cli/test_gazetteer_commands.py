"""``conflictmap places`` and ``conflictmap geoparse`` through click's CliRunner, on tmp files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from geo.cli.gazetteer import geoparse, places

TEXT_EN = "Foreign ministers met in Baku on Monday, then flew to Yerevan.\n"
TEXT_RU = "Переговоры прошли в Москве, а затем в Ереване.\n"


def invoke(command, args: list[str]):
    return CliRunner().invoke(command, args, catch_exceptions=False)


def test_registered_on_the_main_group() -> None:
    from geo.cli.main import main

    result = CliRunner().invoke(main, ["--help"])
    assert "places" in result.output and "geoparse" in result.output


def test_help_has_examples() -> None:
    for command in (places, geoparse):
        result = invoke(command, ["--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output
    assert "empty toponyms" in invoke(geoparse, ["--help"]).output


def test_places_table(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(TEXT_EN, "utf-8")
    result = invoke(places, [str(article)])
    assert result.exit_code == 0, result.output
    assert "Baku" in result.output and "Yerevan" in result.output
    assert "AZ" in result.output


def test_places_json_lines_with_explain(tmp_path: Path) -> None:
    en = tmp_path / "en.md"
    en.write_text("---\ntitle: Talks\nlanguage: en\n---\n" + TEXT_EN, "utf-8")
    ru = tmp_path / "ru.txt"
    ru.write_text(TEXT_RU, "utf-8")
    result = invoke(places, [str(en), str(ru), "--format", "json", "--explain"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_text = {(r["source_id"], r["text"]): r for r in rows}
    baku = by_text[("en", "Baku")]
    assert baku["country_code"] == "AZ" and baku["place_id"]
    assert 0 < baku["confidence"] <= 1
    assert "candidates" in baku and "explanation" in baku
    # Offsets index the article text without its front matter.
    assert baku["start"] == TEXT_EN.index("Baku")
    assert by_text[("ru", "Москве")]["country_code"] == "RU"
    assert by_text[("ru", "Москве")]["lang"] == "ru"


def test_places_explain_table(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(TEXT_EN, "utf-8")
    result = invoke(places, [str(article), "--explain"])
    assert result.exit_code == 0, result.output
    assert "why:" in result.output and "candidate" in result.output


def test_places_bad_file_is_one_line_and_others_still_listed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT_EN, "utf-8")
    missing = tmp_path / "missing.txt"
    result = invoke(places, [str(missing), str(good), "--format", "json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(missing) in errors[0]
    assert any(json.loads(line)["text"] == "Baku" for line in result.stdout.splitlines())


def test_geoparse_lines_in_order_with_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": TEXT_EN}),
        "{not json",
        json.dumps({"id": "c"}),  # no text
        "",
        json.dumps({"id": 4, "text": TEXT_RU, "lang": "ru"}),
    ]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(geoparse, [str(src), "--out", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors[0].startswith(f"Error: {src}:2:")
    assert errors[1].startswith(f"Error: {src}:3:") and "text" in errors[1]
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", 4]
    assert rows[1]["toponyms"] == [] and rows[2]["toponyms"] == []
    names = [t["name"] for t in rows[0]["toponyms"]]
    assert "Baku" in names and "Yerevan" in names
    baku = next(t for t in rows[0]["toponyms"] if t["name"] == "Baku")
    assert set(baku) == {"start", "end", "name", "lat", "lon", "place_id"}
    assert TEXT_EN[baku["start"] : baku["end"]] == "Baku"
    assert abs(baku["lat"] - 40.38) < 0.2 and abs(baku["lon"] - 49.89) < 0.2
    assert "Москве" in [t["name"] for t in rows[3]["toponyms"]]


def test_geoparse_clean_input_exits_zero_and_detects_language(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ru", "text": TEXT_RU}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(geoparse, [str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert "Ереване" in [t["name"] for t in row["toponyms"]]


def test_geoparse_to_stdout_and_missing_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT_EN}) + "\n", "utf-8")
    result = invoke(geoparse, [str(src), "--out", "-", "--lang", "en"])
    assert json.loads(result.stdout)["id"] == "a"
    missing = CliRunner().invoke(geoparse, [str(tmp_path / "nope.jsonl"), "--out", "-"])
    assert missing.exit_code == 1
    assert "nope.jsonl" in missing.output and "Traceback" not in missing.output


def test_online_needs_a_user_agent(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("", "utf-8")
    result = CliRunner().invoke(geoparse, [str(src), "--out", "-", "--online"])
    assert result.exit_code == 2
    assert "--user-agent" in result.output


def test_places_with_user_boundaries(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    bounds = tmp_path / "adm.gpkg"
    gpd.GeoDataFrame(
        {"shapeName": ["Zorblax Province"]},
        geometry=[box(-30.5, -20.5, -29.5, -19.5)],
        crs="EPSG:4326",
    ).to_file(bounds, driver="GPKG", engine="pyogrio")
    article = tmp_path / "a.txt"
    article.write_text("Shelling was reported in Zorblax Province overnight.\n", "utf-8")
    result = invoke(places, [str(article), "--boundaries", str(bounds), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["text"] == "Zorblax Province"
    assert row["place_id"].startswith("boundaries:")
    assert -30.5 < row["lon"] < -29.5


def test_bad_boundaries_file_is_a_one_line_error(tmp_path: Path) -> None:
    bounds = tmp_path / "adm.geojson"
    bounds.write_text("{broken", "utf-8")
    article = tmp_path / "a.txt"
    article.write_text(TEXT_EN, "utf-8")
    result = CliRunner().invoke(places, [str(article), "--boundaries", str(bounds)])
    assert result.exit_code == 1
    assert str(bounds) in result.output and "Traceback" not in result.output


def test_geoparse_tags_demonyms_like_the_corpora_unless_told_not_to(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "d1", "text": "Armenian forces shelled positions near Stepanakert."})
        + "\n",
        encoding="utf-8",
    )
    names: dict[str, list[str]] = {}
    for flag in ("--demonyms", "--no-demonyms"):
        out = tmp_path / f"out{flag}.jsonl"
        result = invoke(geoparse, [str(src), "--out", str(out), "--lang", "en", flag])
        assert result.exit_code == 0, result.output
        line = json.loads(out.read_text(encoding="utf-8"))
        names[flag] = [t["name"] for t in line["toponyms"]]
    assert names["--demonyms"] == ["Armenian", "Stepanakert"]
    assert names["--no-demonyms"] == ["Stepanakert"]


def test_geoparse_follows_the_corpora_conventions(tmp_path: Path) -> None:
    # streets are toponyms, "the Kremlin said" is an actor, talks "at the Kremlin" are located
    text = "In Chicago, a fire broke out on Orchard Street. The Kremlin said talks at the Kremlin went well."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "text": text}) + "\n", "utf-8")
    result = invoke(geoparse, [str(src), "--out", "-", "--lang", "en"])
    spans = [(t["start"], t["name"]) for t in json.loads(result.stdout)["toponyms"]]
    assert (text.index("Orchard Street"), "Orchard Street") in spans
    assert [s for s, n in spans if n == "Kremlin"] == [text.rindex("Kremlin")]
