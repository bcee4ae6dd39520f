/** The Schedule tab: the schedule designer, seeded from the current range test. */
import type { RangeTestResult } from '../../src/core/types';
import type { ResultView } from '../../src/shared/webviewProtocol';
import { MessageType } from '../../src/shared/webviewProtocol';
import { el } from '../dom';
import { panel } from '../panelDom';
import { ScheduleDesigner } from '../scheduleDesigner';
import type { ChartTheme } from '../theme';
import type { PersistedState } from '../vscodeApi';
import { host } from '../vscodeApi';
import type { TabOutput } from './tabOutput';

/** What the Schedule tab shows (built by the panel from its state). */
export interface ScheduleTabView {
	/** The selected range test, else the newest one (the designer's seed). */
	readonly rangeTest: (ResultView & { readonly rangeTest: RangeTestResult }) | undefined;
	/** The designer's saved state, if any. */
	readonly saved: PersistedState['designer'];
}

let designer: ScheduleDesigner | undefined;

/** Creates the designer in its panel (once, after the panel is built). */
export function buildScheduleTab(theme: () => ChartTheme): void {
	designer = new ScheduleDesigner(
		panel.designerRoot,
		theme,
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

export function renderSchedule(view: ScheduleTabView, out: Pick<TabOutput, 'say'>): void {
	const r = view.rangeTest;
	panel.scheduleEmpty.hidden = r !== undefined;
	panel.scheduleEmpty.replaceChildren(
		el(
			'p',
			{ class: 'muted' },
			'No range test yet: the designer starts from a generic cosine decay.',
		),
	);
	designer?.show(r?.id ?? 'none', r?.rangeTest, view.saved);
	out.say(r ? `Schedule designer for ${r.label}.` : 'Schedule designer.');
}
