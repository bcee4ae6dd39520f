// Prints the source files over 400 lines, the classes over 250 and the functions over 80
// (docs/architecture.md, "Size limits"), and exits 1 when there is any. A function is anything with
// a body: declarations, methods, arrows, accessors; a class is a declaration or an expression.
// Usage: node scripts/sizes.mjs [folder...]   (default: src webview)   npm run check:sizes
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const MAX_FILE = 400;
const MAX_FUNCTION = 80;
const MAX_CLASS = 250;
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
const classes = [];
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
		const measure = (node, max, into, name) => {
			const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
			const end = sf.getLineAndCharacterOfPosition(node.end).line;
			const n = end - start + 1;
			const where = `${rel}:${start + 1}`;
			if (n > max && !EXEMPT.has(where) && !EXEMPT.has(rel)) {
				into.push([n, `${where} ${name}`]);
			}
		};
		const visit = (node) => {
			if (ts.isFunctionLike(node) && node.body) {
				measure(node, MAX_FUNCTION, functions, functionName(node, sf));
			} else if (ts.isClassLike(node)) {
				measure(node, MAX_CLASS, classes, node.name?.getText(sf) ?? '<anonymous class>');
			}
			ts.forEachChild(node, visit);
		};
		visit(sf);
	}
}
const byLines = (a, b) => b[0] - a[0];
const report = (what, max, list) => {
	console.log(`${what} over ${max} lines: ${list.length}`);
	for (const [n, f] of list.sort(byLines)) {
		console.log(`  ${String(n).padStart(5)}  ${f}`);
	}
};
report('Files', MAX_FILE, files);
report('Classes', MAX_CLASS, classes);
report('Functions', MAX_FUNCTION, functions);
process.exitCode = files.length + classes.length + functions.length > 0 ? 1 : 0;
