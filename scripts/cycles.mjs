// Prints every import circle among the files of src/ and webview/ (docs/architecture.md, "Import
// circles") and exits 1 when there is any. Type-only imports count: a circle of types is still two
// files that cannot be read, moved or split one without the other.
// Usage: node scripts/cycles.mjs   (npm run check:cycles)
import { cruise } from 'dependency-cruiser';

const roots = ['src', 'webview'];
const inRoots = (file) => roots.some((r) => file.startsWith(`${r}/`));

const { output } = await cruise(roots, {
	tsPreCompilationDeps: true,
	doNotFollow: { path: 'node_modules' },
	exclude: { path: '\\.d\\.ts$' },
	validate: true,
	ruleSet: {
		forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }],
	},
});

// Each circle is reported once per dependency on it; the same circle, from whichever file it is
// entered, is written once, starting at its alphabetically first file.
const circles = new Map();
for (const v of output.summary.violations) {
	if (v.rule.name !== 'no-circular' || !v.cycle) {
		continue;
	}
	const path = [v.from, ...v.cycle.map((d) => (typeof d === 'string' ? d : d.name))];
	path.pop(); // the cycle ends where it started
	if (!path.every(inRoots)) {
		continue;
	}
	const first = path.indexOf([...path].sort()[0]);
	const ring = [...path.slice(first), ...path.slice(0, first)];
	circles.set(ring.join(' → '), ring);
}
const sorted = [...circles.keys()].sort();
console.log(`Import circles among files in ${roots.join('/ and ')}/: ${sorted.length}`);
for (const key of sorted) {
	console.log(`  ${key} → ${circles.get(key)[0]}`);
}
process.exitCode = sorted.length > 0 ? 1 : 0;
