/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line, e.g.
 * `npm run bench -- logs`), prints a table per section and writes `bench/results/latest.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchModule, BenchSection } from './types';

async function main(): Promise<void> {
	const only = process.argv.slice(2);
	const files = fs
		.readdirSync(__dirname)
		.filter((f) => f.endsWith('.bench.ts'))
		.filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
		.sort();
	const sections: BenchSection[] = [];
	for (const f of files) {
		const mod = (await import(path.join(__dirname, f))) as BenchModule;
		process.stderr.write(`bench: ${f} ...\n`);
		const section = await mod.run();
		sections.push(section);
		print(section);
	}
	const outDir = path.join(__dirname, 'results');
	fs.mkdirSync(outDir, { recursive: true });
	fs.writeFileSync(
		path.join(outDir, 'latest.json'),
		JSON.stringify({ date: new Date().toISOString(), sections }, null, 2),
	);
}

function print(s: BenchSection): void {
	console.log(`\n## ${s.title}`);
	for (const r of s.rows) {
		const ratio =
			r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(3)} vs ${r.baseline ?? 'baseline'}` : '';
		console.log(
			`  ${r.name.padEnd(48)} ${fmt(r.value).padStart(12)} ${r.unit}${ratio}${r.note ? `  (${r.note})` : ''}`,
		);
	}
	for (const n of s.notes ?? []) {
		console.log(`  note: ${n}`);
	}
}

function fmt(x: number): string {
	return Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(4);
}

main().catch((e: unknown) => {
	console.error(e);
	process.exitCode = 1;
});
