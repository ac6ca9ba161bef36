/*
 * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT]
 * [NOLOOP] (clientCommand in networking.c): options are parsed first (syntax
 * errors and a missing redirect target win over ON/OFF), then ON checks them
 * against each other and the current mode in Redis's order. As in Redis 7.0,
 * a prefix overlapping a later one of the same call is reported, but only the
 * first prefix's overlap stops the command (checkPrefixCollisionsOrReply
 * returns its index): from the second on, the error is followed by +OK.
 */
import type { CommandDef } from '../registry.js';
import { is, toBigInt } from '../args.js';
import {
  ERR_NOT_INTEGER, ERR_SYNTAX, ERR_TRACKING_BCAST_SWITCH, ERR_TRACKING_ONE_REDIRECT, ERR_TRACKING_OPT_BCAST,
  ERR_TRACKING_OPT_SWITCH, ERR_TRACKING_OPTIN_OPTOUT, ERR_TRACKING_PREFIX_NEEDS_BCAST, ERR_TRACKING_REDIRECT_MISSING,
  errPrefixOverlapExisting, errPrefixOverlapOther,
} from '../../protocol/errors.js';
import { Tracking, trackingOf } from '../../server/tracking.js';

export const CLIENT_TRACKING = {
  name: 'tracking', group: 'connection', summary: 'Enable or disable server assisted client side caching support',
  since: '6.0.0', complexity: 'O(1). Some options may introduce additional complexity.', arity: -3,
  flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [
    { name: 'status', type: 'oneof', arguments: [
      { name: 'on', type: 'pure-token', token: 'ON' },
      { name: 'off', type: 'pure-token', token: 'OFF' },
    ] },
    { token: 'REDIRECT', name: 'client-id', type: 'integer', optional: true },
    { token: 'PREFIX', name: 'prefix', type: 'string', optional: true, multiple: true, multiple_token: true },
    { name: 'bcast', token: 'BCAST', type: 'pure-token', optional: true },
    { name: 'optin', token: 'OPTIN', type: 'pure-token', optional: true },
    { name: 'optout', token: 'OPTOUT', type: 'pure-token', optional: true },
    { name: 'noloop', token: 'NOLOOP', type: 'pure-token', optional: true },
  ],
  handler(c, argv) {
    const tracking = trackingOf(c.server);
    let redir = 0;
    const opts = { bcast: false, optin: false, optout: false, noloop: false };
    const prefixes: string[] = [];
    for (let j = 3; j < argv.length; j++) {
      const more = argv.length - 1 - j > 0;
      const a = argv[j]!;
      if (is(a, 'redirect') && more) {
        j++;
        if (redir !== 0) { c.error(ERR_TRACKING_ONE_REDIRECT); return; }
        const n = toBigInt(argv[j]!);
        if (n === null) { c.error(ERR_NOT_INTEGER); return; }
        redir = Number(n);
        const target = Number.isSafeInteger(redir) ? c.server.clients.get(redir) : undefined;
        if (target === undefined || target.closed) { c.error(ERR_TRACKING_REDIRECT_MISSING); return; }
      } else if (is(a, 'bcast')) opts.bcast = true;
      else if (is(a, 'optin')) opts.optin = true;
      else if (is(a, 'optout')) opts.optout = true;
      else if (is(a, 'noloop')) opts.noloop = true;
      else if (is(a, 'prefix') && more) prefixes.push(argv[++j]!);
      else { c.error(ERR_SYNTAX); return; }
    }
    if (is(argv[2], 'on')) {
      if (!opts.bcast && prefixes.length > 0) { c.error(ERR_TRACKING_PREFIX_NEEDS_BCAST); return; }
      const st = tracking.states.get(c);
      if (st !== undefined && st.bcast !== opts.bcast) { c.error(ERR_TRACKING_BCAST_SWITCH); return; }
      if (opts.bcast && (opts.optin || opts.optout)) { c.error(ERR_TRACKING_OPT_BCAST); return; }
      if (opts.optin && opts.optout) { c.error(ERR_TRACKING_OPTIN_OPTOUT); return; }
      if (st !== undefined && ((opts.optin && st.optout) || (opts.optout && st.optin))) {
        c.error(ERR_TRACKING_OPT_SWITCH);
        return;
      }
      if (opts.bcast && !prefixesOk(c, st?.prefixes, prefixes)) return;
      tracking.enable(c, redir, opts, prefixes);
    } else if (is(argv[2], 'off')) {
      tracking.disable(c);
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
    c.ok();
  },
} as const satisfies CommandDef;

/** checkPrefixCollisionsOrReply; false when the command must stop. */
function prefixesOk(c: Parameters<NonNullable<typeof CLIENT_TRACKING.handler>>[0], existing: ReadonlySet<string> | undefined,
  prefixes: readonly string[]): boolean {
  const mine = existing ? [...existing].sort() : [];
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i]!;
    for (const e of mine) {
      if (Tracking.overlaps(e, p)) { c.error(errPrefixOverlapExisting(p, e)); return false; }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (Tracking.overlaps(p, prefixes[j]!)) {
        c.error(errPrefixOverlapOther(p, prefixes[j]!));
        return i !== 0;
      }
    }
  }
  return true;
}
