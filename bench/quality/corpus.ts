/**
 * The corpus of bench/suggestion-quality: the seven original workloads (bench/quality/workloads.ts,
 * the ones the curve rule was chosen on) and the generated families (bench/quality/families.ts).
 * One spec per line so the corpus reads as a table.
 */
import { binary, classes, images, regression, sequences } from './families';
import { originalWorkloads, type Workload } from './workloads';

/** The generated workloads (their split into tuning and held-out halves: bench/quality/split.json). */
// prettier-ignore
export const generatedWorkloads: Workload[] = [
	regression({ key: 'reg-sgd-500', optimizer: 'sgd', n: 500, batchSize: 32, epochs: 10, hidden: [32], d: 8, scale: 1, offset: 0, noise: 0.1 }),
	regression({ key: 'reg-adam-2k-deep', optimizer: 'adam', n: 2000, batchSize: 64, epochs: 3, hidden: [64, 64], d: 8, scale: 1, offset: 0, noise: 0.1 }),
	regression({ key: 'reg-adam-1k-big', optimizer: 'adam', n: 1000, batchSize: 32, epochs: 6, hidden: [16], d: 6, scale: 100, offset: 1000, noise: 0.1 }),
	regression({ key: 'reg-mom-5k-deep3', optimizer: 'momentum', n: 5000, batchSize: 128, epochs: 3, hidden: [32, 32, 32], d: 12, scale: 1, offset: 0, noise: 0.1 }),
	regression({ key: 'reg-rms-100', optimizer: 'rmsprop', n: 100, batchSize: 16, epochs: 30, hidden: [16], d: 4, scale: 10, offset: 0, noise: 0.2 }),
	regression({ key: 'reg-adagrad-20k', optimizer: 'adagrad', n: 20000, batchSize: 256, epochs: 2, hidden: [16], d: 8, scale: 1, offset: 0, noise: 0.1 }),
	regression({ key: 'reg-rms-1k-noisy', optimizer: 'rmsprop', n: 1000, batchSize: 32, epochs: 5, hidden: [32], d: 8, scale: 1, offset: 0, noise: 1 }),
	regression({ key: 'boston-style', name: 'tfjs-examples style boston-housing (linear, 12 features, targets ~22, SGD)', optimizer: 'sgd', n: 333, batchSize: 32, epochs: 20, hidden: [], d: 12, scale: 5, offset: 22, noise: 0.3, linear: true }),
	regression({ key: 'boston-mlp-style', name: 'tfjs-examples style boston-housing MLP 12-50-50-1 (SGD)', optimizer: 'sgd', n: 333, batchSize: 32, epochs: 20, hidden: [50, 50], d: 12, scale: 5, offset: 22, noise: 0.3 }),
	classes({ key: 'iris-style', name: 'tfjs-examples style iris (4-10 sigmoid-3 softmax, 150 rows, Adam)', optimizer: 'adam', n: 150, batchSize: 16, epochs: 20, hidden: [10], hiddenAct: 'sigmoid', d: 4, k: 3, sep: 1.2, labelNoise: 0 }),
	classes({ key: 'cls-adam-5k-10', optimizer: 'adam', n: 5000, batchSize: 128, epochs: 3, hidden: [64], d: 20, k: 10, sep: 0.8, labelNoise: 0 }),
	classes({ key: 'cls-sgd-1k-noise', optimizer: 'sgd', n: 1000, batchSize: 32, epochs: 6, hidden: [32, 32], d: 10, k: 3, sep: 0.8, labelNoise: 0.2 }),
	classes({ key: 'cls-mom-2k-imb', optimizer: 'momentum', n: 2000, batchSize: 64, epochs: 4, hidden: [32], d: 10, k: 4, sep: 0.7, labelNoise: 0, major: 0.7 }),
	classes({ key: 'cls-adam-50k', optimizer: 'adam', n: 50000, batchSize: 512, epochs: 1, hidden: [16], d: 16, k: 6, sep: 0.6, labelNoise: 0.05 }),
	classes({ key: 'cls-rms-500-deep', optimizer: 'rmsprop', n: 500, batchSize: 32, epochs: 8, hidden: [64, 64, 64], d: 10, k: 5, sep: 0.7, labelNoise: 0 }),
	classes({ key: 'cls-adagrad-10k', optimizer: 'adagrad', n: 10000, batchSize: 128, epochs: 2, hidden: [32], d: 8, k: 3, sep: 0.6, labelNoise: 0 }),
	classes({ key: 'cls-mom-200-noise', optimizer: 'momentum', n: 200, batchSize: 16, epochs: 15, hidden: [16], d: 12, k: 4, sep: 0.9, labelNoise: 0.1 }),
	classes({ key: 'cls-adagrad-300', optimizer: 'adagrad', n: 300, batchSize: 16, epochs: 12, hidden: [32], d: 6, k: 3, sep: 0.8, labelNoise: 0 }),
	binary({ key: 'bin-rms-1k-10pct', optimizer: 'rmsprop', n: 1000, batchSize: 32, epochs: 6, hidden: [16], d: 12, bias: -3 }),
	binary({ key: 'bin-adam-5k-3pct', optimizer: 'adam', n: 5000, batchSize: 128, epochs: 3, hidden: [32], d: 12, bias: -5 }),
	binary({ key: 'bin-sgd-400', optimizer: 'sgd', n: 400, batchSize: 16, epochs: 8, hidden: [8], d: 6, bias: -1 }),
	binary({ key: 'bin-adagrad-2k', optimizer: 'adagrad', n: 2000, batchSize: 64, epochs: 4, hidden: [32, 16], d: 20, bias: -2 }),
	binary({ key: 'bin-mom-20k', optimizer: 'momentum', n: 20000, batchSize: 256, epochs: 2, hidden: [16], d: 8, bias: 0 }),
	images({ key: 'conv-mom-640', optimizer: 'momentum', n: 640, batchSize: 32, epochs: 8, hidden: [], filters: [4], noise: 0.8 }),
	images({ key: 'conv-adam-2k', optimizer: 'adam', n: 2000, batchSize: 64, epochs: 3, hidden: [16], filters: [8], noise: 1 }),
	images({ key: 'conv-sgd-1k-2conv', optimizer: 'sgd', n: 1000, batchSize: 32, epochs: 5, hidden: [], filters: [4, 8], noise: 0.8 }),
	images({ key: 'conv-rms-5k', optimizer: 'rmsprop', n: 5000, batchSize: 128, epochs: 2, hidden: [], filters: [8], noise: 1.2 }),
	images({ key: 'conv-adagrad-500', optimizer: 'adagrad', n: 500, batchSize: 32, epochs: 10, hidden: [], filters: [4], noise: 0.8 }),
	sequences({ key: 'seq-lstm-adam', optimizer: 'adam', n: 1000, batchSize: 32, epochs: 4, hidden: [], len: 8, vocab: 10, cell: 'lstm', units: 8 }),
	sequences({ key: 'seq-gru-rms', optimizer: 'rmsprop', n: 1000, batchSize: 32, epochs: 4, hidden: [], len: 8, vocab: 10, cell: 'gru', units: 8 }),
	sequences({ key: 'sentiment-style', name: 'tfjs-examples style sentiment (embedding + average pooling, Adam)', optimizer: 'adam', n: 3000, batchSize: 64, epochs: 3, hidden: [], len: 12, vocab: 20, cell: 'pool', units: 8 }),
	sequences({ key: 'seq-pool-mom', optimizer: 'momentum', n: 2000, batchSize: 64, epochs: 4, hidden: [], len: 10, vocab: 20, cell: 'pool', units: 8 }),
	sequences({ key: 'seq-lstm-sgd', optimizer: 'sgd', n: 600, batchSize: 32, epochs: 6, hidden: [], len: 8, vocab: 10, cell: 'lstm', units: 8 }),
];

/** Every workload of the bench. */
export const workloads: Workload[] = [...originalWorkloads, ...generatedWorkloads];
