/**
 * The schedule designer: kind, optimizer and parameters (pre-filled from the recommender for the
 * selected range test), an LR-vs-step preview, "Copy tfjs code" (the host writes the clipboard) and
 * "Train script with this schedule" (the host runs the script in monitor mode with the spec applied).
 * Every edit is validated by the core's `parseScheduleSpec`; its one-line error is shown inline.
 */
import { errorText } from '../src/core/present/errorText';
import type { LoadedRangeTest } from '../src/core/types';
import type { ScheduleKind, ScheduleSpec } from '../src/core/schedules/spec';
import { parseScheduleSpec } from '../src/core/schedules/parseSpec';
import { scheduleKinds } from '../src/core/schedules/spec';
import { describeSchedule } from '../src/core/present/schedule';
import type { OptimizerKind } from '../src/core/tfjsNames';
import { scheduleCode } from '../src/core/schedules/scheduleCode';
import { optimizerKinds } from '../src/core/tfjsNames';
import { recommendFor } from './recommendation';
import type { ChartTheme } from './theme';
import { defaultScheduleSpec } from './viewModels/scheduleViewModel';
import { el, option } from './dom';
import { field, primaryLr } from './scheduleFields';
import { ScheduleParams } from './scheduleParams';
import { SchedulePreview } from './schedulePreview';

/** What the designer persists (through the caller's `setState`). */
export interface DesignerState {
	resultId: string;
	spec: unknown;
	totalSteps: number;
	optimizer: string;
}

/** Maps a model's optimizer description ("adam", "Adam", "tf.train.sgd") to a generator kind. */
export function optimizerKindOf(name: string | undefined): OptimizerKind {
	const n = (name ?? '').toLowerCase();
	return optimizerKinds.find((k) => n.includes(k)) ?? 'adam';
}

/** Builds and owns the designer's DOM inside `root`. */
export class ScheduleDesigner {
	private _state: DesignerState | undefined;
	private _result: LoadedRangeTest | undefined;
	private _spec: ScheduleSpec | undefined;
	private readonly _kind = el('vscode-single-select', {
		id: 'designer-kind',
		'aria-label': 'Schedule kind',
	});
	private readonly _optimizer = el('vscode-single-select', {
		id: 'designer-optimizer',
		'aria-label': 'Optimizer',
	});
	private readonly _steps = el('vscode-textfield', {
		id: 'designer-steps',
		type: 'number',
		min: '1',
		'aria-label': 'Training steps',
	});
	private readonly _params = new ScheduleParams(() => this._update());
	private readonly _preview: SchedulePreview;
	private readonly _error = el('p', { class: 'error', role: 'alert', id: 'designer-error' });
	private readonly _description = el('p', { class: 'muted', id: 'designer-description' });
	private readonly _code = el('pre', {
		class: 'code',
		id: 'designer-code',
		tabindex: '0',
		'aria-label': 'Generated tfjs code',
	});
	private readonly _copy = el('vscode-button', { id: 'copy-code' }, 'Copy tfjs code');
	private readonly _train = el(
		'vscode-button',
		{
			id: 'train-with-schedule',
			secondary: '',
			title:
				"Run a training script with this schedule applied per batch; the script's code is not edited",
		},
		'Train script with this schedule',
	);
	private readonly _reset = el(
		'vscode-button',
		{ id: 'designer-reset', secondary: '' },
		'Reset to recommendation',
	);
	private readonly _recommendation = el('p', {
		class: 'recommendation',
		id: 'designer-recommendation',
	});

	constructor(
		readonly root: HTMLElement,
		theme: () => ChartTheme,
		private readonly _save: (s: DesignerState) => void,
		private readonly _copyCode: (code: string, what: string) => void,
		private readonly _trainWith: (spec: ScheduleSpec, resultId: string | undefined) => void,
	) {
		this._preview = new SchedulePreview(theme);
		for (const k of scheduleKinds) {
			this._kind.append(option(k, k));
		}
		for (const o of optimizerKinds) {
			this._optimizer.append(option(o, `tf.train.${o}`));
		}
		root.append(
			this._recommendation,
			el(
				'div',
				{ class: 'designer-row' },
				field('Kind', this._kind),
				field('Optimizer', this._optimizer),
				field('Training steps', this._steps),
			),
			this._params.element,
			this._error,
			this._description,
			this._preview.element,
			el('div', { class: 'button-row' }, this._copy, this._train, this._reset),
			this._code,
		);
		this._kind.addEventListener('change', () => this._onKind());
		this._optimizer.addEventListener('change', () => this._update());
		this._steps.addEventListener('change', () => this._onKind(true));
		this._copy.addEventListener('click', () => this._onCopy());
		this._train.addEventListener('click', () => this._onTrain());
		this._reset.addEventListener('click', () => this._prefill());
	}

