#!/usr/bin/python3
"""run.py — execute the notebooks headless (nbclient), as `make notebooks`
and the test suite do.

    run.py [--save] [NOTEBOOK.ipynb ...]     (default: every notebooks/*.ipynb)

Each notebook runs in its own folder with a fresh python3 kernel; a cell
error fails the run (exit 1) naming the notebook and the cell. --save
writes each notebook back with its outputs (figures go to notebooks/figures/
from the notebooks themselves). Without the shared market data the
notebooks cannot run: exit 77 (skipped), except under CI=true (exit 1).
"""
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lsdopt  # noqa: E402  (for the data folder and the binaries' paths)

CELL_TIMEOUT = 300


def main(argv):
    save = "--save" in argv
    paths = [a for a in argv if a != "--save"] or sorted(glob.glob(os.path.join(HERE, "*.ipynb")))
    if not os.path.isdir(lsdopt.data_path("deribit-eth-options")):
        message = f"no market data in {lsdopt.DATA_DIR} (set LSDOPT_DATA_DIR)"
        if os.environ.get("CI") == "true":
            print("run.py: " + message, file=sys.stderr)
            return 1
        print("skipped: " + message)
        return 77
    if not paths:
        print("run.py: no notebooks found", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": os.path.dirname(path)}})
        start = time.monotonic()
        try:
            client.execute()
        except CellExecutionError as e:
            failed += 1
            print(f"FAIL {os.path.basename(path)}: {str(e).splitlines()[0] if str(e) else e}",
                  file=sys.stderr)
            print(str(e)[-2000:], file=sys.stderr)
            continue
        print(f"ok   {os.path.basename(path)}  {time.monotonic() - start:.1f} s")
        if save:
            nbformat.write(nb, path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
