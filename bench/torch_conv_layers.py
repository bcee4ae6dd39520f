"""PyTorch side of bench/wasmConv.bench.ts: times the forward convolution and both gradients of each
layer given as JSON on argv[1] (NHWC shapes from bench/convLayers.ts; PyTorch runs NCHW) on ONE
thread, fresh weights per forward call. Prints one JSON line: {"torch": version, "layers": [{fwd, dx, dW}]} in ms
(medians of 9 after 3 warm-ups)."""
import json
import sys
import time

import torch

torch.set_num_threads(1)


def median_ms(f, reps=9):
    for _ in range(3):
        f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    ts.sort()
    return ts[reps // 2] * 1000


out = []
for layer in json.loads(sys.argv[1]):
    n, h, w, c = layer["x"]
    pad = 1 if layer["pad"] == "same" else 0
    x = torch.randn(n, c, h, w)
    wt = torch.randn(layer["cout"], c, 3, 3)
    dy = torch.randn_like(torch.nn.functional.conv2d(x, wt, padding=pad))
    out.append({
        "fwd": median_ms(lambda: torch.nn.functional.conv2d(x, wt.clone(), padding=pad)),
        "dx": median_ms(lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy, padding=pad)),
        "dW": median_ms(lambda: torch.nn.grad.conv2d_weight(x, wt.shape, dy, padding=pad)),
    })
print(json.dumps({"torch": torch.__version__, "layers": out}))
