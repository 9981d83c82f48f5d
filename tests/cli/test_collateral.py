"""test_collateral.py — end to end: `lsdopt collateral`
(pricing/cli/collateral_cmd.c over pricing/analytics/collateral.c).

* market oracle without jumps: the closed form equals the first-passage
  formula of a drifted Brownian motion written here (math.erfc), the
  monitored one the same with the Broadie–Glasserman–Kou barrier shift
  beta = -zeta(1/2)/sqrt(2 pi) (mpmath), and the Monte Carlo agrees with
  it within 3 standard errors;
* exchange-rate oracle: liquidation at t* = ln(H0)/(rb - y) exactly, and
  with slashing (rb > y) the Poisson tail summed here;
* the protective put: strike D e^(rb T)/(N LT), price equal to
  `lsdopt price --type put` at that strike;
* csv and json carry the same numbers; a seed reproduces the run;
* usage errors exit 64, an already liquidatable position 65; a partial
  jump set and --paths/--seed out of range name the flag.

Run with Debian's /usr/bin/python3 (python3-mpmath).
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

import mpmath

CLI = os.environ.get("LSDOPT")

LOOP = ["--tokens", "100", "--debt", "105", "--spot", "1.19",
        "--liquidation-threshold", "0.95", "--staking-yield", "0.03", "--horizon", "1"]


def run(*args):
    return subprocess.run([CLI, "collateral", *args], capture_output=True, text=True)


def run_json(*args):
    p = run(*args, "--format", "json")
    if p.returncode != 0:
        raise AssertionError(p.stderr)
    return json.loads(p.stdout)


def phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def passage(x0, nu, sigma, t):
    """P(min over [0, t] of x0 + nu s + sigma W_s < 0)."""
    s = sigma * math.sqrt(t)
    return phi((-x0 - nu * t) / s) + math.exp(-2 * nu * x0 / sigma ** 2) * phi((-x0 + nu * t) / s)


class Collateral(unittest.TestCase):
    def test_market_closed_form_and_monte_carlo(self):
        out = run_json(*LOOP, "--borrow-rate", "0.025", "--oracle", "market", "--vol", "0.05",
                       "--drift", "0.01", "--seed", "9")
        x0 = math.log(100 * 1.19 * 0.95 / 105)
        nu = 0.01 - 0.05 ** 2 / 2 - 0.025
        self.assertAlmostEqual(out["health"], 100 * 1.19 * 0.95 / 105, places=14)
        self.assertLess(abs(out["prob_analytic"] / passage(x0, nu, 0.05, 1.0) - 1), 1e-12)
        beta = float(-mpmath.zeta(0.5) / mpmath.sqrt(2 * mpmath.pi))
        shifted = passage(x0 + beta * 0.05 * math.sqrt(1 / 365), nu, 0.05, 1.0)
        self.assertLess(abs(out["prob_analytic_monitored"] / shifted - 1), 1e-12)
        self.assertGreater(out["prob_mc"], 0.1)
        self.assertLess(abs(out["prob_mc"] - out["prob_analytic_monitored"]),
                        3 * out["prob_mc_se"])
        self.assertIsNone(out["liquidation_time"])
        # Penalty 5% of the debt repaid, debt between D and D e^(rb T).
        self.assertTrue(0.05 * 105 <= out["loss_given_liquidation"] <= 0.05 * 105 * math.exp(0.025))
        self.assertAlmostEqual(out["expected_loss"],
                               out["prob_mc"] * out["loss_given_liquidation"], places=12)

    def test_put_is_lsdopt_price(self):
        out = run_json(*LOOP, "--borrow-rate", "0.025", "--oracle", "market", "--vol", "0.05",
                       "--paths", "100")
        k = 105 * math.exp(0.025) / (100 * 0.95)
        self.assertLess(abs(out["put_strike"] / k - 1), 1e-15)
        p = subprocess.run([CLI, "price", "--type", "put", "--spot", "1.19", "--strike",
                            repr(out["put_strike"]), "--expiry", "1", "--rate", "0.025",
                            "--carry", "0", "--vol", "0.05", "--format", "json"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out["put_price"], json.loads(p.stdout)["price"])
        self.assertAlmostEqual(out["put_cost"], 100 * out["put_price"], places=12)
        self.assertEqual(out["put_model"], "bsm")

    def test_exchange_rate_deterministic_and_slashing(self):
        out = run_json(*LOOP, "--borrow-rate", "0.06", "--oracle", "exchange-rate",
                       "--horizon", "3", "--paths", "200")
        t_star = math.log(100 * 1.19 * 0.95 / 105) / (0.06 - 0.03)
        self.assertLess(abs(out["liquidation_time"] / t_star - 1), 1e-14)
        self.assertEqual((out["prob_analytic"], out["prob_mc"]), (1.0, 1.0))
        self.assertIsNone(out["put_price"])  # no --vol: the put is not priced

        out = run_json(*LOOP, "--borrow-rate", "0.035", "--oracle", "exchange-rate",
                       "--slashing-intensity", "2", "--slashing-loss", "0.01")
        b = (math.log(out["health"]) - 0.005) / -math.log(0.99)
        tail = 1 - sum(math.exp(-2) * 2 ** k / math.factorial(k) for k in range(int(b) + 1))
        self.assertLess(abs(out["prob_analytic"] / tail - 1), 1e-10)
        self.assertLess(abs(out["prob_mc"] - out["prob_analytic"]), 3 * out["prob_mc_se"])

    def test_formats_agree_and_seed_reproduces(self):
        args = [*LOOP, "--borrow-rate", "0.025", "--oracle", "market", "--vol", "0.05",
                "--jump-intensity", "0.5", "--jump-mean", "-0.05", "--jump-vol", "0.03",
                "--paths", "5000", "--seed", "4"]
        a, b = run_json(*args), run_json(*args)
        self.assertEqual(a, b)
        self.assertIsNone(a["prob_analytic"])  # jumps: Monte Carlo only
        self.assertEqual(a["put_model"], "merton")
        c = run_json(*args[:-1], "5")
        self.assertNotEqual(a["paths_liquidated"], c["paths_liquidated"])
        p = run(*args, "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["prob_analytic"], "")
        for name in ("prob_mc", "loss_given_liquidation", "put_strike", "put_cost"):
            self.assertEqual(float(rows[0][name]), a[name])
        self.assertEqual(int(rows[0]["paths_liquidated"]), a["paths_liquidated"])
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "risk.txt")
            p = run(*args, "-o", path)
            self.assertEqual((p.returncode, p.stdout), (0, ""))
            with open(path, encoding="utf-8") as f:
                text = f.read()
        self.assertIn("P(liquidation), Monte Carlo", text)
        self.assertIn("protective put strike", text)

    def test_errors(self):
        good = [*LOOP, "--borrow-rate", "0.025", "--vol", "0.05"]
        self.assertEqual(run("--help").returncode, 0)
        for bad in (good,                                            # no --oracle
                    [*good, "--oracle", "chainlink"],
                    [*good, "--oracle", "market", "--slashing-loss", "0.1"],
                    [*good, "--oracle", "market", "--paths", "1.5"],
                    [*good, "--oracle", "market", "--seed", "-1"],
                    [*good, "--oracle", "market", "--drift", "nan"],
                    [*good, "--oracle", "market", "--format", "xml"],
                    [*LOOP, "--borrow-rate", "0.025", "--oracle", "market"]):  # no --vol
            p = run(*bad)
            self.assertEqual(p.returncode, 64, bad)
            self.assertTrue(p.stderr.startswith("lsdopt: "), p.stderr)
        p = run(*good, "--oracle", "market", "--debt", "120")
        self.assertEqual(p.returncode, 65)
        self.assertIn("already liquidatable", p.stderr)
        p = run(*good, "--oracle", "exchange-rate", "--slashing-loss", "1")
        self.assertEqual(p.returncode, 65)

    GOOD = [*LOOP, "--borrow-rate", "0.025", "--oracle", "market", "--vol", "0.05"]

    def test_partial_jumps_name_the_first_missing_flag(self):
        """A partial --jump-* set is a usage error (the missing ones do not
        default to 0), worded as every command's missing flag."""
        for given, missing in ((["--jump-intensity", "0.5"], "--jump-mean"),
                               (["--jump-intensity", "0.5", "--jump-mean", "-0.05"], "--jump-vol"),
                               (["--jump-vol", "0.03"], "--jump-intensity")):
            p = run(*self.GOOD, *given)
            self.assertEqual((p.returncode, p.stdout, p.stderr),
                             (64, "", f"lsdopt: collateral: missing {missing} "
                                      "(see 'lsdopt collateral --help')\n"), given)

    def test_paths_and_seed_out_of_range_are_worded_as_in_hedge(self):
        for flag, value, bounds in (("--paths", "1.5", "[2, 1000000000]"),
                                    ("--paths", "0", "[2, 1000000000]"),
                                    ("--paths", "1000000001", "[2, 1000000000]"),
                                    ("--seed", "-1", "[0, 4294967295]"),
                                    ("--seed", "4294967296", "[0, 4294967295]")):
            p = run(*self.GOOD, flag, value)
            self.assertEqual((p.returncode, p.stdout, p.stderr),
                             (64, "", f"lsdopt: collateral: {flag} must be an integer in "
                                      f"{bounds} (got {value})\n"), (flag, value))


if __name__ == "__main__":
    if not CLI:
        sys.exit("LSDOPT (path of the lsdopt binary) is not set")
    unittest.main()
