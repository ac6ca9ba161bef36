/*
 * MEMORY USAGE estimates, in the spirit of redis/src/object.c
 * objectComputeSize: the bytes Redis itself would use for a key and its
 * value (dictEntry + key sds + object + encoding payload, rounded to jemalloc
 * size classes), computed from the value's real sizes; for big collections
 * the average element is sampled (`samples` elements, 0 = all) and scaled.
 * It is an estimate, as in Redis; Nodis's own footprint is in INFO memory.
 */
import { corruptInfo } from '../types/corrupt.js';
import type { TypedValue, Value } from '../types/value.js';
import { isCanonicalInt } from '../types/string.js';

/** jemalloc's size class for an allocation of n bytes. */
export function jeSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const pow = 2 ** Math.floor(Math.log2(n - 1));
  const step = pow / 4;
  return Math.ceil(n / step) * step;
}

/** sdsZmallocSize for a string of len bytes (sds header type by length). */
export function sdsSize(len: number): number {
  const hdr = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return jeSize(hdr + len + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;

function stringObjectSize(s: string | { len: number }): number {
  const len = typeof s === 'string' ? s.length : s.len;
  if (typeof s === 'string' && isCanonicalInt(s)) return ROBJ;
  if (typeof s === 'string' && len <= 44) return jeSize(ROBJ + 3 + len + 1);
  return ROBJ + sdsSize(len);
}

interface Sampled { count: number; avgLen: number; avgLen2: number }

/** Average element length(s) over the first `samples` elements (0 = all), per type. */
function sample(v: TypedValue, samples: number): Sampled {
  const o = v as unknown as Record<string, unknown>;
  const max = samples > 0 ? samples : Infinity;
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  const take = (a: string, b?: string): boolean => { n++; sum += a.length; sum2 += b?.length ?? 0; return n < max; };
  let count = 0;
  if (v.type === 'list') {
    const l = v as unknown as { length: number; at(i: number): string };
    count = l.length;
    for (let i = 0; i < count && take(l.at(i)); i++);
  } else if (v.type === 'zset') {
    const z = v as unknown as { size: number; memberAt(r: number): string };
    count = z.size;
    for (let i = 0; i < count && take(z.memberAt(i), 'x'.repeat(8)); i++);
  } else {
    const t = o['t'] as { size: number; keys: (string | undefined)[]; get(k: string): string | undefined } | null | undefined;
    if (t && Array.isArray(t.keys)) {
      count = t.size;
      for (const k of t.keys) if (k !== undefined && !take(k, v.type === 'hash' ? t.get(k) ?? '' : undefined)) break;
    } else {
      count = (o['size'] as number | undefined) ?? 0;
      const members = typeof o['members'] === 'function' ? (o['members'] as () => string[]).call(v) : [];
      for (const m of members) if (!take(m)) break;
    }
  }
  return { count, avgLen: n ? sum / n : 0, avgLen2: n ? sum2 / n : 0 };
}

/** Estimated bytes of key + value, as MEMORY USAGE reports them. */
export function memoryUsage(key: string, v: Value, samples: number): number {
  const size = DICT_ENTRY + sdsSize(key.length);
  if (typeof v === 'string' || v.type === 'string') return size + stringObjectSize(v as string);
  const corrupt = corruptInfo(v);
  if (corrupt !== undefined) return size + ROBJ + jeSize(corrupt.raw.length);
  const t = v as TypedValue;
  const o = v as unknown as { lp?: string; encoding?(): string };
  const enc = o.encoding ? o.encoding() : '';
  if (enc === 'listpack' && typeof o.lp === 'string') return size + ROBJ + jeSize(o.lp.length + 7);
  const { count, avgLen, avgLen2 } = sample(t, samples);
  const elem = (len: number): number => sdsSize(Math.round(len));
  switch (enc) {
    case 'intset': return size + ROBJ + jeSize(8 + count * 8);
    case 'listpack':
    case 'quicklist': {
      const nodes = Math.max(1, Math.ceil((count * (avgLen + 2)) / 8192));
      return size + ROBJ + 40 + nodes * (32 + 8192) - Math.max(0, nodes * 8192 - Math.round(count * (avgLen + 2)));
    }
    case 'hashtable': return size + ROBJ + jeSize(Math.max(4, count) * 8) + Math.round(count * (DICT_ENTRY + elem(avgLen) + (t.type === 'hash' ? elem(avgLen2) : 0)));
    case 'skiplist': return size + ROBJ + jeSize(Math.max(4, count) * 8) + Math.round(count * (DICT_ENTRY + elem(avgLen) + 56));
    default: return size + ROBJ + count * 32;
  }
}
