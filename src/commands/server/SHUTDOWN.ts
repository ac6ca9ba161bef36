/*
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (redis/src/db.c
 * shutdownCommand). The sequence itself, waiting for lagging replicas and
 * ABORT included, is server/shutdown.ts.
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';

export const SHUTDOWN = {
  name: 'shutdown', group: 'server', summary: 'Synchronously save the dataset to disk and then shut down the server', since: '1.0.0',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'sentinel', 'allow_busy'],
  history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
  arguments: [{ name: 'nosave_save', type: 'oneof', optional: true, arguments: [{ name: 'nosave', type: 'pure-token', token: 'NOSAVE' }, { name: 'save', type: 'pure-token', token: 'SAVE' }] }, { name: 'now', type: 'pure-token', token: 'NOW', optional: true, since: '7.0.0' }, { name: 'force', type: 'pure-token', token: 'FORCE', optional: true, since: '7.0.0' }, { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true, since: '7.0.0' }],
  handler(c, argv) {
    let save: boolean | undefined;
    let nosave = false;
    let abort = false;
    let saveFlag = false;
    let force = false;
    let now = false;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (is(a, 'nosave')) { nosave = true; if (!saveFlag) save = false; }
      else if (is(a, 'save')) { save = true; saveFlag = true; }
      else if (is(a, 'force')) force = true;
      else if (is(a, 'now')) now = true;
      else if (is(a, 'abort')) abort = true;
      else { c.error('ERR syntax error'); return; }
    }
    if ((abort && argv.length !== 2) || (nosave && saveFlag)) { c.error('ERR syntax error'); return; }
    const shutdown = c.server.shutdown;
    if (abort) {
      if (shutdown.abort()) c.ok(); else c.error('ERR No shutdown in progress.');
      return;
    }
    if (!now && (c.inMulti || c.server.nestedCalls > 1)) { c.error('ERR SHUTDOWN without NOW or ABORT isn\'t allowed for DENY BLOCKING client'); return; }
    // the caller waits for the outcome: the exit closes it, a failure or ABORT answers it with an error
    shutdown.block(c);
    shutdown.prepare({ save, force, now });
  },
} as const satisfies CommandDef;