	/** Shows the designer for `result` (id `resultId`), restoring `saved` when it belongs to it. */
	show(
		resultId: string,
		result: LoadedRangeTest | undefined,
		saved: DesignerState | undefined,
	): void {
		this._result = result;
		if (saved && saved.resultId === resultId) {
			this._state = saved;
			this._applyState();
		} else {
			this._state = {
				resultId,
				spec: undefined,
				totalSteps: 1000,
				optimizer: optimizerKindOf(result?.model.optimizer),
			};
			this._prefill();
		}
	}

	/** Redraws the preview (theme change). */
	redraw(): void {
		this._drawPreview();
	}

	/** Frees the chart. */
	destroy(): void {
		this._preview.destroy();
	}

	private _prefill(): void {
		if (!this._state) {
			return;
		}
		const rec = recommendFor(this._result, this._state.totalSteps);
		this._state = { ...this._state, spec: rec.spec, totalSteps: rec.totalSteps };
		this._recommendation.textContent = rec.why;
		this._applyState();
	}

	private _applyState(): void {
		const s = this._state;
		if (!s) {
			return;
		}
		let spec: ScheduleSpec;
		try {
			spec = parseScheduleSpec(s.spec);
		} catch {
			spec = defaultScheduleSpec('cosine', this._headlineLr(), s.totalSteps);
		}
		if (!this._recommendation.textContent) {
			this._recommendation.textContent = recommendFor(this._result, s.totalSteps).why;
		}
		this._kind.value = spec.kind;
		this._optimizer.value = optimizerKindOf(s.optimizer);
		this._steps.value = String(s.totalSteps);
		this._params.render(spec);
		this._update();
	}

	/** The schedule's default peak: the result's headline LR (the same number every surface shows). */
	private _headlineLr(): number {
		return (this._result ? this._result.report.headline.lr : null) ?? 1e-3;
	}

	private _onKind(keepKind = false): void {
		const kind = this._kind.value as ScheduleKind;
		const lr = this._spec ? primaryLr(this._spec) : this._headlineLr();
		const steps = this._totalSteps();
		if (!keepKind || !this._spec) {
			this._params.render(defaultScheduleSpec(kind, lr, steps));
		} else if ('totalSteps' in this._spec || 'decaySteps' in this._spec) {
			// A new training length re-derives the step-based parameters; the LR stays.
			this._params.render(defaultScheduleSpec(kind, lr, steps));
		}
		this._update();
	}

	private _totalSteps(): number {
		const n = Math.round(Number(this._steps.value));
		return Number.isFinite(n) && n >= 1 ? Math.min(n, 1_000_000) : 1000;
	}

	private _update(): void {
		const raw = this._params.read(this._kind.value);
		const totalSteps = this._totalSteps();
		try {
			this._spec = parseScheduleSpec(raw);
			this._error.textContent = '';
			this._error.hidden = true;
		} catch (err) {
			this._spec = undefined;
			this._error.textContent = errorText(err);
			this._error.hidden = false;
		}
		if (this._state) {
			this._state = { ...this._state, spec: raw, totalSteps, optimizer: this._optimizer.value };
			this._save(this._state);
		}
		if (this._spec) {
			const code = scheduleCode(this._spec, { optimizer: optimizerKindOf(this._optimizer.value) });
			this._description.textContent =
				describeSchedule(this._spec) +
				(this._spec.kind === 'reduceOnPlateau'
					? '. The preview is flat: reductions depend on the monitored loss.'
					: '.');
			this._code.textContent = code;
			this._copy.toggleAttribute('disabled', false);
			this._train.toggleAttribute('disabled', false);
		} else {
			this._description.textContent = '';
			this._code.textContent = '';
			this._copy.toggleAttribute('disabled', true);
			this._train.toggleAttribute('disabled', true);
		}
		this._drawPreview();
	}

	private _drawPreview(): void {
		this._preview.draw(this._spec, () => this._totalSteps(), this.root.offsetParent !== null);
	}

	private _onCopy(): void {
		if (!this._spec) {
			return;
		}
		const code = scheduleCode(this._spec, { optimizer: optimizerKindOf(this._optimizer.value) });
		this._copyCode(code, `${this._spec.kind} schedule callback`);
	}

	private _onTrain(): void {
		if (!this._spec) {
			return;
		}
		// The selected range test's script is the host's default; an empty id means none selected.
		this._trainWith(this._spec, this._state?.resultId || undefined);
	}
}
