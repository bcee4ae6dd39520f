/** What one benchmark module reports. Ratios are measured within one run, never against stored times. */
export interface BenchRow {
	name: string;
	value: number;
	unit: string;
	/** Ratio to the baseline named in `baseline`, measured in the same run. */
	ratio?: number;
	baseline?: string;
	note?: string;
}

export interface BenchSection {
	title: string;
	rows: BenchRow[];
	notes?: string[];
}

/** Each `bench/*.bench.ts` exports `run`. */
export type BenchModule = { run(): Promise<BenchSection> };
