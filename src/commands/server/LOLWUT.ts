/*
 * LOLWUT [VERSION version] [args ...] (redis/src/lolwut.c lolwutCommand):
 * version 5 draws Schotter in braille (LOLWUT VERSION 5 [cols [squares-per-row
 * [squares-per-col]]]), version 6 a skyline in ANSI colors (LOLWUT VERSION 6
 * [cols [rows]]), anything else just the version line. The art is
 * lolwut-art.ts; the reply is a verbatim string (txt), a bulk string in RESP2.
 *
 * As in Redis the version goes through "%u.0.0" of the 32-bit truncated value
 * and is matched on its first characters, so 2^32+5 means 5; arguments
 * beyond the ones a version reads are ignored, and out-of-range sizes are
 * clamped, never refused.
 */
import type { Client } from '../../server/client.js';
import type { CommandDef } from '../registry.js';
import { is, toBigInt } from '../args.js';
import { ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { REDIS_VERSION } from '../../server/server.js';
import { drawSchotter, drawSkyline, renderAnsi, renderBraille } from './lolwut-art.js';

/**
 * The optional integer arguments of a version (getLongFromObjectOrReply on
 * each present one, in order), clamped to [1, max]; null after replying an
 * error.
 */
function sizes(c: Client, args: readonly string[], defaults: readonly number[], max: readonly number[]): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < defaults.length; i++) {
    let v = BigInt(defaults[i]!);
    if (i < args.length) {
      const n = toBigInt(args[i]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return null; }
      v = n;
    }
    out.push(v < 1n ? 1 : v > BigInt(max[i]!) ? max[i]! : Number(v));
  }
  return out;
}

function lolwut5(c: Client, args: readonly string[]): void {
  const s = sizes(c, args, [66, 8, 12], [1000, 200, 200]);
  if (s === null) return;
  const art = renderBraille(drawSchotter(s[0]!, s[1]!, s[2]!));
  c.verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`);
}

function lolwut6(c: Client, args: readonly string[]): void {
  const s = sizes(c, args, [80, 20], [1000, 1000]);
  if (s === null) return;
  const art = renderAnsi(drawSkyline(s[0]!, s[1]!));
  c.verbatim(`${art}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`);
}

export const LOLWUT = {
  name: 'lolwut', group: 'server', summary: 'Display some computer art and the Redis version', since: '5.0.0',
  arity: -1, flags: ['readonly', 'fast'],
  arguments: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }],
  handler(c, argv) {
    let v = REDIS_VERSION;
    let args = argv.slice(1);
    if (argv.length >= 3 && is(argv[1], 'version')) {
      const ver = toBigInt(argv[2]!);
      if (ver === null) { c.error(ERR_NOT_INTEGER); return; }
      v = `${BigInt.asUintN(32, ver)}.0.0`;
      args = argv.slice(3);
    }
    if ((v[0] === '5' && v[1] === '.' && v[2] !== '9') || (v[0] === '4' && v[1] === '.' && v[2] === '9')) lolwut5(c, args);
    else if ((v[0] === '6' && v[1] === '.' && v[2] !== '9') || (v[0] === '5' && v[1] === '.' && v[2] === '9')) lolwut6(c, args);
    else c.verbatim(`Redis ver. ${REDIS_VERSION}\n`);
  },
} as const satisfies CommandDef;
