// Trains a character LSTM (like lstm-text-generation's train.js, run from the command line).
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-node');
const fs = require('fs');
const {TextData} = require('./data');

function createModel(lstmLayerSizes, sampleLen, charSetSize) {
  const model = tf.sequential();
  lstmLayerSizes.forEach((units, i) => {
    model.add(tf.layers.lstm({units, returnSequences: i < lstmLayerSizes.length - 1, inputShape: i === 0 ? [sampleLen, charSetSize] : undefined}));
  });
  model.add(tf.layers.dense({units: charSetSize, activation: 'softmax'}));
  return model;
}

async function main() {
  const text = fs.readFileSync('data/text.txt', 'utf8');
  const sampleLen = 40;
  const textData = new TextData(text, sampleLen, 3);
  const model = createModel([128], sampleLen, textData.charSetSize());
  model.compile({optimizer: tf.train.rmsprop(1e-2), loss: 'categoricalCrossentropy'});
  const [xs, ys] = textData.nextDataEpoch(tf, 3000);
  await model.fit(xs, ys, {epochs: 1, batchSize: 128, validationSplit: 0.0625});
}
main();
