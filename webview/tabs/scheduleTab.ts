/** The Schedule tab: the schedule designer, seeded from the current range test. */
import { MessageType } from '../../src/shared/webviewProtocol';
import { el } from '../dom';
import { panel } from '../panelDom';
import { currentRangeTest, look, summary } from '../panelState';
import { ScheduleDesigner } from '../scheduleDesigner';
import { host } from '../vscodeApi';

let designer: ScheduleDesigner | undefined;

/** Creates the designer in its panel (once, after the panel is built). */
export function buildScheduleTab(): void {
	designer = new ScheduleDesigner(
		panel.designerRoot,
		() => look.theme,
		(s) => host.setState({ ...host.getState(), designer: s }),
		(code, what) => host.post({ type: MessageType.CopyCode, code, what }),
		(spec, resultId) =>
			host.post({
				type: MessageType.TrainWithSchedule,
				spec,
				...(resultId ? { resultId } : {}),
			}),
	);
}

/** Frees the designer's chart (another tab is shown). */
export function hideScheduleTab(): void {
	designer?.destroy();
}

export function renderSchedule(): void {
	const r = currentRangeTest();
	panel.scheduleEmpty.hidden = r !== undefined;
	panel.scheduleEmpty.replaceChildren(
		el(
			'p',
			{ class: 'muted' },
			'No range test yet: the designer starts from a generic cosine decay.',
		),
	);
	const saved = host.getState().designer;
	designer?.show(r?.id ?? 'none', r?.rangeTest, saved);
	summary.textContent = r ? `Schedule designer for ${r.label}.` : 'Schedule designer.';
}
