/*
 * Arguments longer than a V8 string can hold (more than 536,870,888 bytes;
 * legal up to proto-max-bulk-len, 512 MB by default and configurable higher,
 * as in Redis). The parser gathers such a bulk into a Buffer of its own and
 * puts a token in argv in its place: a string no client can forge (a NUL, a
 * per-process random nonce and a sequence number) that maps to the Buffer
 * here until the client that sent it releases it (after the command, or after
 * EXEC/DISCARD when it was queued, or when the client goes away).
 *
 * Only the commands that take a string value at a known position resolve the
 * token (SET and friends, APPEND, SETRANGE, RESTORE's payload); the client
 * refuses any other command carrying one ('argument too long'), so a token is
 * never stored as if it were the value. Propagation (AOF, replication) writes
 * the token's bytes (bigArg) in its place.
 *
 * Cost on the hot path: one Map size check (bigArg) where a value argument is
 * read; the map is empty unless a big argument is in flight.
 */
import { randomBytes } from 'node:crypto';
import { constants as bufferConstants } from 'node:buffer';

/**
 * An argument longer than this is big: V8's string limit (536,870,888 bytes).
 * NODIS_TEST_BIG_ARG_BYTES lowers it (a test hook: the suite runs every
 * big-value path with values of kilobytes; see test/system/big-values.test.ts).
 */
export const MAX_STRING_ARG = bigLimit();

function bigLimit(): number {
  const max = bufferConstants.MAX_STRING_LENGTH;
  const t = Number(process.env['NODIS_TEST_BIG_ARG_BYTES']);
  return Number.isInteger(t) && t > 0 && t < max ? t : max;
}

const tokens = new Map<string, Buffer>();
const nonce = randomBytes(12).toString('hex');
let seq = 0;

/** Register a big argument's bytes; returns its token for argv. */
export function registerBigArg(b: Buffer): string {
  const t = `\0nodis-big-arg:${nonce}:${++seq}`;
  tokens.set(t, b);
  return t;
}

/** The bytes a token stands for, or undefined for an ordinary argument. */
export function bigArg(a: string): Buffer | undefined {
  if (tokens.size === 0 || a.charCodeAt(0) !== 0) return undefined;
  return tokens.get(a);
}

/** True while any big argument is registered (the client checks commands only then). */
export const bigArgsInFlight = (): boolean => tokens.size !== 0;

export function releaseBigArg(t: string): void { tokens.delete(t); }
