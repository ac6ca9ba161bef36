/* XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP: one handler (xgroupCommand) */
import type { CommandDef } from '../registry.js';
import { xgroupCommand } from './group.js';

export const XGROUP_CREATE = {
  name: 'create', group: 'stream', summary: 'Create a consumer group.', since: '5.0.0',
  complexity: 'O(1)',
  arity: -5, flags: ['write', 'denyoom'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'insert'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  history: [['7.0.0', 'Added the `entries_read` named argument.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }, { name: 'id', type: 'oneof', arguments: [{ name: 'id', type: 'string' }, { name: 'new_id', type: 'pure-token', token: '$' }] }, { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true }, { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true }],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP_CREATECONSUMER = {
  name: 'createconsumer', group: 'stream', summary: 'Create a consumer in a consumer group.', since: '6.2.0',
  complexity: 'O(1)',
  arity: 5, flags: ['write', 'denyoom'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'insert'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }, { name: 'consumername', type: 'string' }],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP_DELCONSUMER = {
  name: 'delconsumer', group: 'stream', summary: 'Delete a consumer from a consumer group.', since: '5.0.0',
  complexity: 'O(1)',
  arity: 5, flags: ['write'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }, { name: 'consumername', type: 'string' }],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP_DESTROY = {
  name: 'destroy', group: 'stream', summary: 'Destroy a consumer group.', since: '5.0.0',
  complexity: 'O(N) where N is the number of entries in the group\'s pending entries list (PEL).',
  arity: 4, flags: ['write'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP_HELP = {
  name: 'help', group: 'stream', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['loading', 'stale'], acl: ['stream'],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP_SETID = {
  name: 'setid', group: 'stream', summary: 'Set a consumer group to an arbitrary last delivered ID value.', since: '5.0.0',
  complexity: 'O(1)',
  arity: -5, flags: ['write'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  history: [['7.0.0', 'Added the optional `entries_read` argument.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }, { name: 'id', type: 'oneof', arguments: [{ name: 'id', type: 'string' }, { name: 'new_id', type: 'pure-token', token: '$' }] }, { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true }],
  handler: xgroupCommand,
} as const satisfies CommandDef;

export const XGROUP = {
  name: 'xgroup', group: 'stream', summary: 'A container for consumer groups commands', since: '5.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [XGROUP_CREATE, XGROUP_CREATECONSUMER, XGROUP_DELCONSUMER, XGROUP_DESTROY, XGROUP_HELP, XGROUP_SETID],
} as const satisfies CommandDef;
