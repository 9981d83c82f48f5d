"""test_model.py — end to end: every model and overlay from `lsdopt price`
and `lsdopt batch` (pricing/cli/price_cmd.c, batch*.c, model_cli.c over
lsd_model_price, pricing/models/model.h).

Numbers are checked against published values (Lewis's Heston table, Fang &
Oosterlee's Heston T = 1, Kou 2002, Surkov 2009), against the closed forms
(COS on BSM and Merton to 1e-12; the default overlay with R = 0 against BSM
at r + h, computed here in Python; R > 0 and the depeg overlay on BSM against
Merton's closed form), and against the meaning of Heston's vega (a central
difference of the price in a parallel shift of sqrt(v0) and sqrt(theta)).
`batch` gives exactly what `price` gives, row by row, with mixed models in
one file. Every new parameter's bad value and every missing one is named,
in `price` (exit 65 for a value out of domain, 64 for a missing flag) and in
a batch row's `error`.

Shares test_cli.py's helpers (run, price_args, and its independent BSM).
Run with Debian's /usr/bin/python3; standard library only.
"""

import csv
import io
import json
import math
import unittest

from test_cli import bsm, price_args, run

GREEKS = ["price", "delta", "gamma", "vega", "theta", "rho", "carry_rho"]
JUMP_SENS = ["jump_intensity_sens", "jump_mean_sens", "jump_vol_sens"]

# Lewis (2001)'s Heston case, as QuantLib's test suite tabulates it.
LEWIS = dict(type="call", spot=100, strike=100, expiry=1, rate=0.01, carry=0.02)
LEWIS_HESTON = dict(heston_v0=0.04, heston_kappa=4, heston_theta=0.25, heston_sigma=1,
                    heston_rho=-0.5)
# Kou (2002), Table 1's first case.
KOU = dict(type="call", spot=100, strike=98, expiry=0.5, rate=0.05, carry=0, vol=0.16,
           jump_intensity=1, kou_p=0.4, kou_eta_up=10, kou_eta_down=5)
# A 3-month stETH put with Merton depeg jumps.
MERTON = dict(type="put", spot=3000, strike=2700, expiry=0.25, rate=0.045, carry=0.031,
              vol=0.62, jump_intensity=0.5, jump_mean=-0.1, jump_vol=0.05)
BSM = {k: v for k, v in MERTON.items() if not k.startswith("jump")}


def price_json(test, case, *extra):
    r = run(*price_args(case, ["-f", "json", *extra]))
    test.assertEqual(r.returncode, 0, (case, extra, r.stderr))
    return json.loads(r.stdout)


def price_csv_row(test, case, *extra):
    r = run(*price_args(case, ["-f", "csv", *extra]))
    test.assertEqual(r.returncode, 0, (case, extra, r.stderr))
    rows = list(csv.reader(io.StringIO(r.stdout, newline="")))
    return dict(zip(rows[0], rows[1]))


def batch(text, *args):
    r = run("batch", *args, stdin=text)
    rows = list(csv.reader(io.StringIO(r.stdout, newline="")))
    return r, [dict(zip(rows[0], row)) for row in rows[1:]]


def close(test, got, want, rtol, atol=0.0, what=""):
    test.assertTrue(abs(got - want) <= rtol * abs(want) + atol,
                    f"{what}: got {got!r}, want {want!r} (rtol {rtol}, atol {atol})")


