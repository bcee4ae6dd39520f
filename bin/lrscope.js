#!/usr/bin/env node
'use strict';
// `lrscope` — the headless CLI over LR Scope's core and engine. Built by `npm run build` (runs on `npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
	process.stderr.write('lrscope: dist/cli.js is missing; run `npm run build` first.\n');
	process.exit(2);
}
require(cli);
