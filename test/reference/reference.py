#!/usr/bin/env python3
"""Independent reference values for LR Scope's suggestion rules, smoothing and schedules.

Writes test/fixtures/reference/suggestions.json and schedules.json. Run from the repo root:

    python3 test/reference/reference.py

Nothing here is derived from the TypeScript: the suggestion rules are re-implemented from fastai's
fastai/callback/schedule.py (same loops, numpy.gradient for `slide`), the Keras schedules are
re-implemented from keras/src/optimizers/schedules/learning_rate_schedule.py, and StepLR, OneCycleLR
and ReduceLROnPlateau are PyTorch's own classes (torch.optim.lr_scheduler), driven on a dummy
parameter. Keras's ReduceLROnPlateau is re-implemented from keras/src/callbacks. Everything is
float64 (fastai stores losses as float32 tensors; we compare the algorithms, not the storage type).
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'reference')


# --------------------------------------------------------------------------- fastai suggestions
def fa_valley(lrs, losses, num_it):
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    # max_start can be -1 (it is max_end - lds, one before the run), so idx can be -1 and Python's
    # lrs[-1] then means the last LR. Report the position that was actually read.
    return float(lrs[idx]), idx % n


def fa_slide(lrs, losses, num_it, lr_diff=15, thresh=.005, adjust_value=1.):
    loss_grad = np.gradient(losses)
    r_idx = -1
    l_idx = r_idx - lr_diff
    local_min_lr = lrs[l_idx]
    pick = l_idx
    while (l_idx >= -len(losses)) and (abs(loss_grad[r_idx] - loss_grad[l_idx]) > thresh):
        local_min_lr = lrs[l_idx]
        pick = l_idx
        r_idx -= 1
        l_idx -= 1
    return float(local_min_lr) * adjust_value, pick + len(losses)


def fa_minimum(lrs, losses, num_it):
    i = int(losses.argmin())
    return float(lrs[i]) / 10, i


def fa_steep(lrs, losses, num_it):
    grads = (losses[1:] - losses[:-1]) / (np.log(lrs[1:]) - np.log(lrs[:-1]))
    i = int(grads.argmin())
    return float(lrs[i]), i


def fa_suggest(lrs, losses, num_it):
    """fastai's lr_find post-processing: trim [num_it//10:-5], cut at the first NaN, run each rule.
    A rule that raises (too few points: IndexError/ValueError) gives None."""
    lrs = np.asarray(lrs, dtype=np.float64)[num_it // 10:-5]
    losses = np.asarray(losses, dtype=np.float64)[num_it // 10:-5]
    nan_idxs = np.nonzero(np.isnan(losses))[0]
    if len(nan_idxs) > 0:
        drop = int(nan_idxs.min())
        lrs, losses = lrs[:drop], losses[:drop]
    start = num_it // 10
    out = {}
    for name, fn in [('valley', fa_valley), ('slide', fa_slide), ('minimum', fa_minimum), ('steep', fa_steep)]:
        try:
            lr, idx = fn(lrs, losses, num_it)
            out[name] = {'lr': lr, 'index': idx + start}
        except (IndexError, ValueError):
            out[name] = None
    return out


# --------------------------------------------------------------------------- smoothing
def debiased_ema(xs, beta):
    """TensorBoard/fastai debiased EMA; NaN passes through and does not advance t."""
    avg, t, out = 0.0, 0, []
    for x in xs:
        if not math.isfinite(x):
            out.append(x)
            continue
        avg = beta * avg + (1 - beta) * x
        t += 1
        out.append(avg / (1 - beta ** t))
    return out


# --------------------------------------------------------------------------- curves
def exp_ramp(n, start=1e-7, end=10.0):
    return [start * (end / start) ** (i / (n - 1)) for i in range(n)]


def make_curves():
    rng = np.random.RandomState(20240601)
    curves = []

    def add(name, lrs, raw, num_it=None, beta=0.98, smooth=True):
        raw = [float(x) for x in raw]
        sm = debiased_ema(raw, beta) if smooth else raw
        curves.append({'name': name, 'lrs': [float(x) for x in lrs], 'raw': raw, 'beta': beta,
                       'losses': sm, 'smoothed': smooth, 'numIt': num_it if num_it is not None else len(lrs)})

    # A typical range test: flat, a descent, a minimum, then divergence, with batch noise.
    for k in range(12):
        n = 100
        lrs = exp_ramp(n)
        x = np.log10(lrs)
        centre = rng.uniform(-4, -1)
        base = 2.3 - 1.6 / (1 + np.exp(-(x - (centre - 1.5)) * 2.5)) + 0.8 * np.exp(np.clip((x - centre) * 3, -50, 50))
        noise = rng.normal(0, rng.uniform(0.005, 0.08), n)
        add(f'typical{k}', lrs, base + noise)
    # Stopped early by divergence (recorded 62 of numIt 100), and one of 200 requested.
    lrs = exp_ramp(100)
    x = np.log10(lrs[:62])
    add('diverged62', lrs[:62], 2.0 - 0.2 * np.tanh(x + 5) + 0.03 * np.sin(np.arange(62)), num_it=100)
    lrs = exp_ramp(200, 1e-6, 1.0)
    x = np.log10(lrs[:150])
    add('stopped150of200', lrs[:150], 1.5 - 0.5 * np.tanh(x + 3) + rng.normal(0, 0.02, 150), num_it=200)
    # A NaN in the middle: everything after it is cut.
    lrs = exp_ramp(100)
    raw = 1.0 - 0.005 * np.arange(100) + rng.normal(0, 0.01, 100)
    raw[70] = np.nan
    add('nanAt70', lrs, raw)
    # Edge cases.
    add('flat', exp_ramp(100), np.ones(100), smooth=False)
    add('monotoneDown', exp_ramp(100), np.linspace(3, 1, 100), smooth=False)
    add('monotoneUp', exp_ramp(100), np.linspace(1, 3, 100), smooth=False)
    spike = np.full(100, 1.0) - 0.001 * np.arange(100)
    spike[50] = 5.0
    add('singleSpikeRaw', exp_ramp(100), spike, smooth=False)
    add('singleSpikeSmoothed', exp_ramp(100), spike)
    add('allNaN', exp_ramp(30), np.full(30, np.nan), smooth=False)
    add('short12', exp_ramp(12), np.linspace(2, 1, 12) + rng.normal(0, 0.01, 12))
    add('short20', exp_ramp(20), np.linspace(2, 1, 20) + rng.normal(0, 0.01, 20))
    add('short25', exp_ramp(25), 1.0 + (np.arange(25) - 15.0) ** 2 / 100)
    add('short5', exp_ramp(5), [1, 0.9, 0.8, 0.7, 0.6])
    add('single', [1e-3], [1.0], num_it=1)
    add('empty', [], [], num_it=0)
    # The longest decreasing run has two points at the start: fastai's idx is -1, i.e. the last LR.
    add('valleyWrapsToEnd', exp_ramp(40), [2.0, 1.0] + [3.0 + 0.01 * i for i in range(38)], num_it=1, smooth=False)
    add('trimLeavesOne', exp_ramp(16), np.linspace(2, 1, 16), num_it=100)
    # numIt smaller than recorded (a resumed test) and a linear ramp.
    add('linearRamp', [1e-4 + (1.0 - 1e-4) * i / 99 for i in range(100)],
        1.0 - 0.5 * np.sin(np.linspace(0, 3, 100)) + rng.normal(0, 0.01, 100))
    # Quantised, noisy curves stress valley's tie handling (strict <).
    for k in range(6):
        raw = np.round(2 - np.linspace(0, 1, 80) + rng.normal(0, 0.05, 80), 1)
        add(f'quantised{k}', exp_ramp(80), raw, smooth=False)

    for c in curves:
        c['expected'] = fa_suggest(c['lrs'], [np.nan if x is None else x for x in c['losses']], c['numIt'])
    return curves


def nan_to_none(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, list):
        return [nan_to_none(v) for v in x]
    if isinstance(x, dict):
        return {k: nan_to_none(v) for k, v in x.items()}
    return x


# --------------------------------------------------------------------------- Keras schedules
def k_exponential(s, step):
    p = step / s['decaySteps']
    if s.get('staircase', False):
        p = math.floor(p)
    return s['initialLearningRate'] * s['decayRate'] ** p


def k_piecewise(s, step):
    b, v = s['boundaries'], s['values']
    if step <= b[0]:
        return v[0]
    for i in range(1, len(b)):
        if b[i - 1] < step <= b[i]:
            return v[i]
    return v[-1]


def k_polynomial(s, step):
    lr0, end = s['initialLearningRate'], s.get('endLearningRate', 0.0001)
    power, ds = s.get('power', 1.0), s['decaySteps']
    g = float(step)
    if s.get('cycle', False):
        mult = 1.0 if g == 0 else math.ceil(g / ds)
        ds = ds * mult
    else:
        g = min(g, ds)
    p = g / ds
    return (lr0 - end) * (1 - p) ** power + end


def k_cosine(s, step):
    lr0, ds, alpha = s['initialLearningRate'], s['decaySteps'], s.get('alpha', 0.0)
    wt, ws = s.get('warmupTarget'), s.get('warmupSteps', 0)

    def decay(st, frm):
        frac = st / ds
        cd = 0.5 * (1.0 + math.cos(math.pi * frac))
        return frm * ((1 - alpha) * cd + alpha)

    g = float(step)
    if wt is None:
        return decay(min(g, ds), lr0)
    g = min(g, ds + ws)
    if g < ws:
        return (wt - lr0) * (g / ws) + lr0
    return decay(g - ws, wt)


def k_cosine_restarts(s, step):
    lr0, fds = s['initialLearningRate'], s['firstDecaySteps']
    t_mul, m_mul, alpha = s.get('tMul', 2.0), s.get('mMul', 1.0), s.get('alpha', 0.0)
    f = step / fds
    if t_mul == 1.0:
        i = math.floor(f)
        f -= i
    else:
        i = math.floor(math.log(1.0 - f * (1.0 - t_mul)) / math.log(t_mul))
        sum_r = (1.0 - t_mul ** i) / (1.0 - t_mul)
        f = (f - sum_r) / t_mul ** i
    cd = 0.5 * m_mul ** i * (1.0 + math.cos(math.pi * f))
    return lr0 * ((1 - alpha) * cd + alpha)


# --------------------------------------------------------------------------- PyTorch schedules
def torch_lrs(make_sched, lr0, n):
    import torch
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr0)
    sched = make_sched(opt)
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return out


def t_step(s, n):
    import torch
    return torch_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=s['stepSize'], gamma=s.get('gamma', 0.1)),
                     s['initialLearningRate'], n)


def t_one_cycle(s, n):
    import torch
    total = s['totalSteps']
    lrs = torch_lrs(lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=s['maxLr'], total_steps=total, pct_start=s.get('pctStart', 0.3),
        anneal_strategy=s.get('annealStrategy', 'cos'), cycle_momentum=False,
        div_factor=s.get('divFactor', 25.0), final_div_factor=s.get('finalDivFactor', 1e4),
        three_phase=s.get('threePhase', False)), 0.1, min(n, total))
    # PyTorch raises past total_steps; LR Scope holds the last LR (documented), so extend with it.
    return lrs + [lrs[-1]] * (n - len(lrs))


def t_plateau(s, losses):
    import torch
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=s['initialLearningRate'])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode='min', factor=s.get('factor', 0.1), patience=s.get('patience', 10),
        threshold=s.get('threshold', 1e-4), threshold_mode=s.get('thresholdMode', 'rel'),
        cooldown=s.get('cooldown', 0), min_lr=s.get('minLr', 0), eps=s.get('eps', 1e-8))
    out = [opt.param_groups[0]['lr']]
    for l in losses:
        opt.step()
        sched.step(float('nan') if l is None else l)
        out.append(opt.param_groups[0]['lr'])
    return out


def k_plateau(s, losses):
    """keras.callbacks.ReduceLROnPlateau.on_epoch_end, mode 'min'."""
    factor, patience = s.get('factor', 0.1), s.get('patience', 10)
    min_delta, cooldown, min_lr = s.get('minDelta', 1e-4), s.get('cooldown', 0), s.get('minLr', 0.0)
    lr = s['initialLearningRate']
    best, wait, cooldown_counter = np.inf, 0, 0
    out = [lr]
    for l in losses:
        current = float('nan') if l is None else l
        if cooldown_counter > 0:
            cooldown_counter -= 1
            wait = 0
        if np.less(current, best - min_delta):
            best = current
            wait = 0
        elif not cooldown_counter > 0:
            wait += 1
            if wait >= patience:
                if lr > np.float32(min_lr):
                    lr = max(lr * factor, min_lr)
                    cooldown_counter = cooldown
                    wait = 0
        out.append(lr)
    return out


def make_schedules():
    cases = []

    def add(name, spec, n, fn):
        cases.append({'name': name, 'spec': spec, 'steps': n, 'lrs': fn(spec, n)})

    per_step = lambda f: (lambda s, n: [f(s, i) for i in range(n)])
    add('constant', {'kind': 'constant', 'lr': 0.003}, 5, lambda s, n: [s['lr']] * n)
    add('step', {'kind': 'step', 'initialLearningRate': 0.1, 'stepSize': 7, 'gamma': 0.5}, 40, t_step)
    add('stepDefaultGamma', {'kind': 'step', 'initialLearningRate': 0.05, 'stepSize': 3}, 12, t_step)
    add('exponential', {'kind': 'exponential', 'initialLearningRate': 0.01, 'decaySteps': 10, 'decayRate': 0.9}, 50,
        per_step(k_exponential))
    add('exponentialStaircase', {'kind': 'exponential', 'initialLearningRate': 0.01, 'decaySteps': 10,
                                 'decayRate': 0.9, 'staircase': True}, 50, per_step(k_exponential))
    add('piecewise', {'kind': 'piecewise', 'boundaries': [10, 20, 35], 'values': [1.0, 0.5, 0.1, 0.01]}, 45,
        per_step(k_piecewise))
    add('polynomial', {'kind': 'polynomial', 'initialLearningRate': 0.1, 'decaySteps': 30,
                       'endLearningRate': 0.001, 'power': 2.0}, 45, per_step(k_polynomial))
    add('polynomialDefaults', {'kind': 'polynomial', 'initialLearningRate': 0.1, 'decaySteps': 20}, 25,
        per_step(k_polynomial))
    add('polynomialCycle', {'kind': 'polynomial', 'initialLearningRate': 0.1, 'decaySteps': 10,
                            'endLearningRate': 0.01, 'power': 0.5, 'cycle': True}, 45, per_step(k_polynomial))
    add('cosine', {'kind': 'cosine', 'initialLearningRate': 0.1, 'decaySteps': 40, 'alpha': 0.1}, 50,
        per_step(k_cosine))
    add('cosineWarmup', {'kind': 'cosine', 'initialLearningRate': 0.0, 'decaySteps': 30, 'alpha': 0.0,
                         'warmupTarget': 0.01, 'warmupSteps': 10}, 50, per_step(k_cosine))
    add('cosineWarmupFrom', {'kind': 'cosine', 'initialLearningRate': 0.001, 'decaySteps': 25, 'alpha': 0.05,
                             'warmupTarget': 0.02, 'warmupSteps': 7}, 40, per_step(k_cosine))
    add('cosineRestarts', {'kind': 'cosineRestarts', 'initialLearningRate': 0.1, 'firstDecaySteps': 10}, 80,
        per_step(k_cosine_restarts))
    add('cosineRestartsTMul1', {'kind': 'cosineRestarts', 'initialLearningRate': 0.1, 'firstDecaySteps': 8,
                                'tMul': 1.0, 'mMul': 0.5, 'alpha': 0.01}, 40, per_step(k_cosine_restarts))
    add('cosineRestartsTMul15', {'kind': 'cosineRestarts', 'initialLearningRate': 0.02, 'firstDecaySteps': 6,
                                 'tMul': 1.5, 'mMul': 0.8, 'alpha': 0.0}, 60, per_step(k_cosine_restarts))
    add('oneCycle', {'kind': 'oneCycle', 'maxLr': 0.01, 'totalSteps': 100}, 100, t_one_cycle)
    add('oneCycleLinear', {'kind': 'oneCycle', 'maxLr': 0.1, 'totalSteps': 57, 'pctStart': 0.25,
                           'annealStrategy': 'linear'}, 57, t_one_cycle)
    add('oneCycleThreePhase', {'kind': 'oneCycle', 'maxLr': 0.05, 'totalSteps': 90, 'threePhase': True}, 90,
        t_one_cycle)
    add('oneCycleThreePhaseLinear', {'kind': 'oneCycle', 'maxLr': 0.05, 'totalSteps': 64, 'pctStart': 0.2,
                                     'threePhase': True, 'annealStrategy': 'linear', 'divFactor': 10.0,
                                     'finalDivFactor': 100.0}, 70, t_one_cycle)

    rng = np.random.RandomState(7)
    losses = list(np.round(1.0 / np.sqrt(1 + np.arange(40)) + rng.normal(0, 0.01, 40), 4))
    losses = [float(x) for x in losses]
    losses[22] = None  # a NaN epoch never counts as an improvement
    plateau = []
    for name, spec in [
        ('kerasDefaults', {'kind': 'reduceOnPlateau', 'initialLearningRate': 0.1, 'patience': 3}),
        ('kerasCooldown', {'kind': 'reduceOnPlateau', 'initialLearningRate': 0.1, 'patience': 2, 'cooldown': 2,
                           'factor': 0.5, 'minDelta': 0.005, 'minLr': 0.01}),
        ('torchRel', {'kind': 'reduceOnPlateau', 'mode': 'torch', 'initialLearningRate': 0.1, 'patience': 2,
                      'threshold': 0.01}),
        ('torchAbsCooldown', {'kind': 'reduceOnPlateau', 'mode': 'torch', 'initialLearningRate': 0.1,
                              'patience': 1, 'cooldown': 2, 'factor': 0.5, 'threshold': 0.005,
                              'thresholdMode': 'abs', 'minLr': 0.01}),
    ]:
        fn = t_plateau if spec.get('mode') == 'torch' else k_plateau
        plateau.append({'name': name, 'spec': spec, 'losses': losses, 'lrs': fn(spec, losses)})
    return cases, plateau


def main():
    os.makedirs(OUT, exist_ok=True)
    curves = make_curves()
    with open(os.path.join(OUT, 'suggestions.json'), 'w') as f:
        json.dump({'generatedBy': 'test/reference/reference.py', 'curves': nan_to_none(curves)}, f, indent=1)
    cases, plateau = make_schedules()
    with open(os.path.join(OUT, 'schedules.json'), 'w') as f:
        json.dump({'generatedBy': 'test/reference/reference.py', 'schedules': cases, 'plateau': plateau}, f, indent=1)
    print(f'{len(curves)} curves, {len(cases)} schedules, {len(plateau)} plateau cases')


if __name__ == '__main__':
    main()
