#!/usr/bin/env node
// Draws images/icon.png (128×128): a blue rounded square with a white clock face whose hands
// point at 12:00 over a sync arrow. Written by code so the icon is reproducible without an
// image editor: `node scripts/icon.mjs`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { repoRoot } from './lib/helpers.mjs';

const SIZE = 128;
const SAMPLES = 4; // per axis: 16 samples per pixel for smooth edges
const BLUE = [23, 93, 220];
const WHITE = [255, 255, 255];

/**
 * Coverage tests in icon units (0..128): whether the point (x, y) is inside a shape.
 * @typedef {(x: number, y: number) => boolean} Shape
 */

/** @type {Shape} */
const roundedSquare = (x, y) => {
  const r = 24;
  const cx = Math.min(Math.max(x, r + 4), SIZE - r - 4);
  const cy = Math.min(Math.max(y, r + 4), SIZE - r - 4);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= 4 && x <= SIZE - 4 && y >= 4 && y <= SIZE - 4;
};
const C = 64;
/** @type {Shape} */
const ring = (x, y) => {
  const d = Math.hypot(x - C, y - C);
  return d <= 42 && d >= 33;
};
/**
 * Whether (x, y) is on the line from (x1, y1) to (x2, y2), `width` wide, with round ends.
 * @param {number} x @param {number} y
 * @param {number} x1 @param {number} y1
 * @param {number} x2 @param {number} y2
 * @param {number} width
 */
const segment = (x, y, x1, y1, x2, y2, width) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= width / 2;
};
/** @type {Shape} */
const hands = (x, y) => segment(x, y, C, C, C, C - 24, 7) || segment(x, y, C, C, C + 17, C + 10, 7) || Math.hypot(x - C, y - C) <= 6;
// The gap in the ring at the lower right, with an arrow head: the "sync" in the clock.
/** @type {Shape} */
const gap = (x, y) => x > C + 14 && y > C + 14 && x < C + 44 && y < C + 44 && Math.hypot(x - C, y - C) > 30;
/** @type {Shape} */
const arrow = (x, y) => {
  // A triangle pointing up-left along the ring, at its end near 4 o'clock.
  const [ax, ay, bx, by, cx, cy] = [C + 44, C + 14, C + 28, C + 14, C + 38, C + 30];
  /** Which side of the line from (px, py) to (qx, qy) the point is on (the sign). */
  const s = (/** @type {number} */ px, /** @type {number} */ py, /** @type {number} */ qx, /** @type {number} */ qy) =>
    (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by);
  const d2 = s(bx, by, cx, cy);
  const d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let background = 0;
    let glyph = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const x = px + (sx + 0.5) / SAMPLES;
        const y = py + (sy + 0.5) / SAMPLES;
        if (!roundedSquare(x, y)) continue;
        background++;
        if ((ring(x, y) && !gap(x, y)) || hands(x, y) || arrow(x, y)) glyph++;
      }
    }
    const n = SAMPLES * SAMPLES;
    const alpha = background / n;
    const white = background ? glyph / background : 0;
    const color = BLUE.map((b, i) => Math.round(b + (WHITE[i] - b) * white));
    row.set([...color, Math.round(alpha * 255)], 1 + px * 4);
  }
  rows.push(row);
}

/** A PNG chunk: length, type, data and CRC. */
function chunk(/** @type {string} */ type, /** @type {Buffer} */ data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function crc32(/** @type {Uint8Array} */ bytes) {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = path.join(repoRoot, 'images', 'icon.png');
fs.writeFileSync(target, png);
console.log(`wrote ${target} (${png.length} bytes)`);