class PublishedValues(unittest.TestCase):
    def test_heston_is_lewis_value(self):
        obj = price_json(self, dict(LEWIS, **LEWIS_HESTON))
        self.assertEqual((obj["model"], obj["engine"]), ("heston", "cos"))
        close(self, obj["price"], 16.070154917028834, 0.0, 1e-10, "Lewis call")
        self.assertIsNone(obj["vol"])  # heston has no vol
        for name in GREEKS:
            self.assertTrue(math.isfinite(obj[name]), name)
        for name in JUMP_SENS:
            self.assertIsNone(obj[name], name)

    def test_heston_fang_oosterlee_t1(self):
        case = dict(type="call", spot=100, strike=100, expiry=1, rate=0, carry=0,
                    heston_v0=0.0175, heston_kappa=1.5768, heston_theta=0.0398,
                    heston_sigma=0.5751, heston_rho=-0.5711)
        close(self, price_json(self, case)["price"], 5.78515543437619, 0.0, 1e-10, "F-O T=1")

    def test_kou_2002_and_surkov_2009(self):
        obj = price_json(self, KOU)
        self.assertEqual((obj["model"], obj["engine"]), ("kou", "cos"))
        close(self, obj["price"], 9.14732, 0.0, 5e-6, "Kou (2002)")
        self.assertTrue(math.isfinite(obj["jump_intensity_sens"]))
        self.assertIsNone(obj["jump_mean_sens"])  # Kou has no Merton jump law
        surkov = dict(type="call", spot=100, strike=110, expiry=1, rate=0, carry=0, vol=0.2,
                      jump_intensity=0.2, kou_p=0.5, kou_eta_up=3, kou_eta_down=2)
        close(self, price_json(self, surkov)["price"], 7.27993383026, 0.0, 1e-9, "Surkov")

    def test_kou_with_no_up_jumps_is_the_pure_depeg_law(self):
        # p = 0: only down jumps; a put is dearer than with p = 0.4
        put = dict(KOU, type="put")
        depeg = price_json(self, dict(put, kou_p=0))
        self.assertGreater(depeg["price"], price_json(self, put)["price"])
        # p = 0 never jumps up: --kou-eta-up is not needed, and ignored if given
        no_up = {k: v for k, v in put.items() if k != "kou_eta_up"}
        self.assertEqual(price_json(self, dict(no_up, kou_p=0))["price"], depeg["price"])
        r = run(*price_args(dict(no_up, kou_p=0.4)))
        self.assertEqual(r.returncode, 64)
        self.assertIn("--kou-eta-up", r.stderr)


class MixedBook(unittest.TestCase):
    def test_data_mixed_models_book(self):
        """data/mixed_models_book.csv (README): every row in order, each model, the bad row named."""
        import os
        path = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mixed_models_book.csv")
        with open(path) as f:
            text = f.read()
        r, out = batch(text)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertEqual([row["id"] for row in out],
                         ["eth-bates", "steth-composite", "steth-kou-depeg", "weeth-slashing", "bad"])
        for row in out[:4]:
            self.assertEqual(row["error"], "", row["id"])
            self.assertGreater(float(row["price"]), 0.0, row["id"])
        self.assertIn("vol is not a parameter of heston (got 0.6)", out[4]["error"])
        self.assertEqual(out[4]["price"], "")


