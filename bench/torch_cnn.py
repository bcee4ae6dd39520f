"""PyTorch CPU reference for bench/wasm.bench.ts: the range-test benchmark models of
src/engine/backend/wasmKernels/benchModels.ts (RANGE_BENCH_MODELS), layer for layer, trained by an
LR-finder-style loop (LR set before each batch, loss read back, smoothed loss, divergence check),
SGD, same batch sizes. Prints one JSON line:
{"torch": version, "threads": n, "rates": {key: steps/s (wall)}, "cpuRates": {key: steps per CPU-second}}

Usage: /usr/bin/python3 bench/torch_cnn.py [--threads N] [--seconds S] [--models small,mnist,cifar,mlp]
"""
import argparse
import json
import time

import torch
from torch import nn

from torch_reference import lr_finder


def small() -> nn.Module:
    # tfjs: conv2d(8, 3x3, relu) - conv2d(16, 3x3, relu) - maxPool 2 - flatten - dense(10, softmax)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 8 * 8, 10),
    )


def mnist() -> nn.Module:
    # tfjs: conv2d(32) - conv2d(64) - maxPool 2 - flatten - dense(128, relu) - dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def cifar() -> nn.Module:
    # tfjs: 3 x (conv2d same - batchNormalization - relu - maxPool 2), 32/64/128 filters - dense(10)
    layers = []
    c_in = 3
    for c in (32, 64, 128):
        layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
        c_in = c
    layers += [nn.Flatten(), nn.Linear(128 * 4 * 4, 10)]
    return nn.Sequential(*layers)


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


MODELS = {
    'small': (small, (1, 20, 20), 64),
    'mnist': (mnist, (1, 28, 28), 64),
    'cifar': (cifar, (3, 32, 32), 32),
    'mlp': (mlp, (784,), 64),
}


def range_test(model, data, steps, start=1e-5, end=1e-2):
    """Returns (steps run, wall seconds, CPU seconds) of an LR-finder run of up to `steps` steps
    (SGD; divergence at 1e9 × the best loss, as the tfjs side is configured)."""
    opt = torch.optim.SGD(model.parameters(), lr=start)
    t0, c0 = time.perf_counter(), time.process_time()
    done = lr_finder(model, opt, data, steps, start, end, diverge=1e9)
    return done, time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seconds', type=float, default=2.0)
    ap.add_argument('--models', default='small,mnist,cifar,mlp')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'rates': {}, 'cpuRates': {}}
    for key in args.models.split(','):
        build, shape, batch = MODELS[key]
        data = [
            (torch.rand(batch, *shape, generator=g), torch.randint(0, 10, (batch,), generator=g))
            for _ in range(4)
        ]
        model = build()
        warm_steps = 3
        done, wall, _ = range_test(model, data, warm_steps)
        steps = max(4, min(400, round(args.seconds * done / wall)))
        done, wall, cpu = range_test(model, data, steps)
        out['rates'][key] = done / wall
        out['cpuRates'][key] = done / cpu
    print(json.dumps(out))


if __name__ == '__main__':
    main()
