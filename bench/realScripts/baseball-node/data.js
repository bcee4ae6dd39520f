// Writes data/pitch_type_training_data.csv: 4,000 pitches, 7 types, eight flight measurements each.
const fs = require('fs');
let s = 11;
const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
const rows = ['vx0,vy0,vz0,ax,ay,az,start_speed,left_handed_pitcher,pitch_code'];
for (let i = 0; i < 4000; i++) {
  const c = i % 7;
  const f = (base, spread) => (base + spread * (r() - 0.5)).toFixed(3);
  rows.push([f(c - 3, 2), f(-130 + 3 * c, 8), f(-4 + c * 0.5, 2), f(-10 + 3 * c, 6), f(26 - c, 4), f(-20 + 2 * c, 6), f(95 - 3 * c, 4), Math.round(r()), c].join(','));
}
fs.mkdirSync('data', {recursive: true});
fs.writeFileSync('data/pitch_type_training_data.csv', rows.join('\n') + '\n');