class ClosedFormsAndCos(unittest.TestCase):
    def test_cos_equals_the_closed_forms_to_1e_12(self):
        for case in (BSM, MERTON, dict(MERTON, type="call", expiry=1 / 365),
                     dict(BSM, expiry=10, strike=6000)):
            closed = price_json(self, case)
            cos = price_json(self, case, "--engine", "cos")
            self.assertEqual((closed["engine"], cos["engine"]), ("closed", "cos"))
            self.assertEqual(price_json(self, case, "--engine", "closed"), closed)
            scale = case["spot"] + case["strike"]
            for name in GREEKS[:3]:
                close(self, cos[name], closed[name], 1e-12,
                      1e-12 * (scale if name == "price" else 1.0), name)

    def test_default_overlay_r0_is_bsm_at_r_plus_h(self):
        h, T = 0.05, MERTON["expiry"]
        for type in ("call", "put"):
            case = dict(BSM, type=type)
            obj = price_json(self, case, "--default-intensity", str(h))
            self.assertEqual((obj["model"], obj["engine"]), ("bsm", "cos"))
            self.assertEqual(obj["default_recovery"], 0.0)
            want = bsm(**dict(case, rate=case["rate"] + h))["price"]
            if type == "put":  # the put pays K after default
                want += math.exp(-case["rate"] * T) * (1 - math.exp(-h * T)) * case["strike"]
            close(self, obj["price"], want, 1e-12, 0.0, type)

    def test_default_overlay_with_recovery_is_a_merton_family(self):
        h, R = 0.02, 0.3
        cos = price_json(self, BSM, "--default-intensity", str(h), "--default-recovery", str(R))
        merton = price_json(self, dict(BSM, jump_intensity=h, jump_mean=repr(math.log(R)),
                                       jump_vol=0))
        for name in GREEKS[:3]:
            close(self, cos[name], merton[name], 1e-12, 1e-9 if name == "price" else 1e-12,
                  name)

    def test_depeg_overlay_on_bsm_is_merton(self):
        depeg = ["--depeg-intensity", "0.5", "--depeg-mean", "-0.1", "--depeg-vol", "0.05"]
        cos = price_json(self, BSM, *depeg)
        self.assertEqual(cos["depeg_mean"], -0.1)
        self.assertIsNone(cos["jump_mean"])
        closed = price_json(self, MERTON)
        close(self, cos["price"], closed["price"], 1e-12, 1e-9, "depeg on bsm")
        # on merton it is a second family: the put gets dearer still
        self.assertGreater(price_json(self, MERTON, *depeg)["price"], closed["price"])

    def test_bates_without_jumps_is_heston(self):
        heston = price_json(self, dict(LEWIS, **LEWIS_HESTON))
        bates = price_json(self, dict(LEWIS, **LEWIS_HESTON, jump_intensity=0, jump_mean=-0.1,
                                      jump_vol=0.1))
        self.assertEqual(bates["model"], "bates")
        close(self, bates["price"], heston["price"], 1e-13, 0.0, "bates with lambda 0")
        for name in JUMP_SENS:
            self.assertTrue(math.isfinite(bates[name]), name)

    def test_heston_vega_is_a_parallel_shift_of_the_vols(self):
        eps = 1e-4
        case = dict(LEWIS, **LEWIS_HESTON)

        def shifted(e):
            return price_json(self, dict(case, heston_v0=repr((0.2 + e) ** 2),
                                         heston_theta=repr((0.5 + e) ** 2)))["price"]
        fd = (shifted(eps) - shifted(-eps)) / (2 * eps)
        close(self, price_json(self, case)["vega"], fd, 1e-6, 0.0, "vega")


class Tokens(unittest.TestCase):
    def test_weeth_with_a_default_overlay_through_its_conventions(self):
        # A restaking token: value-accruing (carry 0 on the token) and a
        # default overlay for the restaking layer's slashing on top.
        case = {k: v for k, v in BSM.items() if k != "carry"}
        overlay = ["--default-intensity", "0.02", "--default-recovery", "0.3"]
        obj = price_json(self, case, "--token", "weETH", *overlay)
        self.assertEqual((obj["carry"], obj["model"], obj["engine"]), (0.0, "bsm", "cos"))
        self.assertEqual(obj, price_json(self, dict(case, carry=0), *overlay))
        # dearer than the same put without the slashing risk
        self.assertGreater(obj["price"], price_json(self, dict(case, carry=0))["price"])
        text = run(*price_args(case, ["--token", "weeth", *overlay])).stdout
        self.assertIn("weeth (value-accruing, ETH, ethereum)", text)
        self.assertIn("default_recovery     0.3", text)
        for token in ("ezeth", "rseth"):
            self.assertEqual(price_json(self, case, "--token", token)["carry"], 0.0, token)


