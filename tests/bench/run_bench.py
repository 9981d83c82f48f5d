#!/usr/bin/python3
"""run_bench.py — runs lsdopt's benchmarks and prints one summary table.

Runs, each pinned to one CPU (--cpu, default 0) with taskset when it exists:
  * bench_pricing: ns per option for lsd_bsm_price and lsd_merton_price,
    ns per call for lsd_implied_vol_bsm (issue 4 §1);
  * bench_quantlib (if built): QuantLib 1.29's AnalyticEuropeanEngine and
    JumpDiffusionEngine on the same book;
  * the COS engine (issue 11 §4): Heston and Bates per option at 1e-10
    accuracy next to QuantLib's AnalyticHestonEngine and BatesEngine at
    their equal accuracy (each program measures its configurations' errors
    against the same reference and says which it timed), the speed-up
    (target >= 20x), 40-strike chains per strike (target <= 300 ns) with the
    split into per-expiry setup and per-strike series, Kou per option;
  * `lsdopt batch` end to end over the generated CSV: once to warm the page
    cache, then REPS timed runs with stdout to /dev/null and REPS with
    `-o FILE`, wall time by CLOCK_MONOTONIC, median reported as rows/s. The
    run must exit 0 (every row priced) and the file must hold one line per
    row plus the header;
  * `lsdopt calibrate --model merton` on each Deribit snapshot in --data-dir
    (issue 4 §4: at most 0.5 s per snapshot, single-threaded): REPS timed
    runs per snapshot, median, and the slowest snapshot's median reported.

Beside each wall-time number the table shows CPU time (the thread's for the
pricing programs, getrusage of the child for the batch runs). Where wall
time exceeds it by more than 10% another process shared the CPU: the run
says so, and what the verdict would be by CPU time.

Targets and reference numbers are those of issue 2 §5 (measured there on
this machine class, 2 vCPU) and issue 11 §4 (which sets no target for the
mixed-model batch: it is reported). A missed target is reported, not an error:
the exit status is 1 only if a program failed.

Called by the `bench` target (tests/bench/CMakeLists.txt) with the paths.
"""
import argparse
import csv
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

REPS = 3

# (key printed by the program, label, unit shown, scale from ns, target or None,
#  issue 2 reference)
PRICING_ROWS = [
    ("bsm_ns_per_option", "lsdopt BSM price + 6 greeks", "ns/option", 1.0,
     ("<=", 80.0), "plain C 64 ns"),
    ("merton_ns_per_option", "lsdopt Merton price + 9 greeks", "ns/option", 1.0,
     ("<=", 800.0), "plain C 780 ns"),
    ("iv_ns_per_call", "lsdopt implied vol (BSM, 1e-12 round trip)", "ns/call", 1.0,
     ("<=", 250.0), "issue 4: Jaeckel LBR 205 ns, QuantLib 18 us"),
    ("ql_analytic_ns_per_option", "QuantLib AnalyticEuropeanEngine", "us/option", 1e-3,
     None, "2.5 us"),
    ("ql_jump_diffusion_ns_per_option", "QuantLib JumpDiffusionEngine, 1e-12", "us/option",
     1e-3, None, "29 us at equal accuracy"),
    ("ql_jump_diffusion_default_ns_per_option", "QuantLib JumpDiffusionEngine, 1e-4",
     "us/option", 1e-3, None, "(QuantLib's default accuracy)"),
]
# The COS rows (issue 11 §4), per model.
COS_MODELS = (("heston", "Heston", "AnalyticHestonEngine"), ("bates", "Bates", "BatesEngine"))
SPEEDUP_TARGET = (">=", 20.0)
CHAIN_TARGET = ("<=", 300.0)
BATCH_TARGET = (">=", 1e6)
CALIBRATE_TARGET = ("<=", 0.5)


