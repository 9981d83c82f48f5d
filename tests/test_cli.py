"""test_cli.py — end to end: the `lsdopt` command line (pricing/cli/).

Runs the executable named by $LSDOPT (CTest sets it) and checks what a user
and a program see: `lsdopt price` in text, csv and json against an
independent generalized-BSM computation in Python (math.erfc; Haug, The
Complete Guide to Option Pricing Formulas, 2nd ed. (2007), §1.1.6 and §2.1),
put–call parity with carry, date expiries against year expiries, and
`lsdopt batch` as a CSV filter (pass-through and quoting, column mapping,
flags as fallback columns, stdin/stdout, one output row per input row with
bad rows reported in `error`), plus exit codes, --help and --version.

Run with Debian's /usr/bin/python3; standard library only.
"""

import csv
import datetime
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("LSDOPT")

OUTPUTS = ["price", "delta", "gamma", "vega", "theta", "rho", "carry_rho",
           "jump_intensity_sens", "jump_mean_sens", "jump_vol_sens", "error"]
GREEKS = ["price", "delta", "gamma", "vega", "theta", "rho", "carry_rho"]

# The worked example of STYLE.md: a quarter-year stETH call with staking carry.
CASE = dict(type="call", spot=3000.0, strike=3200.0, expiry=0.25, rate=0.045,
            carry=0.031, vol=0.62)


def norm_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def norm_pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def bsm(type, spot, strike, expiry, rate, carry, vol):
    """Generalized BSM price and greeks (natural units), independently of
    the library: Haug (2007) §1.1.6 and §2.1 with b = r − q."""
    s = vol * math.sqrt(expiry)
    d1 = (math.log(spot / strike) + (rate - carry) * expiry) / s + 0.5 * s
    d2 = d1 - s
    dq, dr = math.exp(-carry * expiry), math.exp(-rate * expiry)
    w = 1.0 if type == "call" else -1.0
    nd1, nd2 = norm_cdf(w * d1), norm_cdf(w * d2)
    return {
        "price": w * (spot * dq * nd1 - strike * dr * nd2),
        "delta": w * dq * nd1,
        "gamma": dq * norm_pdf(d1) / (spot * s),
        "vega": spot * dq * norm_pdf(d1) * math.sqrt(expiry),
        "theta": (-spot * dq * norm_pdf(d1) * vol / (2.0 * math.sqrt(expiry))
                  - w * rate * strike * dr * nd2 + w * carry * spot * dq * nd1),
        "rho": w * strike * expiry * dr * nd2,
        "carry_rho": -w * expiry * spot * dq * nd1,
    }


def run(*args, stdin=None):
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def price_args(case, extra=()):
    args = ["price"]
    for name, value in case.items():
        args += ["--" + name.replace("_", "-"), str(value)]
    return args + list(extra)


def read_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def close(test, got, want, rtol, what=""):
    test.assertTrue(abs(got - want) <= rtol * abs(want),
                    f"{what}: got {got!r}, want {want!r} (rtol {rtol})")


