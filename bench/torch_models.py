"""PyTorch CPU reference for bench/wasm.bench.ts: the same CNN and MLP, batch and optimizer as
src/engine/backend/wasmKernels/benchModels.ts (buildBenchCnn, buildBenchMlp). Prints one JSON object:
{"torch": version, "threads": n, "cnn_steps_per_s": x, "mlp_steps_per_s": y, ...}.
Usage: python3 bench/torch_models.py [--threads N] [--seconds S]
"""
import argparse
import json
import time

import torch
from torch import nn


def cnn() -> nn.Module:
    # tfjs: conv2d(16, 3x3, relu) - maxPool 2 - conv2d(32, 3x3, relu) - maxPool 2 - flatten - dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 10),
    )


def mlp() -> nn.Module:
    # tfjs: dense(256, relu) - dense(128, relu) - dense(10)
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def steps_per_s(model: nn.Module, x: torch.Tensor, y: torch.Tensor, seconds: float) -> float:
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, as in the tfjs models

    def step() -> None:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()  # tfjs trainOnBatch also reads the loss back

    for _ in range(3):
        step()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=0, help='torch threads (0 = torch default)')
    ap.add_argument('--seconds', type=float, default=2.0)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
    x = torch.rand(32, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (32,), generator=g)
    out['cnn_batch'] = 32
    out['cnn_steps_per_s'] = steps_per_s(cnn(), x, y, args.seconds)
    x = torch.rand(64, 784, generator=g)
    y = torch.randint(0, 10, (64,), generator=g)
    out['mlp_batch'] = 64
    out['mlp_steps_per_s'] = steps_per_s(mlp(), x, y, args.seconds)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
