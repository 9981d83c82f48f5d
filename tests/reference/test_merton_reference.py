#!/usr/bin/python3
"""test_merton_reference.py — independent high-precision reference for
lsd_bsm_price and lsd_merton_price (pricing/models/bsm.c, pricing/models/merton.c).

The Merton (1976) price is summed here with mpmath at 40+ significant digits
in its textbook form -- Merton, J. Financial Economics 3 (1976) 125-144,
eq. (19); Haug, The Complete Guide to Option Pricing Formulas, 2nd ed. (2007),
section 6.7.1:

    V = e^{-rT} sum_n Pois(n; lambda T) Black(F_n, K, v_n),
    F_n = S e^{(r-q)T} e^{-lambda kappa T} (1+kappa)^n,  v_n = sigma^2 T + n delta^2,
    kappa = e^{mu_J + delta^2/2} - 1,

with Black(F, K, v) = F N(d1) - K N(d2) (call) or K N(-d2) - F N(-d1) (put),
d1 = (ln(F/K) + v/2)/sqrt(v), d2 = d1 - sqrt(v). The sum runs over the jump
counts outside which both Poisson(lambda T) and Poisson(lambda (1+kappa) T)
have mass below 1e-50 (geometric tail bounds on both sides of the modes);
since Pois(n; m) F_n = F Pois(n; m(1+kappa)) and Black <= F_n (call), <= K
(put), the neglected terms are below 1e-50 max(F, K), far below 1e-13 spot.
The cut is fixed per case, so mpmath.diff differentiates one smooth finite
sum. With lambda = 0 it is the generalized BSM formula.

Every greek is mpmath.diff of that price function at raised precision
(numerical differentiation at ~90+ digits, not the library's term-by-term
formulas): delta = dV/dS, gamma = d2V/dS2, vega = dV/dsigma, theta = -dV/dT,
rho = dV/dr, carry_rho = dV/dq, and dV/dlambda, dV/dmu_J, dV/ddelta (units of
DESIGN.md). At lambda = 0, dV/dlambda is the one-sided (lambda -> 0+)
derivative.

The library is called through ctypes (env LSDOPT_LIB, the shared library).
Requirement (issue 2, section 1): |got - ref| <= max(1e-12 |ref|, 1e-13 scale)
with scale = spot for price, vega, theta, rho, carry_rho and the jump
sensitivities, 1 for delta, 1/spot for gamma. The grid spans expiry 1e-4..10 y,
vol 0.01..4, lambda T up to 500, strikes 0.01x..100x spot, calls and puts,
depeg jumps (mu_J < 0) and deep out-of-the-money, short-dated,
jump-dominated options (where QuantLib 1.29's JumpDiffusionEngine stops its
series after the vanishing no-jump term). Prints the worst error of every
output; exits 1 if any exceeds the requirement, 77 (skip) without the
library or mpmath.
"""
import ctypes
import math
import os
import sys
import time

try:
    import mpmath as mp
except ImportError:
    print("python3-mpmath not installed: skipped")
    sys.exit(77)

OUTPUTS = ("price", "delta", "gamma", "vega", "theta", "rho", "carry_rho",
           "jump_intensity_sens", "jump_mean_sens", "jump_vol_sens")
CALL, PUT = 0, 1
RTOL = 1e-12
ATOL_PER_SCALE = 1e-13
PRICE_DPS = 40


class Option(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("strike", ctypes.c_double),
                ("expiry", ctypes.c_double)]


class Market(ctypes.Structure):
    _fields_ = [("spot", ctypes.c_double), ("rate", ctypes.c_double),
                ("carry", ctypes.c_double), ("vol", ctypes.c_double)]


class Jumps(ctypes.Structure):
    _fields_ = [("intensity", ctypes.c_double), ("mean", ctypes.c_double),
                ("vol", ctypes.c_double)]


class Greeks(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in OUTPUTS]


class Diag(ctypes.Structure):
    _fields_ = [("message", ctypes.c_char * 192)]


