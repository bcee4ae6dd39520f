// Pitch type from its measured flight (like baseball-node's pitch_type.js): fitDataset over a CSV.
const tf = require('@tensorflow/tfjs-node');
const path = require('path');

const NUM_PITCH_CLASSES = 7;
const TRAINING_DATA_LENGTH = 4000;
const csvTransform = ({xs, ys}) => {
  const values = [xs.vx0, xs.vy0, xs.vz0, xs.ax, xs.ay, xs.az, xs.start_speed, xs.left_handed_pitcher];
  return {xs: values, ys: ys.pitch_code};
};
const trainingData = tf.data.csv('file://' + path.resolve('data/pitch_type_training_data.csv'), {columnConfigs: {pitch_code: {isLabel: true}}})
    .map(csvTransform)
    .map(({xs, ys}) => ({xs, ys: tf.oneHot(ys, NUM_PITCH_CLASSES)}))
    .shuffle(TRAINING_DATA_LENGTH)
    .batch(100);

const model = tf.sequential();
model.add(tf.layers.dense({units: 250, activation: 'relu', inputShape: [8]}));
model.add(tf.layers.dense({units: 175, activation: 'relu'}));
model.add(tf.layers.dense({units: 150, activation: 'relu'}));
model.add(tf.layers.dense({units: NUM_PITCH_CLASSES, activation: 'softmax'}));
model.compile({optimizer: tf.train.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy']});

module.exports = {model, trainingData};