def pin(cmd, cpu):
    """Prefix cmd with taskset -c CPU if taskset is available."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", str(cpu)] + cmd if taskset else cmd


# "<key> <value> <unit>, cpu <value> (...)" as bench_timing.c prints it, or
# "<key> <value> (...)"; "<key>: <text>" for a text (a configuration's name).
LINE = re.compile(r"^(\w+) (\S+)(?: [^,(]*, cpu (\S+))?")
TEXT = re.compile(r"^(\w+): (.*)$")


def run_program(path, cpu, texts):
    """Run a benchmark program; return {key: (value, cpu value or None)} of
    its numeric lines, and put its text lines in texts {key: text}."""
    proc = subprocess.run(pin([path], cpu), capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"{os.path.basename(path)} exited {proc.returncode}")
    values = {}
    for line in proc.stdout.splitlines():
        m = TEXT.match(line)
        if m:
            texts[m.group(1)] = m.group(2)
            continue
        m = LINE.match(line)
        if m:
            try:
                values[m.group(1)] = (float(m.group(2)),
                                      float(m.group(3)) if m.group(3) else None)
            except ValueError:
                pass  # a line with a word where the number would be: information only
    return values


def now():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_batch(cli, csv_path, out_path, cpu):
    """(wall, CPU) seconds of one `lsdopt batch` run; out_path None means
    stdout to /dev/null."""
    cmd = pin([cli, "batch", csv_path] + (["-o", out_path] if out_path else []), cpu)
    with open(os.devnull, "wb") as devnull:
        cpu_start = children_cpu()
        start = now()
        proc = subprocess.run(cmd, stdout=devnull, stderr=subprocess.PIPE)
        elapsed = now() - start
        cpu_seconds = children_cpu() - cpu_start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace')[:500]}")
    return elapsed, cpu_seconds


def count_lines(path):
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def bench_batch(cli, csv_path, rows, work_dir, cpu):
    """{"null": (rows/s, rows per CPU second), "file": (...)}, medians."""
    out_path = os.path.join(work_dir, "batch_out.csv")
    time_batch(cli, csv_path, None, cpu)  # warm the page cache and the binary
    runs = {"null": [time_batch(cli, csv_path, None, cpu) for _ in range(REPS)]}
    try:
        runs["file"] = [time_batch(cli, csv_path, out_path, cpu) for _ in range(REPS)]
        lines = count_lines(out_path)
        if lines != rows + 1:
            raise RuntimeError(f"batch output has {lines} lines, want {rows + 1}")
    finally:
        if os.path.exists(out_path):
            os.remove(out_path)
    result = {}
    for name, times in runs.items():
        rates = [rows / wall for wall, _ in times]
        result[name] = (statistics.median(rates),
                        statistics.median(rows / cpu_s for _, cpu_s in times))
        print(f"batch_rows_per_s_{name} {result[name][0]:.0f} rows/s, cpu {result[name][1]:.0f}"
              f" (median of {REPS} runs of {rows} rows to "
              f"{'/dev/null' if name == 'null' else 'a file'}; wall min {min(rates):.0f},"
              f" max {max(rates):.0f})")
    return result


MIXED_ROWS = 100000
MIXED_COLUMNS = ["id", "model", "type", "spot", "strike", "expiry", "rate", "carry", "vol",
                 "jump_intensity", "jump_mean", "jump_vol", "kou_p", "kou_eta_up",
                 "kou_eta_down", "heston_v0", "heston_kappa", "heston_theta", "heston_sigma",
                 "heston_rho", "depeg_intensity", "depeg_mean", "depeg_vol"]


def write_mixed_book(path, rows):
    """A book cycling bsm, merton, kou, heston, bates (a depeg overlay on every
    fourth row): strikes 0.7-1.3 S, expiries 1 day-1 year, crypto parameters."""
    jumps = {"jump_intensity": 0.8, "jump_mean": -0.15, "jump_vol": 0.2}
    heston = {"heston_v0": 0.36, "heston_kappa": 2.0, "heston_theta": 0.4,
              "heston_sigma": 1.2, "heston_rho": -0.3}
    models = [("bsm", {"vol": 0.6}), ("merton", dict(vol=0.55, **jumps)),
              ("kou", {"vol": 0.5, "jump_intensity": 1.0, "kou_p": 0.3, "kou_eta_up": 8.0,
                       "kou_eta_down": 5.0}),
              ("heston", heston), ("bates", dict(heston, **jumps))]
    with open(path, "w") as f:
        f.write(",".join(MIXED_COLUMNS) + "\n")
        for i in range(rows):
            model, params = models[i % len(models)]
            row = {"id": i, "model": model, "type": "call" if i % 2 else "put",
                   "spot": 3000, "strike": 3000 * (0.7 + 0.6 * ((i * 7919) % 1000) / 999),
                   "expiry": (1 + (i * 104729) % 365) / 365, "rate": 0.04, "carry": 0.03}
            row.update(params)
            if i % 4 == 3:
                row.update(depeg_intensity=5.0, depeg_mean=-0.01, depeg_vol=0.02)
            f.write(",".join(f"{row[c]:.10g}" if isinstance(row.get(c), float) else
                             str(row.get(c, "")) for c in MIXED_COLUMNS) + "\n")


def bench_mixed(cli, work_dir, cpu):
    """(rows/s, rows per CPU second) of `lsdopt batch` on the mixed-model book
    to a file, median of REPS runs; checks every row came back priced, in order."""
    in_path = os.path.join(work_dir, "mixed_models.csv")
    out_path = os.path.join(work_dir, "mixed_models_out.csv")
    write_mixed_book(in_path, MIXED_ROWS)
    try:
        times = [time_batch(cli, in_path, out_path, cpu) for _ in range(REPS)]
        with open(out_path, newline="") as f:
            out = list(csv.DictReader(f))
        if [int(r["id"]) for r in out] != list(range(MIXED_ROWS)) or any(r["error"] for r in out):
            raise RuntimeError("mixed-model batch: rows out of order, missing or failed")
    finally:
        for path in (in_path, out_path):
            if os.path.exists(path):
                os.remove(path)
    wall = statistics.median(MIXED_ROWS / w for w, _ in times)
    cpu_rate = statistics.median(MIXED_ROWS / c for _, c in times)
    print(f"batch_mixed_rows_per_s {wall:.0f} rows/s, cpu {cpu_rate:.0f} (median of {REPS} runs"
          f" of {MIXED_ROWS} rows, bsm/merton/kou/heston/bates in turn, to a file; in order)")
    return wall, cpu_rate


def bench_calibrate(cli, data_dir, cpu):
    """(slowest snapshot's median wall s, its CPU s, snapshots) of
    `lsdopt calibrate --model merton`, or None without the Deribit data."""
    folder = os.path.join(data_dir, "deribit-eth-options") if data_dir else ""
    if not os.path.isdir(folder):
        return None
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder)
                   if f.startswith("deribit_eth_options_") and f.endswith(".csv"))
    worst = (0.0, 0.0)
    for path in files:
        cmd = pin([cli, "calibrate", path, "--source", "deribit", "--model", "merton",
                   "-o", os.devnull], cpu)
        times = []
        for _ in range(REPS):
            cpu_start = children_cpu()
            start = now()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times.append((now() - start, children_cpu() - cpu_start))
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: "
                                   f"{proc.stderr.decode(errors='replace')[:500]}")
        wall = statistics.median(t for t, _ in times)
        cpu_s = statistics.median(c for _, c in times)
        print(f"calibrate_s {os.path.basename(path)} {wall:.3f} s, cpu {cpu_s:.3f}"
              f" (median of {REPS} runs)")
        worst = max(worst, (wall, cpu_s))
    return worst + (len(files),)


def meets(value, target):
    op, bound = target
    return value <= bound if op == "<=" else value >= bound


def verdict(wall, cpu, target, busy):
    """"ok" or "MISSED" by wall time; on a busy machine also say what CPU
    time gives."""
    if target is None:
        return ""
    if meets(wall, target):
        return "ok"
    return f"MISSED (by CPU time: {'ok' if meets(cpu, target) else 'MISSED'})" if busy else "MISSED"


def timing_row(values, key, label, unit, scale, target=None, ref="", target_text=""):
    """(row, busy) for a timed key of values (ns); FAILED if it is missing."""
    if key not in values:
        return (label, "FAILED", "", "", ref, ""), False
    wall, cpu = (x * scale for x in values[key])
    digits = 1 if scale == 1.0 else 2
    busy = wall > 1.1 * cpu
    return (label, f"{wall:,.{digits}f} {unit}", f"{cpu:,.{digits}f}", target_text, ref,
            verdict(wall, cpu, target, busy)), busy


def cos_rows(values, texts, quantlib_built):
    """(rows, busy) of the COS section: per model, lsdopt at 1e-10 and
    QuantLib at equal accuracy, the speed-up, the chain and its split, the
    default tolerances; then Kou."""
    rows, busy = [], False

    def add(row_busy):
        nonlocal busy
        rows.append(row_busy[0])
        busy = busy or row_busy[1]

    for key, model, engine in COS_MODELS:
        tol = values.get(f"{key}_cos_tol", (float("nan"),))[0]
        err = values.get(f"{key}_cos_tol_err", (float("nan"),))[0]
        add(timing_row(values, f"{key}_ns_per_option", f"lsdopt {model} per option, 1e-10",
                       "us/option", 1e-3, ref=f"COS tol {tol:g}: max error {err:.2g}"))
        ql = f"ql_{key}_ns_per_option"
        if not quantlib_built:
            rows.append((f"QuantLib {engine}, equal accuracy", "not built (no QuantLib)", "", "",
                         "", ""))
        else:
            ql_err = values.get(f"{ql}_err", (float("nan"),))[0]
            add(timing_row(values, ql, f"QuantLib {engine}, equal accuracy", "us/option", 1e-3,
                           ref=f"{texts.get(ql + '_config', 'none within 1e-10')}: "
                               f"max error {ql_err:.2g}"))
            label = f"  {model} speed-up, lsdopt vs QuantLib"
            target_text = f"{SPEEDUP_TARGET[0]} {SPEEDUP_TARGET[1]:g}x"
            ours = values.get(f"{key}_ns_per_option")
            if ql in values and ours is not None:
                wall = values[ql][0] / ours[0]
                cpu = values[ql][1] / ours[1]
                row_busy = any(v[0] > 1.1 * v[1] for v in (values[ql], ours))
                busy = busy or row_busy
                rows.append((label, f"{wall:.2f}x", f"{cpu:.2f}x", target_text,
                             "both at <= 1e-10 against one reference",
                             verdict(wall, cpu, SPEEDUP_TARGET, row_busy)))
            else:
                rows.append((label, "FAILED", "", target_text, "", ""))
        add(timing_row(values, f"{key}_chain_ns_per_strike",
                       f"lsdopt {model} 40-strike chain, per strike", "ns/strike", 1.0,
                       CHAIN_TARGET, "lsd_cos_chain (all outputs), same tol",
                       f"{CHAIN_TARGET[0]} {CHAIN_TARGET[1]:g} ns"))
        add(timing_row(values, f"{key}_chain_prices_ns_per_strike",
                       f"lsdopt {model} 40-strike chain, prices only", "ns/strike", 1.0,
                       CHAIN_TARGET, "lsd_cos_chain_prices (calibration)",
                       f"{CHAIN_TARGET[0]} {CHAIN_TARGET[1]:g} ns"))
        add(timing_row(values, f"{key}_chain_setup_ns_per_expiry", "  setup per expiry",
                       "us/expiry", 1e-3, ref="lsd_cos_chain: 1-strike chain - series"))
        add(timing_row(values, f"{key}_chain_series_ns_per_strike", "  series per strike",
                       "ns/strike", 1.0, ref="lsd_cos_chain: (40-strike - 1-strike)/39"))
        add(timing_row(values, f"{key}_default_ns_per_option",
                       f"lsdopt {model} per option, tol 1e-13", "us/option", 1e-3,
                       ref="COS default control"))
        if quantlib_built:
            dflt = f"ql_{key}_default_ns_per_option"
            dflt_err = values.get(f"{dflt}_err", (float("nan"),))[0]
            add(timing_row(values, dflt, f"QuantLib {engine}, default", "us/option", 1e-3,
                           ref=f"Gauss-Laguerre 144: max error {dflt_err:.2g}"))
    add(timing_row(values, "kou_ns_per_option", "lsdopt Kou per option, tol 1e-13", "us/option",
                   1e-3, ref="COS default control; QuantLib has no Kou engine"))
    return rows, busy


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pricing", required=True, help="bench_pricing executable")
    ap.add_argument("--quantlib", help="bench_quantlib executable (omit if not built)")
    ap.add_argument("--cli", required=True, help="lsdopt executable")
    ap.add_argument("--csv", required=True, help="generated batch input")
    ap.add_argument("--rows", type=int, required=True, help="data rows in --csv")
    ap.add_argument("--work-dir", required=True, help="where the batch output file goes")
    ap.add_argument("--build-type", default="", help="CMAKE_BUILD_TYPE, for the report")
    ap.add_argument("--cpu", type=int, default=0, help="CPU to pin every run to (default 0)")
    ap.add_argument("--data-dir", default=os.environ.get("LSDOPT_DATA_DIR"),
                    help="shared market data (deribit-eth-options/) for the calibration timing")
    args = ap.parse_args()

    failed = []
    values, texts = {}, {}
    programs = [args.pricing] + ([args.quantlib] if args.quantlib else [])
    for program in programs:
        try:
            values.update(run_program(program, args.cpu, texts))
        except (OSError, RuntimeError) as e:
            failed.append(str(e))
    batch = None
    try:
        batch = bench_batch(args.cli, args.csv, args.rows, args.work_dir, args.cpu)
    except (OSError, RuntimeError) as e:
        failed.append(str(e))

    mixed = None
    try:
        mixed = bench_mixed(args.cli, args.work_dir, args.cpu)
    except (OSError, RuntimeError) as e:
        failed.append(str(e))

    calibrate = None
    try:
        calibrate = bench_calibrate(args.cli, args.data_dir, args.cpu)
    except (OSError, RuntimeError) as e:
        failed.append(str(e))

    rows, busy = [], False
    for key, label, unit, scale, target, ref in PRICING_ROWS:
        if key in values:
            wall, cpu = (x * scale for x in values[key])
            digits = 1 if scale == 1.0 else 2
            row_busy = wall > 1.1 * cpu
            busy = busy or row_busy
            rows.append((label, f"{wall:,.{digits}f} {unit}", f"{cpu:,.{digits}f}",
                         f"{target[0]} {target[1]:g} ns" if target else "", ref,
                         verdict(wall, cpu, target, row_busy)))
        elif key.startswith("ql_") and not args.quantlib:
            rows.append((label, "not built (no QuantLib)", "", "", ref, ""))
        else:
            rows.append((label, "FAILED", "", "", ref, ""))
    cos, cos_busy = cos_rows(values, texts, bool(args.quantlib))
    rows += cos
    busy = busy or cos_busy
    for name, label in (("null", "lsdopt batch -> /dev/null"), ("file", "lsdopt batch -> file")):
        label += f", {args.rows / 1e6:g}M BSM rows"
        if batch is None:
            rows.append((label, "FAILED", "", "", "", ""))
            continue
        wall, cpu = batch[name]
        row_busy = cpu > 1.1 * wall
        busy = busy or row_busy
        rows.append((label, f"{wall / 1e6:.2f}M rows/s", f"{cpu / 1e6:.2f}M",
                     f">= {BATCH_TARGET[1] / 1e6:g}M rows/s", "libcsv+strtod parse 1.9M rows/s",
                     verdict(wall, cpu, BATCH_TARGET, row_busy)))

    label = f"lsdopt batch -> file, {MIXED_ROWS // 1000}k mixed rows"
    if mixed is None:
        rows.append((label, "FAILED", "", "", "", ""))
    else:
        wall, cpu = mixed
        busy = busy or cpu > 1.1 * wall
        rows.append((label, f"{wall / 1e3:.1f}k rows/s", f"{cpu / 1e3:.1f}k", "",
                     "5 models in turn, in order, streamed", ""))

    label = "lsdopt calibrate merton, slowest snapshot"
    if calibrate is None:
        rows.append((label, "skipped (no Deribit data)", "", "", "", ""))
    else:
        wall, cpu_s, n = calibrate
        row_busy = wall > 1.1 * cpu_s
        busy = busy or row_busy
        rows.append((label + f" of {n}", f"{wall:.3f} s", f"{cpu_s:.3f}",
                     f"<= {CALIBRATE_TARGET[1]:g} s", "issue 4: scipy prototype ~390 s",
                     verdict(wall, cpu_s, CALIBRATE_TARGET, row_busy)))

    header = ("measure", "measured (wall)", "(CPU time)", "target", "reference", "")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    pinned = f"pinned to CPU {args.cpu} (taskset)" if shutil.which("taskset") else "not pinned"
    rule = "  ".join("-" * w for w in widths)
    print()
    print(f"lsdopt benchmark summary - single-threaded, {pinned}; {cpu_name()}, "
          f"{os.cpu_count()} CPUs; build type {args.build_type or 'unset'}")
    print(rule)
    for r in [header] + rows:
        print("  ".join(f"{c:>{w}}" if i in (1, 2) else f"{c:<{w}}"
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip())
        if r is header:
            print(rule)
    print(rule)
    if args.build_type != "Release":
        print("warning: not a Release build; numbers are not representative")
    if busy:
        print("warning: wall time exceeds CPU time by more than 10%: the machine was busy;"
              " rerun on an idle machine")
    for message in failed:
        print(f"error: {message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
