"""PyTorch reference for bench/rangeTest.bench.ts: the same MLP (and small CNN), same batch size and
steps, trained by a bare loop and by an LR-finder-style loop (LR set before each batch, loss read
back, debiased EMA, divergence check). Prints one JSON object on stdout.

Usage: /usr/bin/python3 bench/torch_reference.py [--steps N] [--batch B] [--reps R]
"""
import argparse
import json
import math
import time

import torch
from torch import nn


def mlp(d_in, classes):
    return nn.Sequential(nn.Linear(d_in, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, classes))


def cnn(classes):
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 7 * 7, classes)
    )


def batches(x, y, batch, k):
    return [(x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]) for i in range(k)]


def bare(model, data, steps):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.process_time()
    for i in range(steps):
        xb, yb = data[i % len(data)]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()  # tfjs's trainOnBatch reads the loss back every step too
    return steps / (time.process_time() - t0)


def lr_finder(model, opt, data, steps, start, end, beta=0.98, diverge=4.0):
    """The LR-finder loop LR Scope's range test runs, in PyTorch: the LR set before each batch
    (exponential ramp start → end), the loss read back, a debiased EMA of it, and a stop on a
    non-finite loss or when the smoothed loss exceeds `diverge` × its best. Returns the steps run.
    Also used by bench/torch_cnn.py."""
    loss_fn = nn.CrossEntropyLoss()
    avg, best = 0.0, math.inf
    for i in range(steps):
        lr = start * (end / start) ** (i / max(1, steps - 1))
        for g in opt.param_groups:
            g['lr'] = lr
        xb, yb = data[i % len(data)]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        v = loss.item()
        avg = beta * avg + (1 - beta) * v
        sm = avg / (1 - beta ** (i + 1))
        best = min(best, sm)
        if not math.isfinite(v) or sm > diverge * best:
            break
    return i + 1


def range_test(model, data, steps, start=1e-5, end=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=start)
    t0 = time.process_time()
    done = lr_finder(model, opt, data, steps, start, end)
    return done / (time.process_time() - t0)


def measure(make, x, y, batch, steps, reps):
    data = batches(x, y, batch, 16)
    torch.manual_seed(0)
    m = make()
    bare(m, data, 10)  # warm-up
    b, r = [], []
    for k in range(reps):
        # Alternate the order, as the tfjs side does.
        if k % 2 == 0:
            b.append(bare(make(), data, steps))
            r.append(range_test(make(), data, steps))
        else:
            r.append(range_test(make(), data, steps))
            b.append(bare(make(), data, steps))
    bs, rs = max(b), max(r)  # best of the repetitions, as the tfjs side
    return {'bareStepsPerSec': bs, 'rangeTestStepsPerSec': rs, 'overheadRatio': bs / rs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=200)
    ap.add_argument('--cnn-steps', type=int, default=40)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--reps', type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(1)  # CPU time then equals single-core work, comparable with tfjs cpu/wasm
    torch.manual_seed(0)
    n = a.batch * 16
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'batch': a.batch}
    x = torch.randn(n, 32)
    y = torch.randint(0, 10, (n,))
    out['mlp'] = measure(lambda: mlp(32, 10), x, y, a.batch, a.steps, a.reps)
    xi = torch.randn(n, 1, 16, 16)
    out['cnn'] = measure(lambda: cnn(10), xi, y, a.batch, a.cnn_steps, a.reps)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
