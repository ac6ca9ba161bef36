/*
 * Helpers shared by the HyperLogLog commands (hyperloglog.c's
 * isHLLObjectOrReply with the lookups around it). A HLL is a string value:
 * a non-string key is the usual WRONGTYPE, a string that is not a HLL is
 * Redis's own WRONGTYPE line.
 */
import type { Client } from '../../server/client.js';
import { ERR_NOT_HLL } from '../../protocol/errors.js';
import type { StringValue } from '../../types/string.js';
import { isHll } from '../../types/hyperloglog.js';
import { readString, writeString } from '../string/common.js';

/** lookupKeyRead + isHLLObjectOrReply: the value, null when missing, false after replying an error. */
export function readHll(c: Client, key: string): StringValue | null | false {
  const v = readString(c, key);
  if (v === false || v === null) return v;
  if (!isHll(v)) { c.error(ERR_NOT_HLL); return false; }
  return v;
}

/** lookupKeyWrite + isHLLObjectOrReply: the value, null when missing, false after replying an error. */
export function writeHll(c: Client, key: string): StringValue | null | false {
  const v = writeString(c, key);
  if (v === false || v === null) return v;
  if (!isHll(v)) { c.error(ERR_NOT_HLL); return false; }
  return v;
}

/** hll-sparse-max-bytes */
export const sparseMaxBytes = (c: Client): number => c.server.config.hllSparseMaxBytes;

const LLONG_MAX = (1n << 63n) - 1n;

/** addReplyLongLong of a cardinality (a uint64: one past LLONG_MAX, the out-of-range estimate, goes negative as in C). */
export function replyCard(c: Client, card: bigint | number): void {
  if (typeof card === 'number') { c.int(card); return; }
  c.int(card <= 0x1fffffffffffffn ? Number(card) : card > LLONG_MAX ? card - (1n << 64n) : card);
}
