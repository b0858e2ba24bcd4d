"""Writing the dataset so that no reader ever sees half a file.

To a folder: both files are written under temporary names beside their targets and
renamed over them only once both are complete (a rename is atomic on one file system);
if anything fails, the temporary files go and the previous files stay as they were.
To a URL pandas can write to (s3://, gs://, ... through fsspec and its backend, not
dependencies of this project): each file is built in memory and sent in one put.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


NAME = "oscar_nominations"


@dataclass(frozen=True)
class Written:
    csv: str
    parquet: str


def _encode(frame: pd.DataFrame) -> dict[str, bytes]:
    # Both encodings are made before anything is written: a frame that cannot be
    # written in one format changes neither file.
    parquet = io.BytesIO()
    frame.to_parquet(parquet, index=False, engine="pyarrow")
    return {
        "csv": frame.to_csv(index=False).encode("utf-8"),
        "parquet": parquet.getvalue(),
    }


def _is_url(destination: str) -> bool:
    return "://" in destination and not destination.startswith("file://")


def write_dataset(frame: pd.DataFrame, destination: str, name: str = NAME) -> Written:
    """Write frame as <destination>/<name>.{csv,parquet}."""
    encoded = _encode(frame)
    if _is_url(destination):
        return _put(encoded, destination.rstrip("/"), name)
    folder = Path(destination.removeprefix("file://"))
    folder.mkdir(parents=True, exist_ok=True)
    temporary: dict[str, str] = {}
    try:
        for kind, body in encoded.items():
            fd, temporary[kind] = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{kind}",
                                                   dir=folder)  # fmt: skip
            with os.fdopen(fd, "wb") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
        for kind, path in temporary.items():
            os.replace(path, folder / f"{name}.{kind}")
    finally:
        for path in temporary.values():
            Path(path).unlink(missing_ok=True)
    return Written(str(folder / f"{name}.csv"), str(folder / f"{name}.parquet"))


def _put(encoded: dict[str, bytes], base: str, name: str) -> Written:
    import fsspec  # through pandas' optional dependency, for object storage

    for kind, body in encoded.items():
        with fsspec.open(f"{base}/{name}.{kind}", "wb") as f:
            f.write(body)
    return Written(f"{base}/{name}.csv", f"{base}/{name}.parquet")
