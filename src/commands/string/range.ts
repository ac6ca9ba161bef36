/*
 * GETRANGE / SUBSTR (t_string.c getrangeCommand) and the clamping of 64-bit
 * range arguments shared with BITCOUNT and BITPOS: arguments are exact
 * (number or bigint) for the sign and order tests Redis makes on them, then
 * clamped to +-2^53, which no string length reaches.
 */
import type { Client } from '../../server/client.js';
import { ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { strLen } from '../../types/string.js';
import { readString } from './common.js';
import { parseLL } from './integers.js';

const LIMIT = 2 ** 53;

/** A range argument as a safe number (values beyond 2^53 clamped, keeping their sign). */
export const clampLL = (v: number | bigint): number => (typeof v === 'number' ? v : v > 0n ? LIMIT : -LIMIT);

/**
 * BITCOUNT/BITPOS range normalisation (bitops.c): start/end over totlen units
 * (bytes, or bits with BIT), negatives from the end, clamped to the string;
 * in bit units also the byte range and the masks of bits outside it in the
 * first and last byte.
 */
export function bitRange(start: number, end: number, totlen: number, isbit: boolean): { start: number; end: number; firstMask: number; lastMask: number } {
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  let firstMask = 0;
  let lastMask = 0;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
    lastMask = (1 << (7 - (end & 7))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

export function getRange(c: Client, argv: readonly string[]): void {
  const s = parseLL(argv[2]!);
  if (s === null) { c.error(ERR_NOT_INTEGER); return; }
  const e = parseLL(argv[3]!);
  if (e === null) { c.error(ERR_NOT_INTEGER); return; }
  const v = readString(c, argv[1]!);
  if (v === false) return;
  if (v === null) { c.bulk(''); return; }
  const len = strLen(v);
  if (s < 0 && e < 0 && s > e) { c.bulk(''); return; }
  let start = clampLL(s);
  let end = clampLL(e);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) { c.bulk(''); return; }
  if (typeof v === 'string') c.bulk(v.slice(start, end + 1)); else c.bulkBuffer(v.buf.subarray(start, end + 1));
}