def load_library():
    path = os.environ.get("LSDOPT_LIB")
    if not path or not os.path.exists(path):
        print("LSDOPT_LIB not set or missing: skipped")
        sys.exit(77)
    lib = ctypes.CDLL(path)
    lib.lsd_bsm_price.argtypes = [ctypes.POINTER(Option), ctypes.POINTER(Market),
                                  ctypes.POINTER(Greeks), ctypes.POINTER(Diag)]
    lib.lsd_bsm_price.restype = ctypes.c_int
    lib.lsd_merton_price.argtypes = [ctypes.POINTER(Option), ctypes.POINTER(Market),
                                     ctypes.POINTER(Jumps), ctypes.c_void_p,
                                     ctypes.POINTER(Greeks), ctypes.POINTER(Diag)]
    lib.lsd_merton_price.restype = ctypes.c_int
    return lib


def black(typ, fwd, strike, var):
    """Undiscounted Black price on forward fwd with total variance var > 0."""
    sd = mp.sqrt(var)
    d1 = (mp.log(fwd / strike) + var / 2) / sd
    d2 = d1 - sd
    if typ == CALL:
        return fwd * mp.ncdf(d1) - strike * mp.ncdf(d2)
    return strike * mp.ncdf(-d2) - fwd * mp.ncdf(-d1)


TAIL = mp.mpf("1e-50")


def poisson_range(m, mq):
    """Jump counts [lo, hi] outside which both Pois(.; m) and Pois(.; mq) have
    total mass below TAIL (geometric bounds on both sides of the modes)."""
    mlow, mhigh = min(m, mq), max(m, mq)

    def pmf(n, mu):
        if mu == 0:
            return mp.mpf(1 if n == 0 else 0)
        return mp.exp(-mu + n * mp.log(mu) - mp.loggamma(n + 1))

    hi = int(mp.floor(mhigh)) + 1
    while True:
        ratio = mhigh / (hi + 2)
        if ratio < 1 and max(pmf(hi + 1, m), pmf(hi + 1, mq)) / (1 - ratio) <= TAIL:
            break
        hi += 1
    lo = int(mp.floor(mlow))
    while lo > 0:
        ratio = (lo - 1) / mlow
        if max(pmf(lo - 1, m), pmf(lo - 1, mq)) / (1 - ratio) <= TAIL:
            break
        lo -= 1
    return lo, max(hi, 3)


def merton(typ, S, K, T, r, q, sig, lam, mu, dlt, lo, hi):
    """Merton (1976) price, the sum over n in [lo, hi] (see poisson_range)."""
    ln1k = mu + dlt * dlt / 2
    kappa = mp.expm1(ln1k)
    m = lam * T
    fwd0 = S * mp.exp((r - q) * T - m * kappa)
    var0 = sig * sig * T
    jvar = dlt * dlt
    w = mp.exp(-m + lo * mp.log(m) - mp.loggamma(lo + 1)) if lo > 0 else mp.exp(-m)
    total = mp.mpf(0)
    for n in range(lo, hi + 1):
        total += w * black(typ, fwd0 * mp.exp(n * ln1k), K, var0 + n * jvar)
        w = w * m / (n + 1)
    return mp.exp(-r * T) * total


PARAMS = ("S", "K", "T", "r", "q", "sig", "lam", "mu", "dlt")


def reference(case):
    """Price and all greeks of case (a dict) at high precision, as mpf."""
    mp.mp.dps = PRICE_DPS
    typ = case["type"]
    base = {k: mp.mpf(case[k]) for k in PARAMS}   # the doubles, exactly
    m = base["lam"] * base["T"]
    cut = poisson_range(m, m * mp.exp(base["mu"] + base["dlt"] ** 2 / 2))

    def along(name):
        def f(x):
            args = dict(base)
            args[name] = x
            return merton(typ, *(args[k] for k in PARAMS), *cut)
        return f

    def d(name, n=1, **opts):
        return mp.diff(along(name), base[name], n, **opts)

    lam_opts = {"direction": 1} if case["lam"] == 0 else {}
    return {
        "price": merton(typ, *(base[k] for k in PARAMS), *cut),
        "delta": d("S"),
        "gamma": d("S", 2),
        "vega": d("sig"),
        "theta": -d("T"),
        "rho": d("r"),
        "carry_rho": d("q"),
        "jump_intensity_sens": d("lam", **lam_opts),
        "jump_mean_sens": d("mu"),
        "jump_vol_sens": d("dlt"),
    }


