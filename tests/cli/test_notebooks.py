#!/usr/bin/python3
"""test_notebooks.py — end to end: every notebook in notebooks/ (which reach
lsdopt through notebooks/lsdopt.py: the library by ctypes, the CLI's json and
csv) executes headless without a cell error, against the build's library and
CLI (LSDOPT_LIB, LSDOPT from CTest) and the shared market data
(LSDOPT_DATA_DIR, else LSDOPT_DATA_DIR_DEFAULT). Skips (77) without the data,
except under CI=true. Outputs are not saved here; `make notebooks` saves them."""
import os
import subprocess
import sys

ROOT = os.environ.get("LSDOPT_SOURCE_DIR",
                      os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ)
env.setdefault("LSDOPT_DATA_DIR", os.environ.get("LSDOPT_DATA_DIR_DEFAULT", ""))
sys.exit(subprocess.run([sys.executable, os.path.join(ROOT, "notebooks", "run.py")],
                        env=env).returncode)
