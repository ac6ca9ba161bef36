/* HSET key field value [field value ...]: sets the pairs (converting to hashtable past the listpack limits); replies the count of new fields. HMSET shares hsetGeneric. */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { NOTIFY_HASH } from '../../keyspace/notify.js';
import { errArity } from '../../protocol/errors.js';
import { hashForWrite, maxEntries, maxValue } from './common.js';

/** hsetCommand: HSET replies the count of new fields, HMSET +OK. */
export function hsetGeneric(c: Client, argv: string[], ok: boolean): void {
  if (argv.length % 2 === 1) { c.error(errArity(c.cmd!.fullname)); return; }
  const key = argv[1]!;
  const h = hashForWrite(c, key);
  if (h === false) return;
  const added = h.setPairs(argv, 2, maxEntries(c), maxValue(c));
  c.server.recorder.keyWritten(c.db, key, NOTIFY_HASH, 'hset', (argv.length - 2) / 2);
  if (ok) c.ok(); else c.int(added);
}

export const HSET = {
  name: 'hset', group: 'hash', summary: 'Set the string value of a hash field', since: '2.0.0',
  complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 2],
  history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field_value', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] }],
  handler(c, argv) { hsetGeneric(c, argv, false); },
} as const satisfies CommandDef;
