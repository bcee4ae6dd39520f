/**
 * The schedule designer's parameter fields: one input per parameter of a spec (a checkbox, a
 * select for string options, a text field for numbers, lists and names), and the raw spec read
 * back from them for the core's `parseScheduleSpec` to validate.
 */
import type { ScheduleSpec } from '../src/core/schedules/spec';
import { el, option, selectValue } from './dom';
import { formatFieldNumber } from '../src/core/present/format';
import { enumFields, field, fieldLabels } from './scheduleFields';

/** Builds and reads the parameter fields inside its own `element`. */
export class ScheduleParams {
	readonly element = el('div', { class: 'designer-params', id: 'designer-params' });

	/** `onEdit` runs on every change or keystroke in a field. */
	constructor(private readonly _onEdit: () => void) {}

	/** Replaces the fields with those of `spec`, filled with its values. */
	render(spec: ScheduleSpec): void {
		this.element.replaceChildren();
		for (const [name, value] of Object.entries(spec)) {
			if (name === 'kind') {
				continue;
			}
			const label = fieldLabels[name] ?? name;
			let input: HTMLElement;
			if (typeof value === 'boolean') {
				input = el('vscode-checkbox', { 'data-field': name, 'data-type': 'bool', label });
				(input as HTMLElement & { checked: boolean }).checked = value;
				input.addEventListener('change', () => this._onEdit());
				this.element.append(el('div', { class: 'param param-bool' }, input));
				continue;
			}
			if (name in enumFields) {
				input = el('vscode-single-select', {
					'data-field': name,
					'data-type': 'enum',
					'aria-label': label,
				});
				for (const o of enumFields[name]) {
					input.append(option(o, o, undefined, o === value));
				}
			} else {
				const type = Array.isArray(value)
					? 'array'
					: typeof value === 'string'
						? 'string'
						: 'number';
				input = el('vscode-textfield', {
					'data-field': name,
					'data-type': type,
					'aria-label': label,
				});
				(input as HTMLElement & { value: string }).value = Array.isArray(value)
					? value.map((v: number) => formatFieldNumber(v)).join(', ')
					: value === null
						? ''
						: typeof value === 'number'
							? formatFieldNumber(value)
							: String(value);
			}
			input.addEventListener('change', () => this._onEdit());
			input.addEventListener('input', () => this._onEdit());
			this.element.append(field(label, input, 'param'));
		}
	}

	/** The raw spec of kind `kind` the fields say now (unvalidated). */
	read(kind: string): Record<string, unknown> {
		const raw: Record<string, unknown> = { kind };
		for (const input of this.element.querySelectorAll<
			HTMLElement & { value: string; checked: boolean }
		>('[data-field]')) {
			const name = input.dataset.field as string;
			const text = String(
				input.dataset.type === 'enum' ? selectValue(input) : (input.value ?? ''),
			).trim();
			switch (input.dataset.type) {
				case 'bool':
					raw[name] = input.checked;
					break;
				case 'enum':
				case 'string':
					raw[name] = text;
					break;
				case 'array':
					raw[name] =
						text === ''
							? []
							: text
									.split(/[,\s]+/)
									.filter(Boolean)
									.map(Number);
					break;
				default:
					// Empty means "none" for nullable fields (warmupTarget); the core rejects it elsewhere.
					raw[name] = text === '' ? null : Number(text);
			}
		}
		return raw;
	}
}
