#!/usr/bin/env python3
"""Ours vs the usual PyTorch AutoRec on the same data, split, hyper-parameters and epochs.

  python3 bench/compare_pytorch.py [--build build-bench] [--epochs 20] [--out bench/results]

1. bench_training (our trainer, CPU backend) generates the ML-1M-shaped synthetic data, writes the
   90/10 split to CSV, trains I-AutoRec and reports epoch times, peak memory and test RMSE;
2. bench/pytorch_autorec.py reads the same CSV files and trains the dense and torch.sparse variants
   with the same objective and settings (run by a Python that has torch: Debian's /usr/bin/python3
   is tried first);
3. prints the comparison table and writes compare_pytorch_<device>.json with the machine and the
   load average seen, since timings on a shared machine mean little without it.
Standard library only.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def find_torch_python():
    for candidate in ["/usr/bin/python3", sys.executable, shutil.which("python3")]:
        if candidate and subprocess.run([candidate, "-c", "import torch"], capture_output=True).returncode == 0:
            return candidate
    return None


def run_ours(args, split_dir):
    binary = os.path.join(args.build, "bench", "bench_training")
    if not os.path.exists(binary):
        sys.exit(f"compare_pytorch: {binary} not found (cmake --build {args.build} --target bench_training)")
    out = os.path.join(split_dir, "ours.json")
    subprocess.run([binary, "--device", args.device, "--data", "ml-1m", "--warmup", "1", "--epochs",
                    str(args.epochs - 1), "--lambda", str(args.lam), "--split-dir", split_dir, "--json", out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def run_torch(args, python, split_dir):
    out = os.path.join(split_dir, "torch.json")
    subprocess.run([python, os.path.join(HERE, "pytorch_autorec.py"), "--train", os.path.join(split_dir, "train.csv"),
                    "--test", os.path.join(split_dir, "test.csv"), "--epochs", str(args.epochs), "--warmup", "1",
                    "--lambda", str(args.lam), "--device", args.device, "--variant", args.variant, "--json", out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def rows_of(ours, torch_report):
    mine = ours["results"][0]
    rows = [("ours (" + mine["kernels"] + ")", mine["median_epoch_seconds"],
             max(mine["process_peak_rss_bytes"], mine["device_reserved_peak_bytes"]), mine["test_rmse"])]
    for r in torch_report["results"]:
        rows.append(("pytorch " + r["variant"], r["median_epoch_seconds"], r["peak_memory_bytes"], r["test_rmse"]))
    return rows


def print_table(rows, load_before, load_after):
    ours_seconds = rows[0][1]
    print("| implementation | median epoch s | time / ours | peak memory MiB | test RMSE |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, peak, rmse in rows:
        print(f"| {name} | {seconds:.3f} | {seconds / ours_seconds:.2f}x | {peak / 2**20:.0f} | {rmse:.4f} |")
    print(f"\nload average (1 min) before: {load_before:.2f}, after: {load_after:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build-bench"))
    parser.add_argument("--epochs", type=int, default=20, help="epochs in total; the first is a warm-up")
    parser.add_argument("--lambda", dest="lam", type=float, default=100.0)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--variant", choices=["dense", "sparse", "both"], default="both")
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    parser.add_argument("--max-load", type=float, default=2.5, help="refuse to measure above this 1-minute load")
    args = parser.parse_args()
    if args.epochs < 2:
        sys.exit("compare_pytorch: --epochs must be >= 2 (one warm-up, one timed)")
    load_before = os.getloadavg()[0]
    if load_before > args.max_load:
        sys.exit(f"compare_pytorch: load average {load_before:.2f} > {args.max_load}: the timings would measure "
                 "the other jobs; retry later or pass --max-load")
    python = find_torch_python()
    if python is None:
        print("SKIPPED: PyTorch not installed (pip install torch / apt-get install python3-torch)")
        return 0
    with tempfile.TemporaryDirectory(prefix="autorec-compare-") as split_dir:
        ours = run_ours(args, split_dir)
        torch_report = run_torch(args, python, split_dir)
    load_after = os.getloadavg()[0]
    rows = rows_of(ours, torch_report)
    print_table(rows, load_before, load_after)
    report = {"benchmark": "compare_pytorch", "machine": ours["machine"], "epochs": args.epochs, "lambda": args.lam,
              "load_average_before": load_before, "load_average_after": load_after, "ours": ours,
              "pytorch": torch_report,
              "summary": [{"implementation": n, "median_epoch_seconds": s, "time_over_ours": s / rows[0][1],
                           "peak_memory_bytes": p, "test_rmse": r} for n, s, p, r in rows]}
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"compare_pytorch_{args.device}.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
