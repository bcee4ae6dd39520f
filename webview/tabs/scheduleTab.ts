/** The Schedule tab: the schedule designer, seeded from the current range test. */
import type { ScheduleSpec } from '../../src/core/schedules/spec';
import type { LoadedRangeTest } from '../../src/core/types';
import type { ResultView } from '../../src/shared/webviewProtocol';
import { el } from '../dom';
import { panel } from '../panelDom';
import type { DesignerState } from '../scheduleDesigner';
import { ScheduleDesigner } from '../scheduleDesigner';
import type { ChartTheme } from '../theme';
import type { PersistedState } from '../vscodeApi';
import type { TabOutput } from './tabOutput';

/** What the Schedule tab shows (built by the panel from its state). */
export interface ScheduleTabView {
	/** The selected range test, else the newest one (the designer's seed). */
	readonly rangeTest: (ResultView & { readonly rangeTest: LoadedRangeTest }) | undefined;
	/** The designer's saved state, if any. */
	readonly saved: PersistedState['designer'];
}

let designer: ScheduleDesigner | undefined;

/** What the designer asks of the panel: its colours, saving its state, and the host's actions. */
export interface ScheduleTabActions {
	theme(): ChartTheme;
	save(s: DesignerState): void;
	copyCode(code: string, what: string): void;
	trainWith(spec: ScheduleSpec, resultId: string | undefined): void;
}

/** Creates the designer in its panel (once, after the panel is built). */
export function buildScheduleTab(act: ScheduleTabActions): void {
	designer = new ScheduleDesigner(
		panel.designerRoot,
		() => act.theme(),
		(s) => act.save(s),
		(code, what) => act.copyCode(code, what),
		(spec, resultId) => act.trainWith(spec, resultId),
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
