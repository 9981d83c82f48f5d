"""lsdopt.py — Python access to lsdopt for the notebooks.

Two doors, no formulas of our own:

* the shared library `liblsdopt` through ctypes, for pricing in loops
  (`price`, `implied_vol`): the structs mirror pricing/core/option.h;
* the `lsdopt` command's JSON and CSV output, for everything the CLI
  computes (`cli_json`, `cli_csv`: calibrate, yield, estimate, covered-call,
  hedge, collateral, ...).

Where things are found:
  LSDOPT_LIB       the shared library (default: ../build/liblsdopt.so)
  LSDOPT           the CLI            (default: ../build/lsdopt)
  LSDOPT_DATA_DIR  the shared market data (default: ../../shared/data)
all relative to this file's folder.
"""
import csv
import ctypes
import io
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIB_PATH = os.environ.get("LSDOPT_LIB", os.path.join(ROOT, "build", "liblsdopt.so"))
CLI_PATH = os.environ.get("LSDOPT", os.path.join(ROOT, "build", "lsdopt"))
DATA_DIR = os.environ.get("LSDOPT_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))

CALL, PUT = 0, 1
OUTPUTS = ("price", "delta", "gamma", "vega", "theta", "rho", "carry_rho",
           "jump_intensity_sens", "jump_mean_sens", "jump_vol_sens")


class _Option(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("strike", ctypes.c_double),
                ("expiry", ctypes.c_double)]


class _Market(ctypes.Structure):
    _fields_ = [("spot", ctypes.c_double), ("rate", ctypes.c_double),
                ("carry", ctypes.c_double), ("vol", ctypes.c_double)]


class _Jumps(ctypes.Structure):
    _fields_ = [("intensity", ctypes.c_double), ("mean", ctypes.c_double),
                ("vol", ctypes.c_double)]


class _Kou(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in ("intensity", "p", "eta_up", "eta_down")]


class _Heston(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in ("v0", "kappa", "theta", "sigma", "rho")]


class _DefaultOverlay(ctypes.Structure):
    _fields_ = [("intensity", ctypes.c_double), ("recovery", ctypes.c_double)]


class _ModelParams(ctypes.Structure):
    """lsd_model_params (model.h)."""
    _fields_ = [("model", ctypes.c_int), ("jumps", _Jumps), ("kou", _Kou),
                ("heston", _Heston), ("default_overlay", _DefaultOverlay),
                ("depeg", _Jumps)]


class _Greeks(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in OUTPUTS]


class _Diag(ctypes.Structure):
    _fields_ = [("message", ctypes.c_char * 192)]


class LsdoptError(RuntimeError):
    """A library call or CLI run failed; the message is lsdopt's."""


_lib = None


def library():
    """The loaded shared library (ctypes.CDLL), typed on first use."""
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(LIB_PATH)
        lib.lsd_model_price.argtypes = [ctypes.POINTER(_Option), ctypes.POINTER(_Market),
                                        ctypes.POINTER(_ModelParams), ctypes.c_int,
                                        ctypes.POINTER(_Greeks), ctypes.POINTER(_Diag)]
        lib.lsd_model_price.restype = ctypes.c_int
        lib.lsd_implied_vol_bsm.argtypes = [ctypes.POINTER(_Option), ctypes.POINTER(_Market),
                                        ctypes.c_double, ctypes.POINTER(ctypes.c_double),
                                        ctypes.POINTER(_Diag)]
        lib.lsd_implied_vol_bsm.restype = ctypes.c_int
        lib.lsd_strerror.argtypes = [ctypes.c_int]
        lib.lsd_strerror.restype = ctypes.c_char_p
        _lib = lib
    return _lib


def _fail(lib, status, diag):
    detail = diag.message.decode(errors="replace")
    raise LsdoptError(detail or lib.lsd_strerror(status).decode())


def price(type, spot, strike, expiry, rate, carry, vol,
          jump_intensity=None, jump_mean=0.0, jump_vol=0.0):
    """Price and greeks of one European option (dict keyed by DESIGN.md names).

    type is "call" or "put"; units as in DESIGN.md. With jump_intensity given
    the model is Merton (1976) depeg jumps, else BSM with carry. Raises
    LsdoptError with the library's message on bad input."""
    lib = library()
    opt = _Option(CALL if type == "call" else PUT, strike, expiry)
    mkt = _Market(spot, rate, carry, vol)
    merton = jump_intensity is not None
    params = _ModelParams(model=1 if merton else 0)
    if merton:
        params.jumps = _Jumps(jump_intensity, jump_mean, jump_vol)
    out, diag = _Greeks(), _Diag()
    status = lib.lsd_model_price(ctypes.byref(opt), ctypes.byref(mkt), ctypes.byref(params),
                                 0, ctypes.byref(out), ctypes.byref(diag))
    if status != 0:
        _fail(lib, status, diag)
    return {name: getattr(out, name) for name in OUTPUTS}


def implied_vol(type, price_value, spot, strike, expiry, rate, carry):
    """BSM-with-carry implied volatility of a price (lsd_implied_vol_bsm)."""
    lib = library()
    opt = _Option(CALL if type == "call" else PUT, strike, expiry)
    mkt = _Market(spot, rate, carry, 0.0)
    vol, diag = ctypes.c_double(), _Diag()
    status = lib.lsd_implied_vol_bsm(ctypes.byref(opt), ctypes.byref(mkt), price_value,
                                 ctypes.byref(vol), ctypes.byref(diag))
    if status != 0:
        _fail(lib, status, diag)
    return vol.value


def _run(args):
    proc = subprocess.run([CLI_PATH] + [str(a) for a in args], capture_output=True, text=True)
    if proc.returncode not in (0, 65):
        raise LsdoptError(proc.stderr.strip() or f"lsdopt exited {proc.returncode}")
    return proc.stdout


def cli_json(*args):
    """Run `lsdopt ARGS --format json` and return the parsed JSON."""
    return json.loads(_run(list(args) + ["--format", "json"]))


def cli_csv(*args):
    """Run `lsdopt ARGS` whose output is CSV (batch, --format csv) and
    return a list of dicts, one per row."""
    return list(csv.DictReader(io.StringIO(_run(args))))


def data_path(*parts):
    """A path under the shared market data folder."""
    return os.path.join(DATA_DIR, *parts)
