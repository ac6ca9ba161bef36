/*
 * OBJECT <subcommand> (redis/src/object.c objectCommand): a container; each
 * subcommand is its own def. Lookups neither touch the access clock nor fire
 * keymiss (LOOKUP_NOTOUCH | LOOKUP_NONOTIFY) but count hits and misses; a
 * missing key replies null.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import type { Client } from '../../server/client.js';
import type { Value } from '../../types/value.js';
import { ERR_OBJECT_FREQ_NOT_LFU, ERR_OBJECT_IDLETIME_LFU } from '../../protocol/errors.js';
import { idleSeconds, lfuDecayed } from '../../keyspace/access.js';
import { encodingOf, isSharedInteger } from './common.js';

/** objectCommandLookupOrReply */
function lookup(c: Client, key: string): Value | undefined {
  const v = c.db.peek(key);
  if (v === undefined) { c.server.stats.keyspaceMisses++; c.null(); return undefined; }
  c.server.stats.keyspaceHits++;
  return v;
}

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

export const OBJECT_ENCODING = {
  name: 'encoding', group: 'generic', summary: 'Inspect the internal encoding of a Redis object', since: '2.2.3',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly'], acl: ['keyspace'],
  keySpecs: [keyRange(2, ['RO'])],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const v = lookup(c, argv[2]!);
    if (v !== undefined) c.bulk(encodingOf(v));
  },
} as const satisfies CommandDef;

export const OBJECT_FREQ = {
  name: 'freq', group: 'generic', summary: 'Get the logarithmic access frequency counter of a Redis object', since: '4.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly'], acl: ['keyspace'],
  keySpecs: [keyRange(2, ['RO'])],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    if (lookup(c, argv[2]!) === undefined) return;
    const server = c.server;
    if (!server.lfuMode) { c.error(ERR_OBJECT_FREQ_NOT_LFU); return; }
    c.int(lfuDecayed(c.db.clockOf(argv[2]!) ?? 0, server.now, server.config.num('lfu-decay-time')));
  },
} as const satisfies CommandDef;

export const OBJECT_IDLETIME = {
  name: 'idletime', group: 'generic', summary: 'Get the time since a Redis object was last accessed', since: '2.2.3',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly'], acl: ['keyspace'],
  keySpecs: [keyRange(2, ['RO'])],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    if (lookup(c, argv[2]!) === undefined) return;
    const server = c.server;
    if (server.lfuMode) { c.error(ERR_OBJECT_IDLETIME_LFU); return; }
    c.int(idleSeconds(c.db.clockOf(argv[2]!) ?? 0, server.now));
  },
} as const satisfies CommandDef;

export const OBJECT_REFCOUNT = {
  name: 'refcount', group: 'generic', summary: 'Get the number of references to the value of the key', since: '2.2.3',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly'], acl: ['keyspace'],
  keySpecs: [keyRange(2, ['RO'])],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const v = lookup(c, argv[2]!);
    if (v !== undefined) c.int(isSharedInteger(c.server, v) ? 2147483647 : 1);
  },
} as const satisfies CommandDef;

export const OBJECT_HELP = {
  name: 'help', group: 'generic', summary: 'Show helpful text about the different subcommands', since: '6.2.0',
  complexity: 'O(1)',
  arity: 2, flags: ['loading', 'stale'], acl: ['keyspace'],
  handler(c) { c.help('OBJECT', HELP); },
} as const satisfies CommandDef;

export const OBJECT = {
  name: 'object', group: 'generic', summary: 'A container for object introspection commands', since: '2.2.3',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [OBJECT_ENCODING, OBJECT_FREQ, OBJECT_HELP, OBJECT_IDLETIME, OBJECT_REFCOUNT],
} as const satisfies CommandDef;