def case(typ, S, K, T, r, q, sig, lam=0.0, mu=0.0, dlt=0.0, note=""):
    return {"type": typ, "S": S, "K": K, "T": T, "r": r, "q": q, "sig": sig,
            "lam": lam, "mu": mu, "dlt": dlt, "note": note}


def grid():
    """Cases spanning the domain of issue 2, section 1."""
    c = []
    # BSM corners (lambda = 0): expiry, vol and moneyness extremes.
    for typ in (CALL, PUT):
        for T, sig in ((1e-4, 0.01), (1e-4, 4.0), (10.0, 0.01), (10.0, 4.0), (0.25, 0.6)):
            for k in (0.01, 0.9, 1.0003, 1.1, 100.0):
                c.append(case(typ, 3000.0, 3000.0 * k, T, 0.045, 0.031, sig,
                              note="bsm corner"))
    # Near the money at s = sigma sqrt(T) = 1e-4: half an ulp of S/K moves d1
    # by ~1e-12, so gamma and delta need the log-moneyness formed exactly.
    for typ in (CALL, PUT):
        for S in (0.037, 3000.0):
            for sd in (-3.0, -1.5, 1.5):
                c.append(case(typ, S, S * math.exp(sd * 1e-4), 1e-4, 0.045, 0.031, 0.01,
                              note="near the money, s = 1e-4"))
    # Merton: ordinary depeg-ish parameters across moneyness and expiry.
    for typ in (CALL, PUT):
        for k in (0.01, 0.8, 1.0, 1.25, 100.0):
            for T in (1e-4, 0.1, 2.0, 10.0):
                c.append(case(typ, 100.0, 100.0 * k, T, 0.04, 0.03, 0.6,
                              lam=0.5, mu=-0.1, dlt=0.08, note="merton grid"))
    # Deep OTM, short-dated, jump-dominated (QuantLib 1.29 returns ~1e-43).
    c.append(case(CALL, 100.0, 110.0, 7 / 365, 0.0, 0.0, 0.05,
                  lam=1.0, mu=-0.125, dlt=0.5, note="QL-wrong 10% OTM 1w call"))
    c.append(case(PUT, 100.0, 90.0, 7 / 365, 0.0, 0.0, 0.05,
                  lam=1.0, mu=-0.3, dlt=0.2, note="1w 10% OTM put, depeg"))
    c.append(case(PUT, 1.0, 0.5, 1e-4, 0.05, 0.035, 0.01,
                  lam=20.0, mu=-0.7, dlt=0.3, note="stETH crash put, 1e-4 y"))
    c.append(case(CALL, 100.0, 150.0, 0.01, 0.01, 0.0, 0.02,
                  lam=3.0, mu=0.2, dlt=0.3, note="up-jump OTM call"))
    c.append(case(PUT, 100.0, 1.0, 0.05, 0.02, 0.01, 0.3,
                  lam=2.0, mu=-2.0, dlt=1.0, note="K/S=0.01 put, huge depeg"))
    # Large lambda T (QuantLib loses ~1e-10 at 200).
    c.append(case(CALL, 100.0, 100.0, 1.0, 0.05, 0.02, 0.2,
                  lam=200.0, mu=-0.01, dlt=0.02, note="lambda T = 200"))
    c.append(case(PUT, 100.0, 80.0, 2.0, 0.03, 0.0, 0.1,
                  lam=100.0, mu=-0.02, dlt=0.03, note="lambda T = 200 put"))
    c.append(case(CALL, 100.0, 120.0, 10.0, 0.02, 0.01, 0.05,
                  lam=50.0, mu=0.005, dlt=0.01, note="lambda T = 500"))
    c.append(case(PUT, 100.0, 100.0, 5.0, 0.0, 0.03, 1.0,
                  lam=100.0, mu=-0.05, dlt=0.05, note="lambda T = 500 put"))
    # High vol and high jump vol, long expiry.
    c.append(case(CALL, 50.0, 5000.0, 10.0, 0.05, 0.0, 4.0,
                  lam=1.0, mu=-0.5, dlt=0.5, note="K/S=100 vol 4"))
    c.append(case(PUT, 50.0, 0.5, 10.0, 0.05, 0.0, 0.01,
                  lam=0.2, mu=-1.0, dlt=0.5, note="K/S=0.01 vol 0.01 10y"))
    return c