class PriceErrors(unittest.TestCase):
    def expect(self, case, extra, code, message):
        r = run(*price_args(case, extra))
        self.assertEqual((r.returncode, r.stdout), (code, ""), (extra, r.stderr))
        self.assertTrue(r.stderr.startswith("lsdopt: price: "), r.stderr)
        self.assertIn(message, r.stderr, extra)

    def test_every_bad_parameter_is_named(self):
        heston = dict(LEWIS, **LEWIS_HESTON)
        depeg = dict(BSM, depeg_intensity=1, depeg_mean=-0.1, depeg_vol=0.05)
        for case, name, bad, why in (
                (KOU, "kou_p", 1.5, "kou_p must be in [0, 1] (got 1.5): a probability"),
                (KOU, "kou_eta_up", 0.8, "kou_eta_up must be finite and > 1 (got 0.8): the up-jump mean"),
                (KOU, "kou_eta_down", 0, "kou_eta_down must be finite and > 0 (got 0)"),
                (KOU, "jump_intensity", -1, "jump_intensity must be finite and >= 0"),
                (heston, "heston_v0", -0.04, "heston_v0 must be finite and > 0"),
                (heston, "heston_kappa", 0, "heston_kappa must be finite and > 0 (got 0)"),
                (heston, "heston_theta", 0, "heston_theta must be finite and > 0 (got 0)"),
                (heston, "heston_sigma", 0, "heston_sigma must be finite and > 0 (got 0)"),
                (heston, "heston_rho", 1.5, "heston_rho must be in [-1, 1] (got 1.5)"),
                (dict(BSM, default_intensity=0.1), "default_intensity", -1,
                 "default_intensity must be finite and >= 0 (got -1)"),
                (dict(BSM, default_intensity=0.1), "default_recovery", 1,
                 "default_recovery must be in [0, 1) (got 1)"),
                (depeg, "depeg_intensity", -1, "depeg_intensity must be finite and >= 0"),
                (depeg, "depeg_vol", -0.1, "depeg_vol must be finite and >= 0")):
            self.expect(dict(case, **{name: bad}), [], 65, why)

    def test_missing_parameters_are_named(self):
        for case, missing in ((dict(KOU, kou_eta_down=None), "--kou-eta-down"),
                              (dict(KOU, jump_intensity=None), "--jump-intensity"),
                              (dict(LEWIS, **dict(LEWIS_HESTON, heston_rho=None)),
                               "--heston-rho"),
                              (dict(LEWIS, **LEWIS_HESTON, jump_intensity=1), "--jump-mean"),
                              (dict(BSM, default_recovery=0.3), "--default-intensity"),
                              (dict(BSM, depeg_intensity=1, depeg_vol=0.1), "--depeg-mean"),
                              (dict(BSM, vol=None, model="kou", jump_intensity=1, kou_p=0.4,
                                    kou_eta_up=10, kou_eta_down=5), "--vol")):
            case = {k: v for k, v in case.items() if v is not None}
            self.expect(case, [], 64, f"missing {missing}")

    def test_vol_with_heston_or_bates_says_so(self):
        for model in ("heston", "bates"):
            case = dict(LEWIS, **LEWIS_HESTON, vol=0.2, model=model)
            if model == "bates":
                case.update(jump_intensity=1, jump_mean=-0.1, jump_vol=0.1)
            self.expect(case, [], 65, f"vol is not a parameter of {model} (got 0.2")

    def test_engines(self):
        self.expect(KOU, ["--engine", "closed"], 65, "kou has no closed form")
        self.expect(BSM, ["--engine", "closed", "--default-intensity", "0.1"], 65,
                    "bsm with an overlay has no closed form")
        self.expect(BSM, ["--engine", "fft"], 64, "engine must be auto, closed or cos")
        self.expect(BSM, ["--model", "sabr"], 64, "model must be bsm, merton, kou, heston")

    def test_parameters_that_fit_no_model_are_named(self):
        self.expect(dict(KOU, **LEWIS_HESTON), [], 64, "kou_* and heston_*")
        self.expect(dict(KOU, jump_mean=-0.1), [], 64, "kou_* and jump_mean/jump_vol")
        # a named model takes its own parameters and ignores the others
        self.assertEqual(price_json(self, dict(KOU, jump_mean=-0.1, model="kou"))["price"],
                         price_json(self, KOU)["price"])

    def test_text_names_model_engine_and_vega_meaning(self):
        r = run(*price_args(dict(LEWIS, **LEWIS_HESTON)))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("European call, model heston, engine cos\n"))
        self.assertIn("per 1.00 shift of sqrt(v0), sqrt(theta)", r.stdout)
        self.assertNotIn("  vol ", r.stdout)
        help_text = run("price", "--help").stdout
        for flag in ("--kou-p", "--kou-eta-up", "--kou-eta-down", "--heston-v0",
                     "--heston-kappa", "--heston-theta", "--heston-sigma", "--heston-rho",
                     "--default-intensity", "--default-recovery", "--depeg-intensity",
                     "--depeg-mean", "--depeg-vol", "--engine", "LSD = ETH x depeg"):
            self.assertIn(flag, help_text)


