// Writes data/abalone.csv: 4,177 rows shaped like the UCI abalone set (sex coded 0/1/2, seven
// measurements, rings), from a seeded generator.
const fs = require('fs');
let s = 7;
const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
const rows = ['sex,length,diameter,height,whole,shucked,viscera,shell,rings'];
for (let i = 0; i < 4177; i++) {
  const len = 0.2 + 0.6 * r();
  const w = len * len * len * 2.2;
  const rings = Math.max(1, Math.round(3 + 18 * len + 3 * (r() - 0.5)));
  rows.push([Math.floor(r() * 3), len, len * 0.8, len * 0.35, w, w * 0.45, w * 0.22, w * 0.3, rings].map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v)).join(','));
}
fs.mkdirSync('data', {recursive: true});
fs.writeFileSync('data/abalone.csv', rows.join('\n') + '\n');
