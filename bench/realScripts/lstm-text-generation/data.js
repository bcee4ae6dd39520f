// Text as lstm-text-generation slices it: windows of sampleLen characters and the next character.
class TextData {
  constructor(text, sampleLen, sampleStep) {
    this.text = text;
    this.sampleLen = sampleLen;
    this.sampleStep = sampleStep;
    this.charSet = Array.from(new Set(text)).sort();
    this.indices = Array.from(text, (c) => this.charSet.indexOf(c));
    this.begins = [];
    for (let i = 0; i + sampleLen < text.length; i += sampleStep) this.begins.push(i);
  }
  charSetSize() {
    return this.charSet.length;
  }
  nextDataEpoch(tf, numExamples) {
    const n = Math.min(numExamples, this.begins.length);
    const xs = new Float32Array(n * this.sampleLen * this.charSet.length);
    const ys = new Float32Array(n * this.charSet.length);
    for (let i = 0; i < n; i++) {
      const b = this.begins[i];
      for (let j = 0; j < this.sampleLen; j++) xs[(i * this.sampleLen + j) * this.charSet.length + this.indices[b + j]] = 1;
      ys[i * this.charSet.length + this.indices[b + this.sampleLen]] = 1;
    }
    return [tf.tensor3d(xs, [n, this.sampleLen, this.charSet.length]), tf.tensor2d(ys, [n, this.charSet.length])];
  }
}
module.exports = {TextData};
