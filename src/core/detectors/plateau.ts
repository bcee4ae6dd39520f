/**
 * Plateau / stall rule: no improvement of the (smoothed) series by more than minDelta — and by more
 * than its own noise — for `patience` records. One finding per genuine stall: only a real
 * resumption of progress re-arms it.
 */
import { formatNum } from '../present/format';
import { plateauAction } from '../present/detectorActions';
import type { Finding } from '../types';
import type { DetectorOptions } from './options';
import { seriesFinding, unitWord, type RuleContext, type SeriesRule } from './rule';
import type { SeriesState } from './state';

/** Feeds a finite value (after divergence and spike: a spike's outliers are not the level). */
export const feedPlateau: SeriesRule = (ctx, s, step, x, diverged, out) => {
	// A spike's outliers (≥ multiplier × the window mean) are not the series' level: they would
	// lift the smoothed value and the noise estimate and fake a stall afterwards.
	const outlier = s.unit === 'step' && s.outliers > 0;
	if (!ctx.on('plateau') || outlier) {
		return;
	}
	const o = ctx.options;
	const p = s.plateauEma.push(x) as number;
	feedNoise(s, x, p);
	s.lastPlateau = p;
	// Noise in the smoothed series must not count as progress: require twice its std too.
	const beta = s.unit === 'step' ? o.plateau.beta : 0;
	const noiseVar = s.noisePow < 1 ? s.noiseVar / (1 - s.noisePow) : 0;
	const noiseRel = o.plateau.noiseZ * Math.sqrt(noiseVar * ((1 - beta) / (1 + beta)));
	// No "best" before the smoother has warmed up (~1/(1−β) values): its first outputs are
	// little more than the raw, noisy values, and a lucky low one would look like a best
	// that nothing later beats.
	const warm = s.plateauEma.count >= Math.ceil(1 / (1 - beta));
	const absBest = Math.abs(s.plateauBest);
	const need =
		o.plateau.mode === 'rel'
			? s.plateauBest - Math.max(o.plateau.minDelta, noiseRel) * absBest
			: s.plateauBest - Math.max(o.plateau.minDelta, noiseRel * absBest);
	rearmOnResumedFall(s, o, step, x, p, noiseRel);
	// Epochs keep two patiences: a wobbly epoch loss's trend shows over the longer span (trendFalls).
	pushWindow(s, p, s.unit === 'step' ? o.plateau.patienceSteps : 2 * o.plateau.patienceEpochs);
	if (!warm) {
		// warming up: neither a best nor a wait yet
	} else if (p < need || s.plateauBest === Infinity) {
		s.plateauBest = p;
		s.plateauBestStep = step;
		s.wait = 0;
	} else {
		s.wait++;
		waited(ctx, s, step, p, diverged, noiseRel, out);
	}
};

/** Keeps the last `size + 1` smoothed values (for the trend test), as a ring. */
function pushWindow(s: SeriesState, p: number, size: number): void {
	const w = s.plateauWindow;
	if (w.length < size + 1) {
		w.push(p);
		return;
	}
	w[s.plateauWindowPos] = p;
	s.plateauWindowPos = (s.plateauWindowPos + 1) % w.length;
}

/**
 * The series' own noise, apart from its trend (issue 20): the second difference of the raw values
 * (epochs: in log space when positive; steps: relative to the smoothed level), whose variance is 6σ² for
 * independent noise σ and ~0 for any steady exponential fall. The first difference, or the distance
 * from the smoothed value, would count a steady fall as noise — on an epoch series it made every
 * later improvement look like noise, so a loss still falling 5 % per epoch read as a plateau.
 */
function feedNoise(s: SeriesState, x: number, p: number): void {
	const a = s.prevRaw;
	const b = s.prevRaw2;
	s.prevRaw2 = a;
	s.prevRaw = x;
	if (a !== a || b !== b) {
		return;
	}
	// Epoch series can fall by half per epoch: log space makes any steady exponential fall a line.
	// Step series move little per step: relative to the smoothed level, as the noise it is compared to.
	const d =
		s.unit === 'epoch' && x > 0 && a > 0 && b > 0
			? Math.log(x) - 2 * Math.log(a) + Math.log(b)
			: p !== 0
				? (x - 2 * a + b) / Math.abs(p)
				: 0;
	// Epoch series are short and their first epochs fall steeply and unevenly: a memory of ~3 epochs
	// keeps those first epochs from setting the noise level for the whole run.
	const decay = s.unit === 'step' ? 0.99 : 0.7;
	s.noiseVar = decay * s.noiseVar + ((1 - decay) * d * d) / 6;
	s.noisePow *= decay;
}

/**
 * Whether the series is still falling over the last `patience` records despite no new best (issue
 * 20): the mean of the newer half of the window is below the older half's by more than minDelta and
 * the noise. A best-so-far test alone misses a slow fall that a lucky early low hides.
 */
function stillFalling(s: SeriesState, o: DetectorOptions, noiseRel: number): boolean {
	const w = s.plateauWindow;
	const n = w.length;
	if (n < 4) {
		return false;
	}
	if (s.unit === 'epoch') {
		return epochTrendFalls(s, o);
	}
	const half = Math.floor(n / 2);
	let older = 0;
	let newer = 0;
	for (let i = 0; i < half; i++) {
		older += w[(s.plateauWindowPos + i) % n];
		newer += w[(s.plateauWindowPos + n - half + i) % n];
	}
	older /= half;
	newer /= half;
	const delta =
		o.plateau.mode === 'rel'
			? Math.max(o.plateau.minDelta, noiseRel) * Math.abs(older)
			: Math.max(o.plateau.minDelta, noiseRel * Math.abs(older));
	return newer < older - delta;
}

