#!/usr/bin/env python3
"""The usual PyTorch I-AutoRec, as a reference for bench_training (docs/benchmarks.md).

Two variants on the same split the C++ side wrote (bench_training --split-dir DIR):
  dense   dense input rows, nn.Linear encoder/decoder, sigmoid + identity, masked squared error
          summed, Adam with weight decay on the weights, batches of items
  sparse  the same with a torch.sparse input to the encoder (the decoder and loss stay dense)

Objective matched to the C++ trainer: 1/2 * sum over observed (y - r)^2 per batch, plus L2 through
Adam's coupled weight decay on the weights only, scaled by the batch's share of the rows
(lambda * batch / n_items), so an epoch adds up to the paper's 1/2 SSE + lambda/2 ||W||^2.
Evaluation follows the paper's protocol: the input is the item's training vector, a test pair whose
user or item has no training rating gets the middle of the training range, predictions are clipped
to the training range.

PyTorch is optional: without it this prints SKIPPED and exits 0.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

try:
    import numpy as np
    import torch
except ImportError:
    print("SKIPPED: PyTorch not installed (pip install torch / apt-get install python3-torch)")
    sys.exit(0)


def load_csv(path):
    """0-based user,item,rating rows written by bench_training --split-dir."""
    data = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    return data[:, 0].astype(np.int64), data[:, 1].astype(np.int64), data[:, 2].astype(np.float32)


class AutoRec(torch.nn.Module):
    def __init__(self, n_inputs, hidden, sparse_input):
        super().__init__()
        self.encoder = torch.nn.Linear(n_inputs, hidden)
        self.decoder = torch.nn.Linear(hidden, n_inputs)
        self.sparse_input = sparse_input

    def forward(self, x):
        if self.sparse_input:
            z = torch.sparse.mm(x, self.encoder.weight.t()) + self.encoder.bias
        else:
            z = self.encoder(x)
        return self.decoder(torch.sigmoid(z))


def make_optimizer(model, args, n_items):
    # Coupled L2 (Adam's weight_decay adds wd * w to the gradient) on the weights, none on biases.
    decay = args.lam * args.batch_size / n_items
    weights = [model.encoder.weight, model.decoder.weight]
    biases = [model.encoder.bias, model.decoder.bias]
    return torch.optim.Adam([{"params": weights, "weight_decay": decay}, {"params": biases, "weight_decay": 0.0}],
                            lr=args.lr)


def train(variant, data, args, device):
    torch.manual_seed(args.seed)
    ratings, mask, sparse_rows = data["ratings"], data["mask"], data["sparse"]
    n_items, n_users = ratings.shape
    model = AutoRec(n_users, args.hidden, variant == "sparse").to(device)
    optimizer = make_optimizer(model, args, n_items)
    epoch_seconds = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(n_items, device=device)
        for begin in range(0, n_items, args.batch_size):
            rows = order[begin:begin + args.batch_size]
            target, observed = ratings[rows], mask[rows]
            x = sparse_rows.index_select(0, rows) if variant == "sparse" else target
            loss = 0.5 * ((model(x) - target) ** 2 * observed).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        epoch_seconds.append(time.perf_counter() - start)
    return model, epoch_seconds


@torch.no_grad()
def test_rmse(model, data, args, device):
    ratings, test = data["ratings"], data["test"]
    n_items = ratings.shape[0]
    low, high = data["rating_range"]
    predictions = np.empty(len(test["ratings"]), dtype=np.float64)
    item_order = np.argsort(test["items"], kind="stable")
    sorted_items = test["items"][item_order]
    model.sparse_input = False  # the same function either way; dense input is simplest here
    for begin in range(0, n_items, 1024):
        end = min(begin + 1024, n_items)
        decoded = model(ratings[begin:end]).cpu().numpy()
        lo, hi = np.searchsorted(sorted_items, [begin, end])
        pick = item_order[lo:hi]
        predictions[pick] = decoded[test["items"][pick] - begin, test["users"][pick]]
    cold = ~(data["item_seen"][test["items"]] & data["user_seen"][test["users"]])
    predictions[cold] = 0.5 * (low + high)
    predictions = np.clip(predictions, low, high)
    return float(np.sqrt(np.mean((predictions - test["ratings"]) ** 2))), int(cold.sum())


def load_data(args, device):
    train_users, train_items, train_values = load_csv(args.train)
    test_users, test_items, test_values = load_csv(args.test)
    n_users = int(max(train_users.max(), test_users.max())) + 1
    n_items = int(max(train_items.max(), test_items.max())) + 1
    ratings = torch.zeros(n_items, n_users)
    ratings[torch.from_numpy(train_items), torch.from_numpy(train_users)] = torch.from_numpy(train_values)
    mask = (ratings != 0).float()
    indices = torch.from_numpy(np.stack([train_items, train_users]))
    sparse = torch.sparse_coo_tensor(indices, torch.from_numpy(train_values), (n_items, n_users)).coalesce()
    item_seen, user_seen = np.zeros(n_items, bool), np.zeros(n_users, bool)
    item_seen[train_items], user_seen[train_users] = True, True
    return {"ratings": ratings.to(device), "mask": mask.to(device), "sparse": sparse.to(device),
            "test": {"users": test_users, "items": test_items, "ratings": test_values.astype(np.float64)},
            "rating_range": (float(train_values.min()), float(train_values.max())),
            "item_seen": item_seen, "user_seen": user_seen, "n_train": len(train_values)}


def peak_memory_bytes(device):
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB; whole process so far


def run_variant(variant, data, args, device):
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    model, seconds = train(variant, data, args, device)
    rmse, cold = test_rmse(model, data, args, device)
    timed = seconds[args.warmup:] or seconds
    result = {"variant": variant, "epoch_seconds": seconds, "median_epoch_seconds": statistics.median(timed),
              "ratings_per_second": data["n_train"] / statistics.median(timed),
              "peak_memory_bytes": peak_memory_bytes(device), "test_rmse": rmse, "cold_start_test_pairs": cold}
    print(f"[pytorch_autorec] {variant}: median epoch {result['median_epoch_seconds']:.3f} s, "
          f"peak {result['peak_memory_bytes'] / 2**20:.0f} MiB, test RMSE {rmse:.4f}", file=sys.stderr)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--epochs", type=int, default=4, help="epochs in total, warm-up included")
    parser.add_argument("--warmup", type=int, default=1, help="leading epochs left out of the median")
    parser.add_argument("--hidden", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--lambda", dest="lam", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variant", choices=["dense", "sparse", "both"], default="both")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    data = load_data(args, device)
    variants = ["dense", "sparse"] if args.variant == "both" else [args.variant]
    # Peak RSS is per process and only grows: the dense variant, run first, is measured cleanly;
    # the sparse one's figure is max(its own, dense's). Run --variant sparse alone for its own peak.
    results = [run_variant(v, data, args, device) for v in variants]
    report = {"benchmark": "pytorch_autorec", "torch_version": torch.__version__, "threads": torch.get_num_threads(),
              "device": str(device), "hidden": args.hidden, "batch_size": args.batch_size, "lr": args.lr,
              "lambda": args.lam, "epochs": args.epochs, "warmup_epochs": args.warmup, "results": results}
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
