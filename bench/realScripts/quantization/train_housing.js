// A housing-price regressor (like the quantization example's housing model), trained before quantizing.
const tf = require('@tensorflow/tfjs-node');

function housingData(n) {
  let s = 13;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({length: 12}, () => r() * 2 - 1);
    x.push(row);
    y.push([row.reduce((a, v, j) => a + v * ((j % 4) - 1.5), 0) + 0.1 * (r() - 0.5)]);
  }
  return {x: tf.tensor2d(x), y: tf.tensor2d(y)};
}

async function main() {
  const {x, y} = housingData(2000);
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [12], units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: 1}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError'});
  await model.fit(x, y, {epochs: 200, batchSize: 64, validationSplit: 0.2});
  await model.save('file://./models/housing/original');
}
main();
