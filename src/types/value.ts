/*
 * What a key can hold. Plain JS strings are string values (the common case,
 * no wrapper); every other value is an object with a `type` tag. Collection
 * types (lists, hashes, sets, sorted sets, streams) implement TypedValue.
 */
import type { MutableString } from './string.js';
import type { WarmableMembers } from './slot-table.js';

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export interface TypedValue {
  readonly type: TypeName;
  /** a deep, independent copy (COPY); types that lack it cannot be copied yet */
  clone?(): TypedValue;
  /** OBJECT ENCODING name (listpack, quicklist, hashtable, intset, skiplist, stream ...) */
  encoding?(): string;
  /** the member index of a big set, hash or sorted set, for warm-ups (server/warm.ts); null for small encodings */
  memberTable?(): WarmableMembers | null;
}

export type Value = string | MutableString | TypedValue;

export const typeOf = (v: Value): TypeName => (typeof v === 'string' ? 'string' : v.type);

export const isString = (v: Value): v is string | MutableString => typeof v === 'string' || v.type === 'string';
