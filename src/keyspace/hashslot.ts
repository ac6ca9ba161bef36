/*
 * Redis Cluster's key -> hash slot map (redis/src/cluster.c keyHashSlot,
 * redis/src/crc16.c): CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0, no
 * reflection) of the key, or of the part between the first '{' and the first
 * '}' after it when that part is not empty (a hash tag), modulo 16384.
 *
 * Keys are latin1 strings: each character is one byte of the key.
 */
export const CLUSTER_SLOTS = 16384;

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[i] = c;
}

/** CRC16 (XMODEM) of key[from, to) */
export function crc16(key: string, from = 0, to = key.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ key.charCodeAt(i)) & 0xff]!;
  return crc;
}

/** The hash slot of a key (hash tags honoured). */
export function keyHashSlot(key: string): number {
  const s = key.indexOf('{');
  if (s >= 0) {
    const e = key.indexOf('}', s + 1);
    if (e > s + 1) return crc16(key, s + 1, e) & 0x3fff;
  }
  return crc16(key) & 0x3fff;
}
