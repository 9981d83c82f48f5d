"""test_covered_call.py — end to end: `lsdopt covered-call`
(pricing/cli/covered_call_cmd.c over pricing/analytics/covered_call.c).

Checks what a user sees against independent computation in Python: the
premium is what `lsdopt price` prints (bit for bit through json); the
strike of `--delta` and of each `--ladder` row has that delta by `lsdopt
price` to 1e-10; the assignment probability is N(d2) with λ = 0 and, with
Merton jumps, the Poisson mixture Σ Pois(n; λT)·N(d2_n) written out here
(Merton 1976, eq. 19; math.erfc), to 1e-12, under the pricing measure and a
real-world drift; each reported S_T quantile has that mixture CDF to 1e-10;
the breakeven has P&L 0; csv and json agree; usage and domain errors give
the documented exit codes, a partial jump set naming the missing flag.

Run with Debian's /usr/bin/python3; standard library only.
"""

import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("LSDOPT")

MARKET = ["--spot", "3000", "--expiry", "0.25", "--rate", "0.045", "--carry", "0.031",
          "--vol", "0.62"]
JUMPS = ["--jump-intensity", "0.8", "--jump-mean", "-0.12", "--jump-vol", "0.08"]
S, T, R, Q, VOL = 3000.0, 0.25, 0.045, 0.031, 0.62
LAM, MUJ, DJ = 0.8, -0.12, 0.08


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, check=False)


def ncdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def mixture_cdf(s, drift, lam, muj, dj):
    """P(S_T <= s) under Merton with E[S_T] = S e^{drift T}: Σ Pois(n) N(z_n)."""
    kappa = math.exp(muj + 0.5 * dj * dj) - 1.0
    m = lam * T
    total = 0.0
    for n in range(60):
        w = math.exp(-m + n * math.log(m) - math.lgamma(n + 1)) if m > 0 else float(n == 0)
        mean = math.log(S) + (drift - lam * kappa - 0.5 * VOL * VOL) * T + n * muj
        total += w * ncdf((math.log(s) - mean) / math.sqrt(VOL * VOL * T + n * dj * dj))
    return total


def mixture_sf(s, drift, lam, muj, dj):
    kappa = math.exp(muj + 0.5 * dj * dj) - 1.0
    m = lam * T
    total = 0.0
    for n in range(60):
        w = math.exp(-m + n * math.log(m) - math.lgamma(n + 1)) if m > 0 else float(n == 0)
        mean = math.log(S) + (drift - lam * kappa - 0.5 * VOL * VOL) * T + n * muj
        total += w * ncdf(-(math.log(s) - mean) / math.sqrt(VOL * VOL * T + n * dj * dj))
    return total


def pnl(st, strike, premium):
    return math.exp(Q * T) * st - S + premium * math.exp(R * T) - max(st - strike, 0.0)


