/* MSET key value [key value ...]: every pair set (TTLs dropped); an odd argument count is an arity error. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { errArity } from '../../protocol/errors.js';
import { argValue, setKey } from './common.js';

export const MSET = {
  name: 'mset', group: 'string', summary: 'Set multiple keys to multiple values', since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  bigValueArgs: [2, 2],
  arity: -3, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [keyRange(1, ['OW', 'update'], -1, 2, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
  arguments: [
    { name: 'key_value', type: 'block', multiple: true, arguments: [
      { name: 'key', type: 'key', key_spec_index: 0 },
      { name: 'value', type: 'string' },
    ] },
  ],
  handler(c, argv) {
    if (argv.length % 2 === 0) { c.error(errArity('mset')); return; }
    const rec = c.server.recorder;
    for (let j = 1; j < argv.length; j += 2) {
      setKey(c, argv[j]!, argValue(argv[j + 1]!));
      rec.keyWritten(c.db, argv[j]!, NOTIFY_STRING, 'set');
    }
    c.ok();
  },
} as const satisfies CommandDef;
