/*
 * LOLWUT's computer art (redis/src/lolwut.c, lolwut5.c, lolwut6.c): a canvas
 * of small integer colors, lines and rotated squares drawn on it, and two
 * renderings: braille characters (2x4 pixels per character, version 5) and
 * ANSI color cells (one pixel per character, version 6).
 *
 * The arithmetic follows the C code's types so the pictures have Redis's
 * dimensions and shapes: C `float` steps are rounded with Math.fround, int
 * conversions truncate, round() rounds halves away from zero. Randomness is
 * glibc's rand() (the TYPE_3 additive feedback generator random_r uses),
 * seeded per process as Redis seeds it; the same seed draws the same picture
 * Redis would draw, up to the last bit of libm's sin/cos.
 *
 * Output strings are latin1 byte strings (one char per byte): the braille
 * characters are emitted as their three UTF-8 bytes.
 */

// ---- glibc rand() ----------------------------------------------------------

export const RAND_MAX = 2147483647;

/** glibc random_r with the default 31-word state (TYPE_3, separation 3). */
export class CRand {
  private r = new Int32Array(31);
  private f = 3;
  private b = 0;

  constructor(seed = 1) { this.seed(seed); }

  /** srandom_r: Park-Miller (Schrage) fill, then 310 discarded outputs. */
  seed(seed: number): void {
    let word = seed | 0;
    if (word === 0) word = 1;
    const r = this.r;
    r[0] = word;
    for (let i = 1; i < 31; i++) {
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.f = 3;
    this.b = 0;
    for (let i = 0; i < 310; i++) this.next();
  }

  /** rand(): 0 .. RAND_MAX */
  next(): number {
    const r = this.r;
    const v = (r[this.f]! + r[this.b]!) | 0;
    r[this.f] = v;
    this.f = this.f === 30 ? 0 : this.f + 1;
    this.b = this.b === 30 ? 0 : this.b + 1;
    return (v >>> 1) & 0x7fffffff;
  }
}

/** The process's generator; seeded like Redis's main(): time ^ pid ^ microseconds. */
const now = Date.now();
export const crand = new CRand((Math.floor(now / 1000) ^ process.pid ^ ((now % 1000) * 1000)) >>> 0);

// ---- canvas ----------------------------------------------------------------

export class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, bgcolor: number) {
    this.pixels = new Uint8Array(width * height).fill(bgcolor);
  }

  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  /** Bresenham, both ends included (lwDrawLine). */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) { err -= dy; x1 += sx; }
      if (e2 < dx) { err += dx; y1 += sy; }
    }
  }

  /** A square of side `size` centred on (x, y), rotated by `angle` radians (lwDrawSquare). */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const f = Math.fround;
    // the inscribed square of a unit circle has side sqrt(2): size becomes the radius
    const s = f(cround(f(f(size) / 1.4142135623)));
    const px: number[] = [];
    const py: number[] = [];
    let k = f(Math.PI / 4 + f(angle));
    for (let j = 0; j < 4; j++) {
      px.push(cround(Math.sin(k) * s + x));
      py.push(cround(Math.cos(k) * s + y));
      k = f(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

/** C round(): halves away from zero. */
function cround(v: number): number {
  const r = Math.round(Math.abs(v));
  return v < 0 ? -r : r;
}

// ---- version 5: Schotter, in braille -----------------------------------------

/**
 * Georg Nees's Schotter (lwDrawSchotter): a grid of squares, increasingly
 * rotated and displaced row after row.
 */
export function drawSchotter(consoleCols: number, perRow: number, perCol: number, rand: CRand = crand): Canvas {
  const f = Math.fround;
  const width = consoleCols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f(f(width - padding * 2) / f(perRow));
  const height = Math.trunc(f(f(side * f(perCol)) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  const unit = (): number => f(f(f(rand.next()) / f(RAND_MAX)) / f(perCol));
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(f(x) * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(f(y) * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f(unit() * y);
        let r2 = f(unit() * y);
        let r3 = f(unit() * y);
        if (rand.next() % 2) r1 = -r1;
        if (rand.next() % 2) r2 = -r2;
        if (rand.next() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f(sx + f(f(r2 * side) / 3)));
        sy = Math.trunc(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/**
 * The three UTF-8 bytes of braille pattern U+2800 + bits, as latin1: bit 0..2
 * are the left column's top three dots, 3..5 the right column's, 6 and 7 the
 * bottom row's left and right dot.
 */
const BRAILLE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const code = 0x2800 + byte;
  return String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
});

/** The canvas as braille, one character per 2x4 pixels, rows joined by '\n' (lolwut5.c renderCanvas). */
export function renderBraille(canvas: Canvas): string {
  const { width: w, height: h, pixels: px } = canvas;
  const lines: string[] = [];
  for (let y = 0; y < h; y += 4) {
    // the rows of this band that exist (the canvas reads 0 past its edges)
    const rows = Math.min(4, h - y);
    let line = '';
    for (let x = 0; x < w; x += 2) {
      const right = x + 1 < w;
      let byte = 0;
      for (let dy = 0; dy < rows; dy++) {
        const i = x + (y + dy) * w;
        const l = px[i]! !== 0;
        const r = right && px[i + 1]! !== 0;
        if (dy < 3) { if (l) byte |= 1 << dy; if (r) byte |= 1 << (dy + 3); } else { if (l) byte |= 64; if (r) byte |= 128; }
      }
      line += BRAILLE[byte]!;
    }
    lines.push(line);
  }
  // Redis ends every row with '\n' unless its y is height-1: only a height of 4k+1 has no trailing newline
  const out = lines.join('\n');
  return canvas.height > 0 && (canvas.height - 1) % 4 !== 0 ? out + '\n' : out;
}

// ---- version 6: the skyline, in ANSI colors ----------------------------------

interface Skyscraper { xoff: number; width: number; height: number; windows: boolean; color: number }

/** One building from the ground up, roof two pixels narrower each side, windows in random grays (generateSkyscraper). */
function skyscraper(canvas: Canvas, si: Skyscraper, rand: CRand): void {
  const starty = canvas.height - 1;
  const endy = starty - si.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = si.xoff; x < si.xoff + si.width; x++) {
      if (y === endy && (x <= si.xoff + 1 || x >= si.xoff + si.width - 2)) continue;
      let color = si.color;
      if (si.windows && x > si.xoff + 1 && x < si.xoff + si.width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (si.xoff + 1);
        const rely = y - (endy + 1);
        // C's % keeps the sign of the dividend, as JS's does
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do { color = 1 + rand.next() % 2; } while (color === si.color);
          // a window is two pixels wide, both the same gray
          if (relx % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.set(x, y, color);
    }
  }
}

/** Two passes of gray buildings without windows, then black ones with windows (generateSkyline). */
export function drawSkyline(cols: number, rows: number, rand: CRand = crand): Canvas {
  const canvas = new Canvas(cols, rows, 3);
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width;) {
      offset += rand.next() % 8;
      const width = 10 + rand.next() % 9;
      const height = color === 2 ? Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 2) : Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 3);
      skyscraper(canvas, { xoff: offset, width, height, windows: false, color }, rand);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width;) {
    offset += rand.next() % 8;
    let width = 5 + rand.next() % 14;
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand.next() % h) / 2);
    skyscraper(canvas, { xoff: offset, width, height, windows: true, color: 0 }, rand);
    offset += width + 5;
  }
  return canvas;
}

/** ANSI foreground+background per color: black, gray 1, gray 2, white. */
const CELLS = ['\x1b[0;30;40m \x1b[0m', '\x1b[0;90;100m \x1b[0m', '\x1b[0;37;47m \x1b[0m', '\x1b[0;97;107m \x1b[0m'];

/** One colored space per pixel, rows joined by '\n' (lolwut6.c renderCanvas). */
export function renderAnsi(canvas: Canvas): string {
  const { width: w, height: h, pixels: px } = canvas;
  const lines: string[] = [];
  for (let y = 0; y < h; y++) {
    let line = '';
    for (let i = y * w, end = i + w; i < end; i++) line += CELLS[px[i]!] ?? CELLS[0]!;
    lines.push(line);
  }
  return lines.join('\n');
}
