const tf = require('@tensorflow/tfjs-node');
const data = require('./data');
const model = require('./model');

async function run(epochs, batchSize, modelSavePath) {
  const {images: trainImages, labels: trainLabels} = data.getTrainData();
  model.summary();
  await model.fit(trainImages, trainLabels, {epochs, batchSize, validationSplit: 0.15});
  if (modelSavePath != null) {
    await model.save(`file://${modelSavePath}`);
  }
}

run(20, 128, null);