def main():
    lib = load_library()
    cases = grid()
    worst = {name: (0.0, 0.0, None) for name in OUTPUTS}   # (err/tol, rel, case)
    failures = []
    start = time.time()
    for cs in cases:
        ref = reference(cs)
        opt = Option(cs["type"], cs["K"], cs["T"])
        mkt = Market(cs["S"], cs["r"], cs["q"], cs["sig"])
        jumps = Jumps(cs["lam"], cs["mu"], cs["dlt"])
        results = []
        got = Greeks()
        diag = Diag()
        st = lib.lsd_merton_price(ctypes.byref(opt), ctypes.byref(mkt), ctypes.byref(jumps),
                                  None, ctypes.byref(got), ctypes.byref(diag))
        results.append(("merton", st, got, diag))
        if cs["lam"] == 0:
            bsm = Greeks()
            bdiag = Diag()
            st = lib.lsd_bsm_price(ctypes.byref(opt), ctypes.byref(mkt), ctypes.byref(bsm),
                                   ctypes.byref(bdiag))
            results.append(("bsm", st, bsm, bdiag))
        for model, st, g, dg in results:
            if st != 0:
                failures.append((model, "status %d (%s)" % (st, dg.message.decode()), cs))
                continue
            for name in OUTPUTS:
                if model == "bsm" and name.startswith("jump_"):
                    want = mp.mpf(0)   # BSM's contract: jump sensitivities are 0
                else:
                    want = ref[name]
                scale = {"delta": 1.0, "gamma": 1.0 / cs["S"]}.get(name, cs["S"])
                tol = max(RTOL * abs(float(want)), ATOL_PER_SCALE * scale)
                diff = abs(mp.mpf(getattr(g, name)) - want)
                err = float(diff)
                rel = float(diff / abs(want)) if want != 0 else (0.0 if err == 0 else float("inf"))
                ratio = err / tol
                if ratio > worst[name][0]:
                    worst[name] = (ratio, rel, cs)
                if not ratio <= 1.0:
                    failures.append((model, "%s = %.17g, reference %s, err/tol %.3g"
                                     % (name, getattr(g, name), mp.nstr(want, 20), ratio), cs))
    elapsed = time.time() - start

    def describe(cs):
        return ("%s S=%r K=%r T=%r r=%r q=%r vol=%r lambda=%r mu_J=%r delta=%r (%s)"
                % ("call" if cs["type"] == CALL else "put", cs["S"], cs["K"], cs["T"],
                   cs["r"], cs["q"], cs["sig"], cs["lam"], cs["mu"], cs["dlt"], cs["note"]))

    print("%d cases, %.1f s; worst error per output (tol = max(1e-12 |ref|, 1e-13 scale)):"
          % (len(cases), elapsed))
    for name in OUTPUTS:
        ratio, rel, cs = worst[name]
        print("  %-20s err/tol %.3g  rel %.3g  at %s"
              % (name, ratio, rel, describe(cs) if cs else "-"))
    for model, what, cs in failures:
        print("FAIL %s: %s\n     at %s" % (model, what, describe(cs)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
