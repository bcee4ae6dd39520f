// Writes data/text.txt: ~10k characters of generated prose (the example downloads a corpus).
const fs = require('fs');
const words = 'the of and to in that it is was he for on are as with his they at be this from have or by one had not but what all were when we there can an your which their said if do will each about how up out them then she many some so these would other into has more her two like him see time could no make than first been its who now people my made over did down only way find use may water long little very after words called just where most know'.split(' ');
let s = 5;
const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
let out = '';
while (out.length < 10000) {
  const n = 5 + Math.floor(r() * 12);
  const sent = Array.from({length: n}, () => words[Math.floor(r() * words.length)]).join(' ');
  out += sent[0].toUpperCase() + sent.slice(1) + (r() < 0.2 ? '!\n' : '. ');
}
fs.mkdirSync('data', {recursive: true});
fs.writeFileSync('data/text.txt', out);
