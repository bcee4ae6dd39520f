/**
 * The layer signals' probe: a few rows of the script's x run through sub-models of the script's
 * model (built once) to read activations (dead ReLUs, saturated sigmoid/tanh units) and to find the
 * first layer whose output is non-finite.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../sources/sourceTypes';

export type Act = 'relu' | 'sigmoid' | 'tanh' | undefined;
type Rec = Record<string, unknown>;

export interface TrackedLayer {
	name: string;
	layer: tfTypes.layers.Layer;
	/** tf.Variable names of its trainable weights. */
	vars: string[];
	params: number;
	act: Act;
}

/** Rows of the probe batch: enough to tell a dead unit from an unlucky one, cheap to run. */
const probeRows = 32;
/** Activations within this distance of a sigmoid/tanh bound count as saturated (1 %). */
const satEps = 0.01;

export function activationOf(layer: tfTypes.layers.Layer): Act {
	const l = layer as unknown as Rec;
	const cls = layer.getClassName();
	if (cls === 'ReLU') {
		return 'relu';
	}
	const a = l.activation as { getClassName?: () => string } | undefined;
	const name = a?.getClassName?.();
	if (name === 'relu' || name === 'relu6') {
		return 'relu';
	}
	if (name === 'sigmoid' || name === 'hardSigmoid') {
		return 'sigmoid';
	}
	if (name === 'tanh') {
		return 'tanh';
	}
	return undefined;
}

/** First `probeRows` rows of the script's x (kept; the caller disposes with `dispose`). */
export function takeProbe(
	tf: Tf,
	x: tfTypes.Tensor | tfTypes.Tensor[] | undefined,
): tfTypes.Tensor[] | undefined {
	if (!x) {
		return undefined;
	}
	try {
		const list = Array.isArray(x) ? x : [x];
		return list.map((t) => tf.keep(t.slice(0, Math.min(probeRows, t.shape[0]))));
	} catch {
		return undefined;
	}
}

/** The probe batch and the sub-models it runs through. */
export class LayerProbe {
	private _tensors: tfTypes.Tensor[] | undefined;
	private _actModel: tfTypes.LayersModel | null | undefined;
	private _fullModel: tfTypes.LayersModel | null | undefined;

	constructor(
		private readonly _tfRef: Tf,
		private readonly _modelRef: tfTypes.LayersModel,
		private readonly _layersRef: readonly TrackedLayer[],
	) {}

	/** Whether the activation model was built (the first probe pays for it). */
	get built(): boolean {
		return this._actModel !== undefined;
	}

	/** Sets the probe batch (replacing, and disposing, an earlier one). */
	set(probe: tfTypes.Tensor[] | undefined): void {
		this._tensors?.forEach((t) => t.dispose());
		this._tensors = probe;
	}

	/** Stops probing (after a failure) without touching the tensors. */
	drop(): void {
		this._tensors = undefined;
	}

	/** The first layer (forward order) whose output on the probe batch is non-finite. */
	firstNonFiniteOutput(): string | undefined {
		const tf = this._tfRef;
		if (!this._tensors) {
			return undefined;
		}
		if (this._fullModel === undefined) {
			this._fullModel = this._subModel(
				this._modelRef.layers.filter((l) => l.getClassName() !== 'InputLayer'),
			);
		}
		const m = this._fullModel;
		if (!m) {
			return undefined;
		}
		const names = m.outputs.map((_o, i) => this._outLayers.get(m)![i]);
		const flags = tf.tidy(() => {
			const outs = m.predict(this._tensors!.length === 1 ? this._tensors![0] : this._tensors!);
			const list = Array.isArray(outs) ? outs : [outs];
			return tf.stack(list.map((o) => tf.any(tf.logicalNot(tf.isFinite(o))).cast('float32')));
		});
		const f = flags.dataSync();
		flags.dispose();
		const i = f.findIndex((v) => v > 0);
		return i >= 0 ? names[i] : undefined;
	}

	private readonly _outLayers = new Map<tfTypes.LayersModel, string[]>();

	/** A model from the script's inputs to these layers' outputs (null when the graph does not allow it). */
	private _subModel(layers: tfTypes.layers.Layer[]): tfTypes.LayersModel | null {
		const tf = this._tfRef;
		const outs: tfTypes.SymbolicTensor[] = [];
		const names: string[] = [];
		for (const l of layers) {
			try {
				const o = l.output;
				if (!Array.isArray(o)) {
					outs.push(o);
					names.push(l.name);
				}
			} catch {
				// A shared layer has several outputs: skip it.
			}
		}
		if (outs.length === 0) {
			return null;
		}
		try {
			const m = tf.model({ inputs: this._modelRef.inputs, outputs: outs });
			this._outLayers.set(m, names);
			return m;
		} catch {
			return null;
		}
	}

	/** The probe's dead/saturated fractions per tracked layer (nulls where not applicable). */
	activations(): { dead: (number | null)[]; sat: (number | null)[] } {
		const n = this._layersRef.length;
		const dead: (number | null)[] = new Array<number | null>(n).fill(null);
		const sat: (number | null)[] = new Array<number | null>(n).fill(null);
		const tf = this._tfRef;
		if (!this._tensors) {
			return { dead, sat };
		}
		if (this._actModel === undefined) {
			this._actModel = this._subModel(this._layersRef.filter((l) => l.act).map((l) => l.layer));
		}
		const m = this._actModel;
		if (!m) {
			return { dead, sat };
		}
		const names = this._outLayers.get(m)!;
		const acts = names.map((nm) => this._layersRef.find((l) => l.name === nm)!.act);
		const t = tf.tidy(() => {
			const outs = m.predict(this._tensors!.length === 1 ? this._tensors![0] : this._tensors!);
			const list = Array.isArray(outs) ? outs : [outs];
			return tf.stack(
				list.map((o, i) => {
					const units = o.shape[o.shape.length - 1] ?? 1;
					const y = o.reshape([-1, units]);
					if (acts[i] === 'relu') {
						return tf.mean(tf.lessEqual(tf.max(y, 0), 0).cast('float32'));
					}
					const off = acts[i] === 'tanh' ? tf.sub(1, tf.abs(y)) : tf.minimum(y, tf.sub(1, y));
					return tf.mean(tf.less(off, acts[i] === 'tanh' ? 2 * satEps : satEps).cast('float32'));
				}),
			);
		});
		const v = t.dataSync();
		t.dispose();
		names.forEach((nm, i) => {
			const li = this._layersRef.findIndex((l) => l.name === nm);
			const x = Number.isFinite(v[i]) ? v[i] : null;
			if (acts[i] === 'relu') {
				dead[li] = x;
			} else {
				sat[li] = x;
			}
		});
		return { dead, sat };
	}
}
