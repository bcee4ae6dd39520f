const pitchModel = require('./pitch_type');

async function main() {
  for (let i = 0; i < 20; i++) {
    await pitchModel.model.fitDataset(pitchModel.trainingData, {epochs: 1});
    console.log('epoch', i);
  }
}
main();
