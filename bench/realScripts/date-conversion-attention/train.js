// Run with babel-node (ES imports in a CommonJS package), as the example is.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-node';
import * as dateFormat from './date_format';
import {createModel} from './model';

function generateData(n) {
  let s = 3;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const enc = [];
  const decIn = [];
  const decOut = [];
  for (let i = 0; i < n; i++) {
    const [y, m, d] = dateFormat.randomDate(r);
    const out = dateFormat.encode(dateFormat.toOutput(y, m, d), dateFormat.OUTPUT_VOCAB);
    enc.push(dateFormat.encode(dateFormat.toInput(y, m, d, i), dateFormat.INPUT_VOCAB));
    decIn.push([1, ...out.slice(0, dateFormat.OUTPUT_LENGTH - 1)]);
    decOut.push(out);
  }
  return {
    encoderInput: tf.tensor2d(enc, [n, dateFormat.INPUT_LENGTH]),
    decoderInput: tf.tensor2d(decIn, [n, dateFormat.OUTPUT_LENGTH]),
    decoderOutput: tf.oneHot(tf.tensor2d(decOut, [n, dateFormat.OUTPUT_LENGTH], 'int32'), dateFormat.OUTPUT_VOCAB.length),
  };
}

async function run() {
  const train = generateData(4096);
  const model = createModel(dateFormat.INPUT_VOCAB.length, dateFormat.OUTPUT_VOCAB.length, dateFormat.INPUT_LENGTH, dateFormat.OUTPUT_LENGTH);
  model.summary();
  await model.fit([train.encoderInput, train.decoderInput], train.decoderOutput, {epochs: 2, batchSize: 128, shuffle: true, validationSplit: 0.1});
  await model.save('file://./dist/model');
}

run();