# One row per model and overlay: `batch` must give what `price` gives.
ROWS = [
    ("bsm", BSM),
    ("merton", MERTON),
    ("kou", KOU),
    ("heston", dict(LEWIS, **LEWIS_HESTON)),
    ("bates", dict(LEWIS, **LEWIS_HESTON, jump_intensity=1, jump_mean=-0.1, jump_vol=0.1)),
    ("bsm-default", dict(BSM, default_intensity=0.02, default_recovery=0.3)),
    ("kou-depeg", dict(KOU, depeg_intensity=0.5, depeg_mean=-0.05, depeg_vol=0.02)),
    ("bates-both", dict(LEWIS, **LEWIS_HESTON, jump_intensity=1, jump_mean=-0.1,
                        jump_vol=0.1, default_intensity=0.01, depeg_intensity=0.5,
                        depeg_mean=-0.05, depeg_vol=0.02)),
]
COLUMNS = ["id", "model", "type", "spot", "strike", "expiry", "rate", "carry", "vol",
           "jump_intensity", "jump_mean", "jump_vol", "kou_p", "kou_eta_up", "kou_eta_down",
           "heston_v0", "heston_kappa", "heston_theta", "heston_sigma", "heston_rho",
           "default_intensity", "default_recovery", "depeg_intensity", "depeg_mean",
           "depeg_vol"]


