"""datadir.py — where the Python tests find the shared market data:
$LSDOPT_DATA_DIR, else $LSDOPT_DATA_DIR_DEFAULT (CTest sets it to
../shared/data). Imported by the tests beside it; standard library only."""

import os


def _under_data(parts):
    base = os.environ.get("LSDOPT_DATA_DIR") or os.environ.get("LSDOPT_DATA_DIR_DEFAULT")
    return os.path.join(base, *parts) if base else None


def data_folder(*parts):
    """The folder at parts under the data directory, or None if it is not there."""
    path = _under_data(parts)
    return path if path and os.path.isdir(path) else None


def data_file(*parts):
    """The file at parts under the data directory, or None if it is not there."""
    path = _under_data(parts)
    return path if path and os.path.isfile(path) else None
