/*
 * CLIENT TRACKINGINFO: a map of flags (a set: on/off, bcast, optin +
 * caching-yes, optout + caching-no, noloop, broken_redirect), redirect
 * (-1 when off) and the BCAST prefixes in byte order.
 */
import type { CommandDef } from '../registry.js';
import { trackingOf } from '../../server/tracking.js';

export const CLIENT_TRACKINGINFO = {
  name: 'trackinginfo', group: 'connection',
  summary: 'Return information about server assisted client side caching for the current connection',
  since: '6.2.0', complexity: 'O(1)', arity: 2, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c) {
    const st = trackingOf(c.server).states.get(c);
    const flags = [st ? 'on' : 'off'];
    if (st) {
      if (st.bcast) flags.push('bcast');
      if (st.optin) { flags.push('optin'); if (st.caching) flags.push('caching-yes'); }
      if (st.optout) { flags.push('optout'); if (st.caching) flags.push('caching-no'); }
      if (st.noloop) flags.push('noloop');
      if (st.brokenRedir) flags.push('broken_redirect');
    }
    c.map(3);
    c.bulk('flags');
    c.set(flags.length);
    for (const f of flags) c.bulk(f);
    c.bulk('redirect');
    c.int(st === undefined ? -1 : st.redirect);
    c.bulk('prefixes');
    const prefixes = st ? [...st.prefixes].sort() : [];
    c.array(prefixes.length);
    for (const p of prefixes) c.bulk(p);
  },
} as const satisfies CommandDef;