def cc_json(*args):
    p = run("covered-call", *MARKET, *args, "--format", "json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def price_json(strike, jumps=()):
    p = run("price", "--type", "call", "--strike", repr(strike), *MARKET, *jumps,
            "--format", "json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


class CoveredCall(unittest.TestCase):
    def close(self, got, want, atol, what=""):
        self.assertLessEqual(abs(got - want), atol, f"{what}: got {got!r}, want {want!r}")

    def test_premium_is_lsdopt_price(self):
        for jumps in ((), JUMPS):
            row = cc_json("--strike", "3300", *jumps)["strikes"][0]
            p = price_json(3300.0, jumps)
            self.assertEqual(row["premium"], p["price"])
            self.assertEqual(row["delta"], p["delta"])
            self.close(row["premium_yield_annual"], p["price"] / S / T, 1e-15)
            self.close(row["total_yield"],
                       (p["price"] / S + math.expm1(Q * T)) / T, 1e-14)

    def test_delta_strike_has_its_delta(self):
        for jumps in ((), JUMPS):
            row = cc_json("--delta", "0.10", *jumps)["strikes"][0]
            self.close(price_json(row["strike"], jumps)["delta"], 0.10, 1e-10, "delta")

    def test_ladder_is_deltas_005_to_050(self):
        rows = cc_json("--ladder", *JUMPS)["strikes"]
        self.assertEqual(len(rows), 10)
        for i, row in enumerate(rows):
            self.close(row["delta"], 0.05 * (i + 1), 1e-10, "ladder delta")
        strikes = [r["strike"] for r in rows]
        self.assertEqual(strikes, sorted(strikes, reverse=True))

    def test_prob_assign_is_n_d2_without_jumps(self):
        doc = cc_json("--strikes", "2500,3000,3600", "--drift", "0.1")
        for row in doc["strikes"]:
            k = row["strike"]
            for drift, got in ((R - Q, row["prob_assign"]), (0.1, row["prob_assign_real_world"])):
                d2 = (math.log(S / k) + (drift - 0.5 * VOL * VOL) * T) / (VOL * math.sqrt(T))
                self.close(got, ncdf(d2), 1e-12, f"N(d2) K={k}")

    def test_merton_prob_assign_and_quantiles_from_the_mixture(self):
        rw = ["--drift", "0.08", "--rw-jump-intensity", "3", "--rw-jump-mean", "-0.15",
              "--rw-jump-vol", "0.05"]
        row = cc_json("--strike", "3400", *JUMPS, *rw)["strikes"][0]
        self.close(row["prob_assign"], mixture_sf(3400.0, R - Q, LAM, MUJ, DJ), 1e-12)
        self.close(row["prob_assign_real_world"], mixture_sf(3400.0, 0.08, 3.0, -0.15, 0.05),
                   1e-12)
        for level, key in ((0.05, "05"), (0.5, "50"), (0.95, "95")):
            self.close(mixture_cdf(row["spot_q" + key], R - Q, LAM, MUJ, DJ), level, 1e-10)
            self.close(mixture_cdf(row[f"spot_q{key}_real_world"], 0.08, 3.0, -0.15, 0.05),
                       level, 1e-10)
            self.close(row["pnl_q" + key], pnl(row["spot_q" + key], 3400.0, row["premium"]),
                       1e-9)

    def test_breakeven_and_return_if_called(self):
        row = cc_json("--strike", "3400", *JUMPS)["strikes"][0]
        self.close(pnl(row["breakeven"], 3400.0, row["premium"]), 0.0, 1e-9, "breakeven")
        self.close(row["return_if_called"], pnl(3400.0, 3400.0, row["premium"]) / S, 1e-15)
        self.close(row["expected_pnl"], S * math.expm1(R * T), 1e-8, "E[P&L] = S(e^rT - 1)")

    def test_csv_matches_json_and_tokens_scale(self):
        args = ["--strikes", "3100,3500", *JUMPS, "--tokens", "10"]
        doc = cc_json(*args)
        p = run("covered-call", *MARKET, *args, "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertEqual(len(rows), 2)
        for got, want in zip(rows, doc["strikes"]):
            for key in ("strike", "premium", "prob_assign", "pnl_q05", "breakeven"):
                self.assertEqual(float(got[key]), want[key], key)
            self.assertEqual(got["prob_assign_real_world"], "")
            self.assertEqual(float(got["premium_total"]), 10.0 * want["premium"])
        self.assertIsNone(doc["strikes"][0]["prob_assign_real_world"])

    def test_text_table(self):
        p = run("covered-call", *MARKET, "--ladder")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("breakeven", p.stdout)
        self.assertEqual(sum(1 for line in p.stdout.splitlines()
                             if line[:5] in ("0.050", "0.500")), 2)

    def test_exit_codes(self):
        self.assertEqual(run("covered-call", "--help").returncode, 0)
        self.assertIn("--ladder", run("covered-call", "--help").stdout)
        self.assertEqual(run("covered-call", *MARKET).returncode, 64)  # no strike choice
        self.assertEqual(run("covered-call", *MARKET, "--ladder", "--strike", "1").returncode, 64)
        self.assertEqual(run("covered-call", *MARKET, "--strikes", "3000,x").returncode, 64)
        self.assertEqual(run("covered-call", *MARKET, "--ladder", "--rw-jump-intensity", "1",
                             "--rw-jump-mean", "0", "--rw-jump-vol", "0").returncode, 64)
        self.assertEqual(run("covered-call", *MARKET, "--delta", "0.999").returncode, 65)
        bad = [a if a != "0.031" else "-0.01" for a in MARKET]
        self.assertEqual(run("covered-call", *bad, "--strike", "3000").returncode, 65)

    def test_partial_jump_flags_name_the_first_missing_one(self):
        """As in `lsdopt price` and `lsdopt hedge`: a partial --jump-* or
        --rw-jump-* set is a usage error naming the first missing flag."""
        rw = ["--drift", "0.05", "--rw-jump-intensity", "0.5", "--rw-jump-mean", "-0.1",
              "--rw-jump-vol", "0.05"]
        for given, missing in ((JUMPS[:2], "--jump-mean"), (JUMPS[:4], "--jump-vol"),
                               (JUMPS[4:], "--jump-intensity"),
                               (rw[:4], "--rw-jump-mean"), (rw[:6], "--rw-jump-vol"),
                               (rw[:2] + rw[6:], "--rw-jump-intensity")):
            p = run("covered-call", *MARKET, *given, "--strike", "3300")
            self.assertEqual((p.returncode, p.stdout, p.stderr),
                             (64, "", f"lsdopt: covered-call: missing {missing} "
                                      "(see 'lsdopt covered-call --help')\n"), given)

    def test_curves_and_token_give_the_flat_rate_and_carry(self):
        """--rate-curve/--carry-curve/--token as in `lsdopt price`: a flat curve
        (one pillar) or --token steth --staking-apr is exactly the --rate/--carry
        it stands for."""
        spot_expiry_vol = [a for i, a in enumerate(MARKET)
                           if MARKET[i - (i % 2)] not in ("--rate", "--carry")]

        def doc(*market):
            p = run("covered-call", *spot_expiry_vol, *market, "--ladder", *JUMPS,
                    "--drift", "0.1", "--format", "json")
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout)

        flat = doc("--rate", "0.045", "--carry", "0.031")
        with tempfile.TemporaryDirectory() as tmp:
            rc, qc = os.path.join(tmp, "r.csv"), os.path.join(tmp, "q.csv")
            with open(rc, "w") as f:
                f.write("tenor,rate\n2,0.045\n")
            with open(qc, "w") as f:
                f.write("tenor,rate\n0.5,0.031\n")
            self.assertEqual(doc("--rate-curve", rc, "--carry-curve", qc), flat)
            # the conflicts of `price`: a curve with its flat value, --carry with --token
            for extra in (["--rate-curve", rc, "--carry", "0.031"],
                          ["--rate", "0.045", "--carry-curve", qc, "--token", "steth",
                           "--staking-apr", "0.031"],
                          ["--rate", "0.045", "--carry", "0.031", "--token", "wsteth"]):
                self.assertEqual(run("covered-call", *MARKET, *extra, "--strike", "3300")
                                 .returncode, 64, extra)
            self.assertEqual(run("covered-call", *spot_expiry_vol, "--rate-curve",
                                 os.path.join(tmp, "none.csv"), "--carry", "0.031",
                                 "--strike", "3300").returncode, 66)
        # stETH rebases daily: q = 365 ln(1 + APR/365)
        token = doc("--rate", "0.045", "--token", "steth", "--staking-apr", "0.031")
        self.close(token["carry"], 365.0 * math.log1p(0.031 / 365.0), 1e-17, "steth carry")
        self.assertEqual(token, doc("--rate", "0.045", "--carry", repr(token["carry"])))


if __name__ == "__main__":
    if not CLI:
        print("LSDOPT not set", file=sys.stderr)
        sys.exit(77)
    unittest.main()
