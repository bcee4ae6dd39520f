// Synthetic 28×28 "digits" (a stroke per class plus noise) in MNIST's shapes; the example downloads MNIST.
const tf = require('@tensorflow/tfjs-node');

function getTrainData(n = 2000) {
  let s = 9;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 10;
    y[i] = label;
    for (let c = 4; c < 24; c++) x[i * 784 + (4 + label * 2) * 28 + c] = 1;
    for (let k = 0; k < 40; k++) x[i * 784 + Math.floor(r() * 784)] = r();
  }
  return {images: tf.tensor4d(x, [n, 28, 28, 1]), labels: tf.oneHot(tf.tensor1d(y, 'int32'), 10)};
}
module.exports = {getTrainData};
