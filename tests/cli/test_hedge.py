"""test_hedge.py — end to end: `lsdopt hedge` (pricing/cli/hedge_cmd.c over
pricing/analytics/hedge.c).

On the README's stETH/ETH depeg hedge (ETH-quoted put at 0.97, the
lsdopt estimate jump parameters): the put cost equals `lsdopt price`; the
collar strikes, repriced by `lsdopt price`, give legs equal to 1e-10; the
stress rows follow their documented definitions, recomputed here from
`lsdopt price` at the jumped spot; the expected depeg loss is
S(1 - exp(lambda*T*kappa)) computed here, with --rw-jump-* taking over;
csv carries the same numbers as json; --simulate is reproducible for a
--seed and changes with it; --help and the exit codes 64 and 65; a
partial --jump-* or --rw-jump-* set names the first missing flag.
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

MARKET = ["--spot", "0.999", "--expiry", "0.25", "--rate", "0.02", "--carry", "0.0299988",
          "--vol", "0.0167646"]
JUMPS = ["--jump-intensity", "74.2357", "--jump-mean", "-0.000502039", "--jump-vol", "0.0073393"]
BASE = MARKET + JUMPS + ["--put-strike", "0.97"]


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def hedge_json(*extra):
    p = run("hedge", *BASE, *extra, "--format", "json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def price(kind, strike, spot="0.999"):
    args = ["price", "--type", kind, "--strike", repr(strike), *MARKET, *JUMPS,
            "--format", "json"]
    args[args.index("--spot") + 1] = repr(spot) if not isinstance(spot, str) else spot
    p = run(*args)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)["price"]


class Hedge(unittest.TestCase):
    def test_put_cost_and_yields(self):
        out = hedge_json()
        cost = out["put"]["cost"]
        self.assertEqual(cost, price("put", 0.97))
        self.assertAlmostEqual(out["put"]["cost_annual"], cost / 0.999 / 0.25, delta=1e-15)
        self.assertAlmostEqual(out["put"]["staking_yield_annual"],
                               math.expm1(0.0299988 * 0.25) / 0.25, delta=1e-15)
        self.assertEqual(out["inputs"]["model"], "merton")

    def test_collar_legs_price_equal(self):
        out = hedge_json("--call-strike", "1.0")
        c = out["collar"]
        self.assertLess(abs(price("call", c["call_strike"]) - price("put", 0.97)), 1e-10)
        self.assertLess(abs(price("put", c["put_strike"]) - price("call", 1.0)), 1e-10)
        self.assertGreater(c["call_strike"], 0.999)
        self.assertLess(c["put_strike"], 0.999)
        self.assertIsNone(hedge_json()["collar"]["put_strike"])

    def test_stress_rows(self):
        out = hedge_json()
        S, T, K, q, r = 0.999, 0.25, 0.97, 0.0299988, 0.02
        P = out["put"]["cost"]
        self.assertEqual([row["shock"] for row in out["stress"]], [-0.05, -0.1, -0.2, -0.5])
        for row in out["stress"]:
            s1 = S * (1 + row["shock"])
            self.assertAlmostEqual(row["spot_after"], s1, delta=1e-15)
            pa = price("put", 0.97, spot=s1)
            self.assertAlmostEqual(row["put_after"], pa, delta=1e-14)
            self.assertAlmostEqual(row["unhedged_now"], s1 - S, delta=1e-15)
            self.assertAlmostEqual(row["hedged_now"], s1 + pa - S - P, delta=1e-14)
            self.assertAlmostEqual(row["unhedged_expiry"], math.exp(q * T) * s1 - S, delta=1e-14)
            self.assertAlmostEqual(row["hedged_expiry"], math.exp(q * T) * s1 + max(K - s1, 0)
                                   - S - P * math.exp(r * T), delta=1e-14)
            # The put caps the loss once it is in the money.
            if s1 < K:
                self.assertGreater(row["hedged_expiry"], row["unhedged_expiry"])

    def test_expected_depeg_loss(self):
        out = hedge_json()
        lam, mu, d = 74.2357, -0.000502039, 0.0073393
        kappa = math.expm1(mu + d * d / 2)
        want = -0.999 * math.expm1(lam * 0.25 * kappa)
        self.assertAlmostEqual(out["depeg"]["expected_loss"], want, delta=1e-16)
        self.assertEqual(out["depeg"]["jumps"], "risk_neutral")
        self.assertAlmostEqual(out["depeg"]["put_cost_to_loss"], out["put"]["cost"] / want,
                               delta=1e-12)
        rw = hedge_json("--rw-jump-intensity", "0.5", "--rw-jump-mean", "-0.1",
                        "--rw-jump-vol", "0.05")
        kappa = math.expm1(-0.1 + 0.05 ** 2 / 2)
        self.assertAlmostEqual(rw["depeg"]["expected_loss"],
                               -0.999 * math.expm1(0.5 * 0.25 * kappa), delta=1e-16)
        self.assertEqual(rw["depeg"]["jumps"], "real_world")

    def test_csv_matches_json(self):
        out = hedge_json("--call-strike", "1.0")
        p = run("hedge", *BASE, "--call-strike", "1.0", "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {(r["section"], r["name"]): r["value"] for r in csv.DictReader(io.StringIO(p.stdout))}
        self.assertEqual(float(rows[("put", "cost")]), out["put"]["cost"])
        self.assertEqual(float(rows[("collar", "call_strike")]), out["collar"]["call_strike"])
        self.assertEqual(float(rows[("stress[3]", "hedged_expiry")]),
                         out["stress"][3]["hedged_expiry"])
        self.assertEqual(float(rows[("hedge_ratios", "mv_delta")]),
                         out["hedge_ratios"]["mv_delta"])

    def test_simulation_reproducible(self):
        sim = ["--simulate", "--paths", "2000", "--rebalance-days", "7"]
        a = hedge_json(*sim, "--seed", "11")["simulation"]
        b = hedge_json(*sim, "--seed", "11")["simulation"]
        c = hedge_json(*sim, "--seed", "12")["simulation"]
        self.assertEqual(a, b)
        self.assertNotEqual(a["runs"], c["runs"])
        self.assertEqual(a["steps"], 14)
        self.assertEqual([(r["dynamics"], r["hedge"]) for r in a["runs"]],
                         [("jumps", "bsm"), ("jumps", "mv"), ("no_jumps", "bsm"),
                          ("no_jumps", "mv")])
        # Jump-dominated stETH: the minimum-variance hedge has the smaller error.
        self.assertLess(a["runs"][1]["sd"], a["runs"][0]["sd"])
        self.assertIsNone(hedge_json()["simulation"])

    def test_text_and_help(self):
        p = run("hedge", *BASE, "--simulate", "--paths", "1000", "--rebalance-days", "7")
        self.assertEqual(p.returncode, 0, p.stderr)
        for word in ("protective put", "expected depeg loss", "zero-cost collar", "mv_delta",
                     "hedge simulation"):
            self.assertIn(word, p.stdout)
        h = run("hedge", "--help")
        self.assertEqual(h.returncode, 0)
        self.assertIn("--rebalance-days", h.stdout)

    def test_exit_codes(self):
        self.assertEqual(run("hedge", *MARKET, *JUMPS).returncode, 64)  # no --put-strike
        self.assertEqual(run("hedge", *BASE[:-8], "--put-strike", "0.97",
                             "--jump-intensity", "1").returncode, 64)  # partial jumps
        self.assertEqual(run("hedge", *BASE, "--seed", "1.5").returncode, 64)
        self.assertEqual(run("hedge", *BASE, "--paths", "1").returncode, 64)
        self.assertEqual(run("hedge", *BASE, "--format", "xml").returncode, 64)
        bad = list(BASE)
        bad[bad.index("--vol") + 1] = "-0.1"
        self.assertEqual(run("hedge", *bad).returncode, 65)

    def test_partial_jump_flags_name_the_first_missing_one(self):
        """A partial --jump-* or --rw-jump-* set is a usage error naming the
        first missing flag, worded as every command's missing flag."""
        rw = ["--rw-jump-intensity", "0.5", "--rw-jump-mean", "-0.1", "--rw-jump-vol", "0.05"]
        for given, missing in ((JUMPS[:2], "--jump-mean"), (JUMPS[:4], "--jump-vol"),
                               (JUMPS[2:], "--jump-intensity"), (JUMPS[4:], "--jump-intensity"),
                               (JUMPS + rw[:2], "--rw-jump-mean"),
                               (JUMPS + rw[:4], "--rw-jump-vol"),
                               (rw[2:], "--rw-jump-intensity")):
            p = run("hedge", *MARKET, *given, "--put-strike", "0.97")
            self.assertEqual((p.returncode, p.stdout, p.stderr),
                             (64, "", f"lsdopt: hedge: missing {missing} "
                                      "(see 'lsdopt hedge --help')\n"), given)

    def test_curves_and_token_give_the_flat_rate_and_carry(self):
        """--rate-curve/--carry-curve/--token as in `lsdopt price`: a flat curve
        (one pillar) or --token steth --staking-apr is exactly the --rate/--carry
        it stands for."""
        spot_expiry_vol = [a for i, a in enumerate(MARKET)
                           if MARKET[i - (i % 2)] not in ("--rate", "--carry")]

        def doc(*market):
            p = run("hedge", *spot_expiry_vol, *market, *JUMPS, "--put-strike", "0.97",
                    "--call-strike", "1.02", "--format", "json")
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout)

        flat = doc("--rate", "0.02", "--carry", "0.0299988")
        with tempfile.TemporaryDirectory() as tmp:
            rc, qc = os.path.join(tmp, "r.csv"), os.path.join(tmp, "q.csv")
            with open(rc, "w") as f:
                f.write("tenor,rate\n1,0.02\n")
            with open(qc, "w") as f:
                f.write("tenor,rate\n0.25,0.0299988\n")
            self.assertEqual(doc("--rate-curve", rc, "--carry-curve", qc), flat)
            for extra in (["--rate-curve", rc, "--rate", "0.02", "--carry", "0.03"],
                          ["--rate", "0.02", "--carry-curve", qc, "--carry", "0.03"],
                          ["--rate", "0.02", "--staking-apr", "0.03", "--carry", "0.03"]):
                self.assertEqual(run("hedge", *spot_expiry_vol, *extra, "--put-strike", "0.97")
                                 .returncode, 64, extra)
            with open(qc, "w") as f:
                f.write("tenor,rate\n0.25,three\n")
            self.assertEqual(run("hedge", *spot_expiry_vol, "--rate", "0.02", "--carry-curve",
                                 qc, "--put-strike", "0.97").returncode, 65)
        # stETH rebases daily: q = 365 ln(1 + APR/365)
        token = doc("--rate", "0.02", "--token", "steth", "--staking-apr", "0.03")
        carry = token["inputs"]["carry"]
        self.assertLessEqual(abs(carry - 365.0 * math.log1p(0.03 / 365.0)), 1e-17)
        self.assertEqual(token, doc("--rate", "0.02", "--carry", repr(carry)))


if __name__ == "__main__":
    if not CLI:
        sys.exit("LSDOPT is not set (run through ctest)")
    unittest.main()