/**
 * Epoch series (issue 20): a least-squares line through the last patience + 1 epochs (log values
 * when positive, so the fall is relative). Still falling when the line falls by more than minDelta
 * and more than one standard error of that fall. Six unsmoothed epochs hold too few values for the
 * halves test: one wobbly epoch (0.042 → 0.046 → 0.039) made a best-so-far stall of a loss still
 * falling 8 % per 5 epochs; a flat loss passes this test by chance on ~1 check in 6, which only
 * delays its finding by an epoch.
 *
 * A loss that wobbles by more than it falls per patience (momentum, small batches) is judged over two
 * patiences as well: still falling when that longer line falls beyond its own standard error and the
 * last patience is consistent with a fall slowing down at most by half (its fall within two of its
 * standard errors of half the longer line's rate). An abrupt stop — a frozen LR leaves the epoch loss flat to its last digit — is not
 * consistent with the earlier fall, so it is not delayed by the longer window.
 */
function epochTrendFalls(s: SeriesState, o: DetectorOptions): boolean {
	const patience = o.plateau.patienceEpochs;
	const short = trend(s, o, patience + 1);
	if (short.fall > Math.max(short.min, short.se)) {
		return true;
	}
	if (s.plateauWindow.length < 2 * patience + 1) {
		return false;
	}
	const long = trend(s, o, 2 * patience + 1);
	// Half the longer line's rate per patience: a healthy loss's fall slows down as it converges.
	const rate = long.fall / 4;
	return long.fall > Math.max(long.min, long.se) && short.fall + 2 * short.se >= rate;
}

/** The fall of a least-squares line over the last n values of the window, its standard error, the least fall that counts. */
function trend(
	s: SeriesState,
	o: DetectorOptions,
	n: number,
): { fall: number; se: number; min: number } {
	const w = s.plateauWindow;
	const size = w.length;
	n = Math.min(n, size);
	const first = s.plateauWindowPos + size - n;
	const logs = o.plateau.mode === 'rel' && w.every((v) => v > 0);
	const y = (i: number): number => {
		const v = w[(first + i) % size];
		return logs ? Math.log(v) : v;
	};
	const mx = (n - 1) / 2;
	let my = 0;
	for (let i = 0; i < n; i++) {
		my += y(i) / n;
	}
	let sxx = 0;
	let sxy = 0;
	for (let i = 0; i < n; i++) {
		sxx += (i - mx) ** 2;
		sxy += (i - mx) * (y(i) - my);
	}
	const slope = sxy / sxx;
	let rss = 0;
	for (let i = 0; i < n; i++) {
		rss += (y(i) - my - slope * (i - mx)) ** 2;
	}
	const span = n - 1;
	const fall = -slope * span;
	const se = Math.sqrt(rss / (n - 2) / sxx) * span;
	const min =
		logs || o.plateau.mode === 'abs' ? o.plateau.minDelta : o.plateau.minDelta * Math.abs(my);
	return { fall, se, min };
}

/**
 * After a finding, only a real resumption of progress — the smoothed value falling rearmDrop (and
 * well beyond the noise) below a slower average with a memory of about one patience — re-arms the
 * rule; a converged run creeping down does not.
 */
function rearmOnResumedFall(
	s: SeriesState,
	o: DetectorOptions,
	step: number,
	x: number,
	p: number,
	noiseRel: number,
): void {
	const latch = s.plateauLatch;
	if (latch.armed || s.plateauSlow !== s.plateauSlow) {
		return;
	}
	const b = s.plateauSlowBeta;
	const slow = (s.plateauSlow = b * s.plateauSlow + (1 - b) * x);
	const drop = Math.max(o.plateau.rearmDrop, 2 * Math.SQRT2 * noiseRel);
	if (p < slow - drop * Math.abs(slow)) {
		latch.armed = true;
		s.plateauBest = p;
		s.plateauBestStep = step;
		s.wait = 0;
	}
}

/** One more record without improvement: a finding once the wait reaches the patience. */
function waited(
	ctx: RuleContext,
	s: SeriesState,
	step: number,
	p: number,
	diverged: boolean,
	noiseRel: number,
	out: Finding[],
): void {
	const o = ctx.options;
	const patience = s.unit === 'step' ? o.plateau.patienceSteps : o.plateau.patienceEpochs;
	if (s.wait >= patience && stillFalling(s, o, noiseRel)) {
		if (s.unit === 'epoch') {
			// The trend is judged again next epoch: a wobble must not restart the whole count.
			return;
		}
		// Still falling, just not past a lucky early low: progress, so the count starts again here.
		s.plateauBest = p;
		s.plateauBestStep = step;
		s.wait = 0;
		return;
	}
	// A diverging or NaN series is already reported; a "stall" on top would be noise.
	// Likewise for an epoch series whose train/val pair already has an over/underfitting finding.
	const broken =
		!s.latch('divergence').armed || !s.latch('nonFinite').armed || diverged || ctx.pairExplains(s);
	if (s.wait < patience || broken) {
		return;
	}
	const l = s.latch('plateau');
	if (!l.armed) {
		return;
	}
	l.armed = false;
	s.plateauSlow = p;
	const how =
		o.plateau.mode === 'rel'
			? `${formatNum(o.plateau.minDelta * 100)}%`
			: formatNum(o.plateau.minDelta);
	const u = unitWord(s);
	out.push(
		seriesFinding(
			'plateau',
			s,
			s.plateauBestStep,
			step,
			`${s.series} has not improved by more than ${how} for ${s.wait} ${u}s (best ${formatNum(s.plateauBest)} at ${u} ${s.plateauBestStep}).`,
			plateauAction(o.suggestedLr),
		),
	);
}
