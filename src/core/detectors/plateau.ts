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
	if (s.lastPlateau === s.lastPlateau && s.lastPlateau !== 0) {
		const r = (x - s.lastPlateau) / s.lastPlateau;
		s.noiseVar = 0.99 * s.noiseVar + 0.01 * r * r;
		s.noisePow *= 0.99;
	}
	const p = s.plateauEma.push(x) as number;
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
	if (!warm) {
		// warming up: neither a best nor a wait yet
	} else if (p < need || s.plateauBest === Infinity) {
		s.plateauBest = p;
		s.plateauBestStep = step;
		s.wait = 0;
	} else {
		s.wait++;
		waited(ctx, s, step, p, diverged, out);
	}
};

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
	out: Finding[],
): void {
	const o = ctx.options;
	const patience = s.unit === 'step' ? o.plateau.patienceSteps : o.plateau.patienceEpochs;
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
