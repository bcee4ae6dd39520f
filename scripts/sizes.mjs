// Prints the source files over 400 lines and the functions over 80 lines (docs/architecture.md,
// "Size limits"). A function is anything with a body: declarations, methods, arrows, accessors.
// Usage: node scripts/sizes.mjs [folder...]   (default: src webview)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_FILE = 400;
const MAX_FUNCTION = 80;
// Known exceptions, each with its reason (docs/architecture.md, "Size limits").
const EXEMPT = new Map([
	// Hot kernel loops: splitting them costs a call per element on the training path.
]);

function* tsFiles(dir) {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) {
			if (name !== 'node_modules') {
				yield* tsFiles(p);
			}
		} else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) {
			yield p;
		}
	}
}

function functionName(node, sf) {
	if (node.name) {
		return node.name.getText(sf);
	}
	const parent = node.parent;
	if (parent && ts.isVariableDeclaration(parent)) {
		return parent.name.getText(sf);
	}
	if (parent && ts.isPropertyAssignment(parent)) {
		return parent.name.getText(sf);
	}
	if (parent && ts.isCallExpression(parent)) {
		return `<callback of ${parent.expression.getText(sf).slice(0, 40)}>`;
	}
	return '<anonymous>';
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'webview'];
const files = [];
const functions = [];
for (const root of roots) {
	for (const file of tsFiles(root)) {
		const text = readFileSync(file, 'utf8');
		const rel = relative(process.cwd(), file).split('\\').join('/');
		const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
		if (lines > MAX_FILE && !EXEMPT.has(rel)) {
			files.push([lines, rel]);
		}
		const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
		const visit = (node) => {
			if (ts.isFunctionLike(node) && node.body) {
				const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
				const end = sf.getLineAndCharacterOfPosition(node.end).line;
				const n = end - start + 1;
				const where = `${rel}:${start + 1}`;
				if (n > MAX_FUNCTION && !EXEMPT.has(where) && !EXEMPT.has(rel)) {
					functions.push([n, `${where} ${functionName(node, sf)}`]);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(sf);
	}
}
const byLines = (a, b) => b[0] - a[0];
console.log(`Files over ${MAX_FILE} lines: ${files.length}`);
for (const [n, f] of files.sort(byLines)) {
	console.log(`  ${String(n).padStart(5)}  ${f}`);
}
console.log(`Functions over ${MAX_FUNCTION} lines: ${functions.length}`);
for (const [n, f] of functions.sort(byLines)) {
	console.log(`  ${String(n).padStart(5)}  ${f}`);
}
process.exitCode = 0;