class Price(unittest.TestCase):
    def test_csv_matches_independent_bsm(self):
        r = run(*price_args(CASE, ["--format", "csv"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        header, rows = read_csv(r.stdout)
        self.assertEqual(len(rows), 1)
        row = dict(zip(header, rows[0]))
        self.assertEqual(row["model"], "bsm")
        want = bsm(**CASE)
        for name in GREEKS:
            close(self, float(row[name]), want[name], 1e-12, name)
        # inputs read back exactly; bsm has no jump outputs
        self.assertEqual(float(row["rate"]), 0.045)
        self.assertEqual(float(row["expiry"]), 0.25)
        for name in ("jump_intensity_sens", "jump_mean_sens", "jump_vol_sens"):
            self.assertEqual(row[name], "")

    def test_json_parses_and_round_trips(self):
        r = run(*price_args(CASE, ["--format", "json"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        obj = json.loads(r.stdout)
        want = bsm(**CASE)
        for name in GREEKS:
            close(self, obj[name], want[name], 1e-12, name)
        self.assertEqual((obj["type"], obj["model"]), ("call", "bsm"))
        self.assertEqual((obj["spot"], obj["carry"], obj["vol"]), (3000.0, 0.031, 0.62))
        self.assertIsNone(obj["jump_intensity_sens"])
        # csv and json carry the same doubles
        header, rows = read_csv(run(*price_args(CASE, ["-f", "csv"])).stdout)
        row = dict(zip(header, rows[0]))
        for name in GREEKS:
            self.assertEqual(float(row[name]), obj[name], name)

    def test_text_table_names_values_and_scaled_units(self):
        r = run(*price_args(CASE))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = {line.split()[0]: line.split() for line in r.stdout.splitlines() if line.strip()}
        want = bsm(**CASE)
        for name in GREEKS:
            close(self, float(lines[name][1]), want[name], 1e-9, name)
        self.assertIn("per day", " ".join(lines["theta"]))
        self.assertIn("per 1% vol", " ".join(lines["vega"]))

    def test_put_call_parity_with_carry(self):
        prices = {}
        for type in ("call", "put"):
            r = run(*price_args(dict(CASE, type=type), ["-f", "json"]))
            self.assertEqual(r.returncode, 0, r.stderr)
            prices[type] = json.loads(r.stdout)["price"]
        c = CASE
        forward_value = (c["spot"] * math.exp(-c["carry"] * c["expiry"])
                         - c["strike"] * math.exp(-c["rate"] * c["expiry"]))
        self.assertLess(abs(prices["call"] - prices["put"] - forward_value),
                        1e-12 * c["spot"])

    def test_date_expiry_agrees_with_year_expiry(self):
        valuation = "2026-01-15T15:34:52Z"
        r = run(*price_args(dict(CASE, expiry="2026-03-27"),
                            ["--valuation-time", valuation, "-f", "json"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        dated = json.loads(r.stdout)
        # a bare date is 08:00 UTC; ACT/365F
        t0 = datetime.datetime(2026, 1, 15, 15, 34, 52, tzinfo=datetime.timezone.utc)
        t1 = datetime.datetime(2026, 3, 27, 8, 0, 0, tzinfo=datetime.timezone.utc)
        years = (t1 - t0).total_seconds() / (365 * 86400)
        close(self, dated["expiry"], years, 1e-15, "year fraction")
        self.assertEqual(dated["expiry_date"], "2026-03-27T08:00:00Z")
        self.assertEqual(dated["valuation_time"], valuation)
        r = run(*price_args(dict(CASE, expiry=repr(dated["expiry"])), ["-f", "json"]))
        in_years = json.loads(r.stdout)
        for name in GREEKS:
            self.assertEqual(dated[name], in_years[name], name)
        close(self, dated["price"], bsm(**dict(CASE, expiry=years))["price"], 1e-12, "price")

    def test_jump_flags_select_merton_and_zero_intensity_is_bsm(self):
        jumps = ["--jump-intensity", "0", "--jump-mean", "-0.1", "--jump-vol", "0.05"]
        r = run(*price_args(CASE, jumps + ["-f", "json"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        obj = json.loads(r.stdout)
        self.assertEqual(obj["model"], "merton")
        close(self, obj["price"], bsm(**CASE)["price"], 1e-12, "merton with lambda = 0")
        # a depeg risk makes the put dearer than BSM's
        jumps[1] = "2"
        put = dict(CASE, type="put")
        merton = json.loads(run(*price_args(put, jumps + ["-f", "json"])).stdout)
        self.assertGreater(merton["price"], bsm(**put)["price"])
        self.assertGreater(merton["jump_intensity_sens"], 0.0)

    def test_output_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.json")
            r = run(*price_args(CASE, ["-f", "json", "-o", path]))
            self.assertEqual((r.returncode, r.stdout), (0, ""))
            with open(path) as f:
                close(self, json.load(f)["price"], bsm(**CASE)["price"], 1e-12, "price")

    def test_bad_input_exit_codes(self):
        usage = [
            price_args(CASE, ["--bogus"]),
            price_args({k: v for k, v in CASE.items() if k != "spot"}),
            price_args(dict(CASE, spot="3000x")),
            price_args(dict(CASE, spot="nan")),
            price_args(dict(CASE, vol="inf")),
            price_args(dict(CASE, type="straddle")),
            price_args(dict(CASE, expiry="2026-13-01")),
            price_args(CASE, ["--format", "xml"]),
            price_args(CASE, ["--model", "heston"]),
            price_args(CASE, ["--model", "merton"]),  # merton without jump flags
            price_args(CASE, ["stray"]),
        ]
        for args in usage:
            r = run(*args)
            self.assertEqual(r.returncode, 64, args)
            self.assertTrue(r.stderr.startswith("lsdopt: "), r.stderr)
            self.assertEqual(r.stdout, "")
        for bad in (dict(CASE, vol=-0.2), dict(CASE, strike=0),
                    dict(CASE, expiry="2025-01-01")):  # expired (valuation: now)
            r = run(*price_args(bad))
            self.assertEqual(r.returncode, 65, (bad, r.stderr))
            self.assertTrue(r.stderr.startswith("lsdopt: "), r.stderr)


class Batch(unittest.TestCase):
    def batch(self, text, *args):
        r = run("batch", *args, stdin=text)
        header, rows = read_csv(r.stdout)
        return r, header, rows

    def test_passthrough_quoting_crlf_and_prices(self):
        text = ('id,type,spot,strike,expiry,rate,carry,vol,note\r\n'
                '1,call,3000,3200,0.25,0.045,0.031,0.62,"a, ""quoted"" note"\r\n'
                '2,put,3000,3200,0.25,0.045,0.031,0.62,"two\nlines"\r\n'
                '3,call,2500,2400,1.5,0.04,0.03,0.8,"  padded  "\r\n')
        r, header, rows = self.batch(text)
        self.assertEqual(r.returncode, 0, r.stderr)
        inputs = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(header, inputs[0] + OUTPUTS)
        self.assertEqual(len(rows), 3)
        for row_in, row_out in zip(inputs[1:], rows):
            self.assertEqual(row_out[:len(row_in)], row_in)
            got = dict(zip(header, row_out))
            case = {k: got[k] if k == "type" else float(got[k]) for k in CASE}
            want = bsm(**case)
            for name in GREEKS:
                close(self, float(got[name]), want[name], 1e-12, name)
            self.assertEqual([got[k] for k in OUTPUTS[7:]], ["", "", "", ""])

    def test_bad_row_in_the_middle(self):
        good = "call,3000,3200,0.25,0.045,0.031,0.62"
        bad_rows = ["call,abc,3200,0.25,0.045,0.031,0.62",
                    "call,nan,3200,0.25,0.045,0.031,0.62",
                    "call,3000,3200,inf,0.045,0.031,0.62",
                    "call,3000,3200,0.25,0.045,0.031,",
                    "call,3000,3200,0.25 x,0.045,0.031,0.62",
                    "swap,3000,3200,0.25,0.045,0.031,0.62",
                    "call,3000,3200,0.25,0.045,0.031,-0.62",
                    "call,3000,3200,0.25,0.045,0.031"]
        for bad in bad_rows:
            text = "type,spot,strike,expiry,rate,carry,vol\n" + "\n".join([good, bad, good]) + "\n"
            r, header, rows = self.batch(text)
            self.assertEqual(r.returncode, 65, bad)
            self.assertEqual(len(rows), 3, bad)
            out = [dict(zip(header, row)) for row in rows]
            self.assertNotEqual(out[1]["error"], "", bad)
            self.assertEqual([out[1][k] for k in OUTPUTS[:-1]], [""] * 10, bad)
            for i in (0, 2):
                self.assertEqual(out[i]["error"], "")
                close(self, float(out[i]["price"]), bsm(**CASE)["price"], 1e-12, "price")

    def test_spaces_around_numbers_are_accepted(self):
        text = 'type,spot,strike,expiry,rate,carry,vol\ncall," 3000 ",3200,0.25,0.045,0.031,0.62\n'
        r, header, rows = self.batch(text)
        self.assertEqual(r.returncode, 0, r.stderr)
        close(self, float(dict(zip(header, rows[0]))["price"]), bsm(**CASE)["price"], 1e-12, "")

    def test_column_mapping_and_flags_as_fallback(self):
        text = ("option_type,underlying,strike,years,vol,rate\n"
                "call,3000,3200,0.25,0.62,\n"         # empty rate cell: the flag
                "put,3000,3200,0.25,0.62,0.01\n")     # the cell wins
        r, header, rows = self.batch(text, "--column", "type=option_type",
                                     "--column", "spot=underlying", "--column", "expiry=years",
                                     "--rate", "0.045", "--carry", "0.031")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(header[:6],
                         ["option_type", "underlying", "strike", "years", "vol", "rate"])
        out = [dict(zip(header, row)) for row in rows]
        close(self, float(out[0]["price"]), bsm(**CASE)["price"], 1e-12, "flag rate")
        want = bsm(**dict(CASE, type="put", rate=0.01))["price"]
        close(self, float(out[1]["price"]), want, 1e-12, "cell rate")
        # a column the file lacks and no flag: every row says what is missing
        r, header, rows = self.batch(text, "--column", "type=option_type",
                                     "--column", "spot=underlying", "--column", "expiry=years")
        self.assertEqual(r.returncode, 65)
        self.assertIn("carry is missing", dict(zip(header, rows[1]))["error"])
        # mapping to a header the file does not have
        r = run("batch", "--column", "spot=nope", stdin=text)
        self.assertEqual(r.returncode, 65)
        self.assertIn("nope", r.stderr)

    def test_dates_jumps_and_model_columns(self):
        text = ("type,spot,strike,expiry_date,valuation_time,vol,jump_intensity,jump_mean,"
                "jump_vol,model\n"
                "call,3000,3200,2026-03-27,2026-01-15T15:34:52Z,0.62,,,,\n"
                "put,3000,3200,2026-03-27T08:00:00+00:00,2026-01-15T15:34:52.000Z,0.62,"
                "2,-0.1,0.05,\n"
                "put,3000,3200,2026-03-27,2026-01-15T15:34:52Z,0.62,2,-0.1,0.05,bsm\n")
        r, header, rows = self.batch(text, "--rate", "0.045", "--carry", "0.031")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = [dict(zip(header, row)) for row in rows]
        t0 = datetime.datetime(2026, 1, 15, 15, 34, 52, tzinfo=datetime.timezone.utc)
        t1 = datetime.datetime(2026, 3, 27, 8, 0, 0, tzinfo=datetime.timezone.utc)
        years = (t1 - t0).total_seconds() / (365 * 86400)
        close(self, float(out[0]["price"]), bsm(**dict(CASE, expiry=years))["price"], 1e-12, "")
        self.assertEqual(out[0]["jump_intensity_sens"], "")  # no jumps: bsm
        self.assertNotEqual(out[1]["jump_intensity_sens"], "")  # jumps: merton
        put = bsm(**dict(CASE, type="put", expiry=years))["price"]
        self.assertGreater(float(out[1]["price"]), put)
        close(self, float(out[2]["price"]), put, 1e-12, "model column bsm")
        # the jump shape from flags: the merton row prices as with cells; jump
        # flags count as jump parameters, so the row without an intensity fails
        flags = ("--rate", "0.045", "--carry", "0.031", "--jump-mean", "-0.1",
                 "--jump-vol", "0.05")
        shapeless = text.replace("2,-0.1,0.05,\n", "2,,,\n")
        r, header, rows = self.batch(shapeless, *flags)
        self.assertEqual(r.returncode, 65)
        again = [dict(zip(header, row)) for row in rows]
        self.assertIn("jump_intensity", again[0]["error"])
        self.assertEqual(again[1]["price"], out[1]["price"])
        # --model applies to rows without a model cell
        r, header, rows = self.batch(shapeless, *flags, "--model", "bsm")
        self.assertEqual(r.returncode, 0, r.stderr)
        close(self, float(dict(zip(header, rows[1]))["price"]), put, 1e-12, "--model bsm")
        # expiry and expiry_date in one row is ambiguous
        r, header, rows = self.batch(text, "--rate", "0.045", "--carry", "0.031",
                                     "--expiry", "0.25")
        self.assertEqual(r.returncode, 65)
        self.assertIn("not both", dict(zip(header, rows[0]))["error"])
        # merton needs all three jump parameters
        r, header, rows = self.batch(text.replace("2,-0.1,0.05,\n", "2,,0.05,\n"), "--rate",
                                     "0.045", "--carry", "0.031")
        self.assertEqual(r.returncode, 65)
        self.assertIn("jump_mean", dict(zip(header, rows[1]))["error"])
        # an expiry date at or before the valuation time names both instants
        r, header, rows = self.batch(text, "--rate", "0.045", "--carry", "0.031",
                                     "--column", "valuation_time=expiry_date",
                                     "--column", "expiry_date=valuation_time")
        self.assertEqual(r.returncode, 65)
        self.assertEqual(dict(zip(header, rows[0]))["error"],
                         "expiry_date 2026-01-15T15:34:52Z is not after "
                         "valuation_time 2026-03-27T08:00:00Z")

    def test_input_column_named_like_an_output_is_kept(self):
        # Deribit exports have delta and vega: theirs stay, ours get a prefix
        text = ("price,type,spot,strike,expiry,rate,carry,vol,lsdopt_price\n"
                "99,call,3000,3200,0.25,0.045,0.031,0.62,98\n")
        r, header, rows = self.batch(text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(header, ["price", "type", "spot", "strike", "expiry", "rate", "carry",
                                  "vol", "lsdopt_price", "lsdopt_lsdopt_price"] + OUTPUTS[1:])
        self.assertEqual(len(set(header)), len(header))
        self.assertEqual((rows[0][0], rows[0][8]), ("99", "98"))
        close(self, float(rows[0][9]), bsm(**CASE)["price"], 1e-12, "price")

    def test_files_stdin_and_stdout(self):
        text = "type,spot,strike,expiry,rate,carry,vol\ncall,3000,3200,0.25,0.045,0.031,0.62\n"
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "in.csv"), os.path.join(tmp, "out.csv")
            with open(src, "w") as f:
                f.write(text)
            r = run("batch", src, "-o", dst)
            self.assertEqual((r.returncode, r.stdout), (0, ""))
            with open(dst) as f:
                from_file = f.read()
            self.assertEqual(run("batch", "-", "-o", "-", stdin=text).stdout, from_file)
            self.assertEqual(run("batch", src).stdout, from_file)
            self.assertEqual(run("batch", src, "-o", src).returncode, 64)  # would clobber
            self.assertEqual(run("batch", os.path.join(tmp, "missing.csv")).returncode, 66)
        self.assertEqual(run("batch", stdin="").stdout, "")  # empty in, empty out

    def test_usage_errors(self):
        for args in (["batch", "--bogus"], ["batch", "--rate", "x"], ["batch", "--model", "kou"],
                     ["batch", "--column", "nonsense=x"], ["batch", "--column", "spot"],
                     ["batch", "a.csv", "b.csv"], ["frobnicate"], []):
            r = run(*args, stdin="")
            self.assertEqual(r.returncode, 64, args)
            self.assertTrue(r.stderr.startswith("lsdopt: ") or not args, (args, r.stderr))

    def test_write_error_exits_74(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        text = "type,spot,strike,expiry,rate,carry,vol\ncall,3000,3200,0.25,0.045,0.031,0.62\n"
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "in.csv")
            with open(src, "w") as f:
                f.write(text * 1 + "call,3000,3200,0.25,0.045,0.031,0.62\n" * 50000)
            r = run("batch", src, "-o", "/dev/full")
            self.assertEqual(r.returncode, 74, r.stderr)
            r = run("batch", "-o", "/dev/full", stdin=text)  # small: fails at close
            self.assertEqual(r.returncode, 74, r.stderr)
        self.assertEqual(run(*price_args(CASE, ["-o", "/dev/full"])).returncode, 74)
        self.assertEqual(run(*price_args(CASE, ["-f", "json", "-o", "/dev/full"])).returncode, 74)


class HelpAndVersion(unittest.TestCase):
    def test_help_on_every_command(self):
        for args in (["--help"], ["price", "--help"], ["batch", "--help"], ["batch", "-h"]):
            r = run(*args)
            self.assertEqual(r.returncode, 0, args)
            self.assertEqual(r.stderr, "")
            self.assertIn("Usage: lsdopt", r.stdout)
            self.assertIn("64", r.stdout)  # exit codes documented

    def test_version_names_gsl_and_libcsv(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        first = r.stdout.splitlines()[0].split()
        self.assertEqual(first[0], "lsdopt")
        self.assertRegex(first[1], r"^\d+\.\d+\.\d+$")
        self.assertRegex(r.stdout, r"(?m)^GSL \d+\.\d+")
        self.assertRegex(r.stdout, r"(?m)^libcsv \d+\.\d+\.\d+$")


if __name__ == "__main__":
    if not CLI or not os.access(CLI, os.X_OK):
        print(f"test_cli: LSDOPT must name the lsdopt executable (got {CLI!r})")
        sys.exit(1)
    unittest.main()
