import * as tf from '@tensorflow/tfjs';

/** The encoder's last time step, as the decoder's initial state. */
class LastTimestep extends tf.layers.Layer {
  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[2]];
  }
  call(input) {
    const x = Array.isArray(input) ? input[0] : input;
    return tf.tidy(() => x.slice([0, x.shape[1] - 1, 0], [-1, 1, -1]).reshape([x.shape[0], x.shape[2]]));
  }
  static get className() {
    return 'LastTimestep';
  }
}
tf.serialization.registerClass(LastTimestep);

export function createModel(inputVocabSize, outputVocabSize, inputLength, outputLength) {
  const embeddingDims = 64;
  const lstmUnits = 64;
  const encoderInput = tf.input({shape: [inputLength]});
  const decoderInput = tf.input({shape: [outputLength]});
  let encoder = tf.layers.embedding({inputDim: inputVocabSize, outputDim: embeddingDims, inputLength}).apply(encoderInput);
  encoder = tf.layers.lstm({units: lstmUnits, returnSequences: true}).apply(encoder);
  const encoderLast = new LastTimestep({name: 'encoderLast'}).apply(encoder);
  let decoder = tf.layers.embedding({inputDim: outputVocabSize, outputDim: embeddingDims, inputLength: outputLength}).apply(decoderInput);
  decoder = tf.layers.lstm({units: lstmUnits, returnSequences: true}).apply(decoder, {initialState: [encoderLast, encoderLast]});
  let attention = tf.layers.dot({axes: [2, 2]}).apply([decoder, encoder]);
  attention = tf.layers.activation({activation: 'softmax', name: 'attention'}).apply(attention);
  const context = tf.layers.dot({axes: [2, 1], name: 'context'}).apply([attention, encoder]);
  const combined = tf.layers.concatenate().apply([context, decoder]);
  let output = tf.layers.timeDistributed({layer: tf.layers.dense({units: lstmUnits, activation: 'tanh'})}).apply(combined);
  output = tf.layers.timeDistributed({layer: tf.layers.dense({units: outputVocabSize, activation: 'softmax'})}).apply(output);
  const model = tf.model({inputs: [encoderInput, decoderInput], outputs: output});
  model.compile({loss: 'categoricalCrossentropy', optimizer: 'adam'});
  return model;
}
