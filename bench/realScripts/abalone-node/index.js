// Abalone age from shell measurements: a CSV read with tf.data.csv, trained with fitDataset.
const tf = require('@tensorflow/tfjs-node');
const path = require('path');

function createModel(inputShape) {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape, activation: 'sigmoid', units: 50}));
  model.add(tf.layers.dense({activation: 'sigmoid', units: 50}));
  model.add(tf.layers.dense({units: 1}));
  model.compile({optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError'});
  return model;
}

async function run(epochs, batchSize) {
  const csvUrl = 'file://' + path.resolve('data/abalone.csv');
  const dataset = tf.data.csv(csvUrl, {columnConfigs: {rings: {isLabel: true}}})
      .map(({xs, ys}) => ({xs: Object.values(xs), ys: Object.values(ys)}))
      .batch(batchSize);
  const model = createModel([8]);
  model.summary();
  await model.fitDataset(dataset, {epochs, callbacks: {onEpochEnd: (e, logs) => console.log(e, logs.loss)}});
  await model.save('file://' + path.resolve('trained'));
}

run(100, 128);
