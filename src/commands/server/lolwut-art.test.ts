/* lolwut-art: glibc's rand() sequence, the braille and ANSI renderings, the pictures' dimensions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Canvas, CRand, drawSchotter, drawSkyline, renderAnsi, renderBraille } from './lolwut-art.js';

test('CRand is glibc rand(): srand(1), srand(42), srand(0) = srand(1)', () => {
  const r = new CRand(1);
  assert.deepEqual([r.next(), r.next(), r.next(), r.next(), r.next()], [1804289383, 846930886, 1681692777, 1714636915, 1957747793]);
  const r42 = new CRand(42);
  assert.deepEqual([r42.next(), r42.next(), r42.next()], [71876166, 708592740, 1483128881]);
  const r0 = new CRand(0);
  assert.equal(r0.next(), 1804289383);
});

test('braille: dot bits, 2x4 cells, a row per 4 pixels, trailing newline unless height is 4k+1', () => {
  const c = new Canvas(4, 4, 0);
  c.set(0, 0, 1); // bit 0
  c.set(1, 3, 1); // bit 7
  c.set(3, 1, 1); // second cell, bit 4
  const s = Buffer.from(renderBraille(c), 'latin1').toString('utf8');
  assert.equal(s, String.fromCharCode(0x2881, 0x2810) + '\n');
  assert.equal(Buffer.from(renderBraille(new Canvas(2, 5, 1)), 'latin1').toString('utf8'), '\u28ff\n\u2809');
  assert.equal(renderBraille(new Canvas(6, 0, 0)), '');
  // odd width: the last cell has its right column off the canvas
  assert.equal(Buffer.from(renderBraille(new Canvas(3, 1, 1)), 'latin1').toString('utf8'), '\u2809\u2801');
});

test('lines and squares stay on the canvas', () => {
  const c = new Canvas(10, 10, 0);
  c.line(-5, -5, 20, 20, 1);
  for (let i = 0; i < 10; i++) assert.equal(c.get(i, i), 1);
  // side 8 -> radius round(8/sqrt 2) = 6 -> corners at 5 +- round(4.24): an axis-aligned square from 1 to 9
  c.square(5, 5, 8, 0, 2);
  for (const [x, y] of [[1, 1], [5, 1], [9, 5], [5, 9], [1, 9]] as const) assert.equal(c.get(x, y), 2, `${x},${y}`);
  assert.equal(c.get(5, 5), 1);
  assert.equal(c.get(-1, 3), 0);
});

test('Schotter and skyline dimensions', () => {
  const s = drawSchotter(66, 8, 12, new CRand(7));
  assert.equal(s.width, 132);
  assert.equal(s.height, 4 + Math.trunc(Math.fround(128 / 8) * 12));
  const k = drawSkyline(80, 20, new CRand(7));
  const rows = renderAnsi(k).split('\n');
  assert.equal(rows.length, 20);
  for (const r of rows) assert.equal(r.match(/\x1b\[[0-9;]+m \x1b\[0m/g)!.length, 80);
  // the same seed draws the same picture
  assert.equal(renderAnsi(drawSkyline(80, 20, new CRand(7))), renderAnsi(k));
  assert.equal(renderBraille(drawSchotter(66, 8, 12, new CRand(7))), renderBraille(s));
});
