/** Tiny DOM helpers: text goes in as text nodes, never as HTML, so result labels cannot inject markup. */

/** Creates an element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attrs: Record<string, string> = {},
	...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		node.setAttribute(k, v);
	}
	node.append(...children);
	return node;
}

/**
 * A `<vscode-option>` with a value and a label. `selected` marks the initial choice: a new
 * `vscode-single-select` only learns its options after they are slotted (asynchronously), so setting
 * `.value` right after creating it would be lost.
 */
export function option(
	value: string,
	label: string,
	description?: string,
	selected = false,
): HTMLElement {
	const o = el('vscode-option', { value }, label);
	if (description) {
		o.setAttribute('description', description);
	}
	if (selected) {
		o.setAttribute('selected', '');
	}
	return o;
}

/** The value of a `vscode-single-select`, or its initially selected option's while it is still initialising. */
export function selectValue(select: HTMLElement & { value: string }): string {
	return (
		select.value || select.querySelector('vscode-option[selected]')?.getAttribute('value') || ''
	);
}
