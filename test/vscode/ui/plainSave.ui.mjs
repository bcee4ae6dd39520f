// UI test: a model saved with plain `model.save()` (no includeOptimizer, so no trainingConfig — what
// most projects have) can be range-tested from the palette: after the data, LR Scope asks for the
// loss and the optimizer with its guess from the output layer first, and the run ends with a
// suggestion instead of CLI advice ("give --loss").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
	acceptQuickPick,
	check,
	openWorkbench,
	pick,
	runCommand,
	screenshot,
	waitForToast,
} from './helpers.mjs';

/**
 * Builds and briefly trains a 4 → 8 → 2 softmax classifier with tfjs and saves it through tfjs's own
 * `model.save()` into `dir`, writing the artifacts as tfjs-node's file handler does. tfjs decides
 * what the artifacts hold; the test writes no config of its own.
 */
async function savePlainModel(repo, dir) {
	const tf = createRequire(join(repo, 'package.json'))('@tensorflow/tfjs');
	await tf.setBackend('cpu');
	const model = tf.sequential();
	model.add(tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }));
	model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
	model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
	const x = tf.randomNormal([8, 4]);
	const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
	await model.fit(x, y, { epochs: 1, verbose: 0 });
	mkdirSync(dir, { recursive: true });
	await model.save(
		tf.io.withSaveHandler(async (a) => {
			const json = {
				modelTopology: a.modelTopology,
				weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
				format: a.format,
				generatedBy: a.generatedBy,
				convertedBy: a.convertedBy,
				...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
			};
			writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
			writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData));
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		}),
	);
	tf.dispose([x, y]);
	model.dispose();
}

/**
 * Waits for the quick-pick titled `title` (consecutive quick-picks reuse one widget, so the title
 * tells them apart) and returns the text of its first row — the one Enter accepts.
 */
async function firstRow(page, title) {
	const widget = page.locator('.quick-input-widget');
	await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
	const row = widget.locator('.monaco-list-row').first();
	await row.waitFor({ timeout: 20_000 });
	return (await row.innerText()).replace(/\s+/g, ' ').trim();
}

export const tests = [
	{
		name: 'plain model.save() model: palette asks loss (guessed) and optimizer (adam), range test succeeds',
		async run(ctx) {
			const dir = join(ctx.ws, 'plain');
			await savePlainModel(ctx.repo, dir);
			const saved = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
			check(!saved.trainingConfig, 'tfjs wrote a trainingConfig without includeOptimizer');

			const page = await openWorkbench(ctx);
			await runCommand(page, 'LR Scope: Run LR Range Test');
			await pick(page, 'plain/model');
			await pick(page, 'CSV file');
			await pick(page, 'data.csv');
			// The label column 'label' is pre-selected: accept it (Enter; the next pick follows).
			await firstRow(page, 'LR Scope: label column');
			await page.keyboard.press('Enter');

			const lossRow = await firstRow(page, 'LR Scope: loss');
			ctx.log('loss picker, first row:', lossRow);
			check(
				/categoricalCrossentropy/.test(lossRow) && /guessed from the softmax output/.test(lossRow),
				`the loss picker does not offer the guess first: "${lossRow}"`,
			);
			await screenshot(ctx, page, 'plain-save-loss-pick');
			await page.keyboard.press('Enter');
			const optRow = await firstRow(page, 'LR Scope: optimizer');
			ctx.log('optimizer picker, first row:', optRow);
			// The row's text is label + description run together ("adamdefault").
			check(
				/^adam/.test(optRow) && /default/.test(optRow),
				`the optimizer picker does not offer adam first: "${optRow}"`,
			);
			await acceptQuickPick(page);

			const done = await waitForToast(page, 'suggested LR', 180_000);
			const summary = (await done.innerText()) ?? '';
			ctx.log('notification:', summary.trim());
			check(/suggested LR \d\.\de[-+]\d+/.test(summary), `no suggestion in "${summary}"`);
			await screenshot(ctx, page, 'plain-save-range-test');
		},
	},
];
