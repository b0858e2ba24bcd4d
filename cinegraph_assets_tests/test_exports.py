"""oscar_nominations_dataset: what the curated record says, as CSV and Parquet, written
so that a failed write changes nothing."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from dagster import RunConfig, materialize

from cinegraph_assets.exports.assets import ExportConfig, oscar_nominations_dataset
from cinegraph_assets.exports.dataset import COLUMNS, film_year
from cinegraph_assets.exports.writer import write_dataset
from cinegraph_assets_tests.helpers import (
    materialize_movies,
    materialize_year,
    resources,
    truth_rows,
)

YEARS = ("2023", "2024", "2025", "2026")
OPPENHEIMER = "tt15398776"


def _ids(value: str, prefix: str) -> tuple[str, ...]:
    return tuple(sorted(t for t in (value or "").split("|") if t.startswith(prefix)))


def _signature(rows) -> Counter:
    return Counter(
        (int(r["Ceremony"]), _ids(r["FilmId"], "tt"), _ids(r["NomineeIds"], "nm"),
         r["Winner"] == "True")
        for r in rows
    )  # fmt: skip


@pytest.fixture
def exported(upstream, db, instance, tmp_path):
    res = resources(upstream, db)
    for year in YEARS:
        materialize_year(year, res, instance)
    materialize_movies([OPPENHEIMER], res, instance)
    result = materialize(
        [oscar_nominations_dataset],
        resources={"db": db},
        instance=instance,
        run_config=RunConfig(
            ops={"oscar_nominations_dataset": ExportConfig(destination=str(tmp_path / "exports"))}
        ),
    )
    return result, tmp_path / "exports"


def test_the_export_equals_the_curated_record(exported):
    _, folder = exported
    frame = pd.read_parquet(folder / "oscar_nominations.parquet")
    assert list(frame.columns) == [c for c, _, _ in COLUMNS]
    competitive = frame[frame["Competitive"] == "True"]
    truth = [r for year in YEARS for r in truth_rows(int(year) - 1928)]
    assert _signature(competitive.to_dict("records")) == _signature(truth)
    # IMDb-only awards are rows too, told apart by the Competitive column.
    special = frame[frame["Competitive"] != "True"]
    assert len(special) > 0 and set(special["Class"]) <= {"SciTech", "Special"}
    assert set(frame["Year"]) == {"2022", "2023", "2024", "2025"}
    oppenheimer = frame[(frame["FilmId"] == OPPENHEIMER) & (frame["Class"] == "Title")]
    assert set(oppenheimer["TmdbIds"]) == {"872585"}


def test_csv_and_parquet_hold_the_same_rows(exported):
    _, folder = exported
    parquet = pd.read_parquet(folder / "oscar_nominations.parquet")
    csv = pd.read_csv(folder / "oscar_nominations.csv", dtype=str, keep_default_na=False)
    assert len(csv) == len(parquet) > 400
    pd.testing.assert_frame_equal(
        csv.astype(str), parquet.astype(str).fillna(""), check_dtype=False
    )


def test_the_metadata_describes_the_files(exported):
    result, folder = exported
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["dagster/row_count"].value == len(
        pd.read_parquet(folder / "oscar_nominations.parquet")
    )
    columns = [c.name for c in metadata["dagster/column_schema"].value.columns]
    assert columns == [c for c, _, _ in COLUMNS]
    assert metadata["ceremonies"].value == 4
    assert metadata["by_class"].value["Acting"] == 4 * 20
    assert metadata["parquet"].value == str(folder / "oscar_nominations.parquet")
    preview = metadata["latest_ceremony"].value.records
    assert len(preview) == 50 and {r.data["Category"] for r in preview}


def test_a_failed_write_leaves_the_previous_files_intact(tmp_path):
    good = pd.DataFrame({"Ceremony": [96], "Film": ["Oppenheimer"]})
    write_dataset(good, str(tmp_path))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    # A column Parquet cannot hold: the write fails after the CSV was encoded.
    bad = pd.DataFrame({"Ceremony": [96, 97], "Film": [object(), "Anora"]})
    with pytest.raises(Exception):  # noqa: B017 (pyarrow's own error type)
        write_dataset(bad, str(tmp_path))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_film_year_of_a_ceremony():
    assert [film_year(n) for n in (1, 6, 7, 96)] == ["1927/28", "1932/33", "1934", "2023"]
