/* XINFO CONSUMERS / GROUPS / STREAM / HELP */
import type { CommandDef } from '../registry.js';
import { xinfoConsumersCommand, xinfoGroupsCommand, xinfoHelpCommand, xinfoStreamCommand } from './info.js';

export const XINFO_CONSUMERS = {
  name: 'consumers', group: 'stream', summary: 'List the consumers in a consumer group', since: '5.0.0',
  complexity: 'O(1)',
  arity: 4, flags: ['readonly'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'groupname', type: 'string' }],
  handler: xinfoConsumersCommand,
} as const satisfies CommandDef;

export const XINFO_GROUPS = {
  name: 'groups', group: 'stream', summary: 'List the consumer groups of a stream', since: '5.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  history: [['7.0.0', 'Added the `entries-read` and `lag` fields']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler: xinfoGroupsCommand,
} as const satisfies CommandDef;

export const XINFO_HELP = {
  name: 'help', group: 'stream', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['loading', 'stale'], acl: ['stream'],
  handler: xinfoHelpCommand,
} as const satisfies CommandDef;

export const XINFO_STREAM = {
  name: 'stream', group: 'stream', summary: 'Get information about a stream', since: '5.0.0',
  complexity: 'O(1)',
  arity: -3, flags: ['readonly'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  history: [['6.0.0', 'Added the `FULL` modifier.'], ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'full', type: 'block', token: 'FULL', optional: true, arguments: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }] }],
  handler: xinfoStreamCommand,
} as const satisfies CommandDef;

export const XINFO = {
  name: 'xinfo', group: 'stream', summary: 'A container for stream introspection commands', since: '5.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [XINFO_CONSUMERS, XINFO_GROUPS, XINFO_HELP, XINFO_STREAM],
} as const satisfies CommandDef;