def csv_text(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for name, case in rows:
        w.writerow([name] + [case.get(c, "") for c in COLUMNS[1:]])
    return out.getvalue()


class Batch(unittest.TestCase):
    def test_every_model_gives_what_price_gives(self):
        for engine in ("auto", "cos"):
            r, out = batch(csv_text(ROWS), "--engine", engine)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual([row["id"] for row in out], [name for name, _ in ROWS])
            for (name, case), row in zip(ROWS, out):
                self.assertEqual(row["error"], "", name)
                want = price_csv_row(self, case, "--engine", engine)
                for col in GREEKS + JUMP_SENS:
                    self.assertEqual(row[col], want[col], (engine, name, col))

    def test_mixed_models_keep_order_and_name_bad_rows(self):
        bad = [
            ("bad-eta", dict(KOU, kou_eta_up=0.8)),
            ("vol-on-heston", dict(LEWIS, **LEWIS_HESTON, vol=0.2)),
            ("missing-eta", dict(KOU, kou_eta_down="")),
            ("no-model", dict(KOU, **LEWIS_HESTON)),
            ("bad-rho", dict(LEWIS, **dict(LEWIS_HESTON, heston_rho=-1.5))),
            ("bad-recovery", dict(BSM, default_intensity=0.1, default_recovery=1)),
            ("recovery-alone", dict(BSM, default_recovery=0.3)),
            ("depeg-part", dict(BSM, depeg_intensity=1)),
        ]
        messages = {
            "bad-eta": "kou_eta_up must be finite and > 1 (got 0.8): the up-jump mean",
            "vol-on-heston": "vol is not a parameter of heston (got 0.2",
            "missing-eta": "kou needs jump_intensity, kou_p, kou_eta_up and kou_eta_down: "
                           "kou_eta_down is missing (no value in the row and no "
                           "--kou-eta-down)",
            "no-model": "kou_* and heston_*",
            "bad-rho": "heston_rho must be in [-1, 1] (got -1.5)",
            "bad-recovery": "default_recovery must be in [0, 1) (got 1)",
            "recovery-alone": "default_recovery needs default_intensity",
            "depeg-part": "the depeg overlay needs depeg_intensity, depeg_mean and depeg_vol: "
                          "depeg_mean is missing",
        }
        rows = [r for pair in zip(ROWS, bad) for r in pair] * 3  # 48 rows, interleaved
        r, out = batch(csv_text(rows))
        self.assertEqual(r.returncode, 65)
        self.assertEqual([row["id"] for row in out], [name for name, _ in rows])
        good = {name: row for name, row in zip([n for n, _ in rows], out)
                if name in dict(ROWS)}
        for row in out:
            if row["id"] in messages:
                self.assertIn(messages[row["id"]], row["error"], row["id"])
                self.assertEqual(row["price"], "")
            else:
                self.assertEqual(row["error"], "", row["id"])
                self.assertEqual(row["price"], good[row["id"]]["price"])

    def test_flags_are_fallbacks_and_vol_is_not_a_heston_rows(self):
        # kou's shape from flags; --vol applies to the kou row, not the heston one
        text = ("id,type,spot,strike,expiry,rate,carry,jump_intensity,heston_v0,heston_kappa,"
                "heston_theta,heston_sigma,heston_rho\n"
                "kou,call,100,98,0.5,0.05,0,1,,,,,\n"
                "heston,call,100,100,1,0.01,0.02,,0.04,4,0.25,1,-0.5\n")
        r, out = batch(text, "--vol", "0.16", "--kou-p", "0.4", "--kou-eta-up", "10",
                       "--kou-eta-down", "5", "--model", "kou")
        self.assertEqual(r.returncode, 65)  # --model kou: the heston row lacks kou's
        self.assertEqual(out[0]["price"], price_csv_row(self, KOU)["price"])
        self.assertIn("kou needs", out[1]["error"])
        text = text.replace("id,type", "id,model,type").replace("kou,call", "kou,,call") \
                   .replace("heston,call", "heston,heston,call")
        r, out = batch(text, "--vol", "0.16", "--kou-p", "0.4", "--kou-eta-up", "10",
                       "--kou-eta-down", "5", "--model", "kou")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out[0]["price"], price_csv_row(self, KOU)["price"])
        self.assertEqual(out[1]["price"],
                         price_csv_row(self, dict(LEWIS, **LEWIS_HESTON))["price"])

    def test_engine_closed_fails_the_rows_without_a_closed_form(self):
        r, out = batch(csv_text(ROWS), "--engine", "closed")
        self.assertEqual(r.returncode, 65)
        for (name, _), row in zip(ROWS, out):
            if name in ("bsm", "merton"):
                self.assertEqual(row["error"], "", name)
            else:
                self.assertIn("has no closed form", row["error"], name)
        r, _ = batch(csv_text(ROWS), "--engine", "fft")
        self.assertEqual(r.returncode, 64)
        self.assertIn("engine must be auto, closed or cos", r.stderr)

    def test_a_price_cell_needs_a_vol_on_non_bsm_rows(self):
        text = ("type,spot,strike,expiry,rate,carry,price,jump_intensity,kou_p,kou_eta_up,"
                "kou_eta_down\ncall,100,98,0.5,0.05,0,9.1,1,0.4,10,5\n")
        r, out = batch(text)
        self.assertEqual(r.returncode, 65)
        self.assertEqual(out[0]["error"],
                         "a kou row needs a vol (the implied vol from price is BSM's)")


if __name__ == "__main__":
    unittest.main()
