// Date strings in several human formats → ISO (like the example's date_format.js, our own code).
export const INPUT_LENGTH = 12;
export const OUTPUT_LENGTH = 10;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const INPUT_VOCAB = '\n0123456789/-., ' + MONTHS.join('');
export const OUTPUT_VOCAB = '\n\t0123456789-';

const pad2 = (n) => String(n).padStart(2, '0');
const FORMATS = [
  (y, m, d) => `${pad2(m)}/${pad2(d)}/${y}`,
  (y, m, d) => `${pad2(d)}.${pad2(m)}.${y}`,
  (y, m, d) => `${MONTHS[m - 1]} ${pad2(d)}, ${y}`,
  (y, m, d) => `${y}${pad2(m)}${pad2(d)}`,
  (y, m, d) => `${pad2(d)}-${MONTHS[m - 1]}-${y}`,
];

export function randomDate(r) {
  const y = 1950 + Math.floor(r() * 100);
  return [y, 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)];
}

export function toInput(y, m, d, f) {
  return FORMATS[f % FORMATS.length](y, m, d).padEnd(INPUT_LENGTH, '\n').slice(0, INPUT_LENGTH);
}

export function toOutput(y, m, d) {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function encode(str, vocab) {
  return Array.from(str, (c) => Math.max(0, vocab.indexOf(c)));
}
