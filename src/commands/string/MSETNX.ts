/* MSETNX key value [key value ...]: sets all pairs (1) only when none of the keys exists, else nothing (0). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { errArity } from '../../protocol/errors.js';
import { argValue, setKey } from './common.js';

export const MSETNX = {
  name: 'msetnx', group: 'string', summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  bigValueArgs: [2, 2],
  arity: -3, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [keyRange(1, ['OW', 'insert'], -1, 2, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
  arguments: [
    { name: 'key_value', type: 'block', multiple: true, arguments: [
      { name: 'key', type: 'key', key_spec_index: 0 },
      { name: 'value', type: 'string' },
    ] },
  ],
  handler(c, argv) {
    if (argv.length % 2 === 0) { c.error(errArity('msetnx')); return; }
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.has(argv[j]!)) { c.int(0); return; }
    }
    const rec = c.server.recorder;
    for (let j = 1; j < argv.length; j += 2) {
      setKey(c, argv[j]!, argValue(argv[j + 1]!));
      rec.keyWritten(c.db, argv[j]!, NOTIFY_STRING, 'set');
    }
    c.int(1);
  },
} as const satisfies CommandDef;
