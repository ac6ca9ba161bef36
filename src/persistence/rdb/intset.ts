/*
 * Redis's intset byte format (redis/src/intset.c): uint32 encoding (2, 4 or 8:
 * bytes per value), uint32 length, then the values sorted ascending, all
 * little-endian. Redis widens the encoding when a wider value arrives and
 * never narrows it; Nodis does not track that history, so it writes the
 * narrowest encoding that holds every member (what a set built by SADD alone
 * has).
 */

/** The intset blob of sorted, unique int64 values a[0..n). */
export function intsetBuild(a: BigInt64Array, n: number): Buffer {
  let enc = 2;
  if (n > 0) {
    const lo = a[0]!;
    const hi = a[n - 1]!;
    if (lo < -2147483648n || hi > 2147483647n) enc = 8;
    else if (lo < -32768n || hi > 32767n) enc = 4;
  }
  const b = Buffer.allocUnsafe(8 + n * enc);
  b.writeUInt32LE(enc, 0);
  b.writeUInt32LE(n, 4);
  let p = 8;
  if (enc === 2) for (let i = 0; i < n; i++, p += 2) b.writeInt16LE(Number(a[i]), p);
  else if (enc === 4) for (let i = 0; i < n; i++, p += 4) b.writeInt32LE(Number(a[i]), p);
  else for (let i = 0; i < n; i++, p += 8) b.writeBigInt64LE(a[i]!, p);
  return b;
}

/**
 * Parse an intset blob b[start,end) (intsetValidateIntegrity, deep): the
 * values, or null when the size, encoding or strict ascending order is wrong.
 */
export function intsetParse(b: Buffer, start = 0, end = b.length): BigInt64Array | null {
  if (end - start < 8) return null;
  const enc = b.readUInt32LE(start);
  if (enc !== 2 && enc !== 4 && enc !== 8) return null;
  const n = b.readUInt32LE(start + 4);
  if (8 + n * enc !== end - start) return null;
  const out = new BigInt64Array(n);
  let p = start + 8;
  for (let i = 0; i < n; i++, p += enc) {
    out[i] = enc === 2 ? BigInt(b.readInt16LE(p)) : enc === 4 ? BigInt(b.readInt32LE(p)) : b.readBigInt64LE(p);
    if (i > 0 && out[i]! <= out[i - 1]!) return null;
  }
  return out;
}
