/* EVAL script numkeys [key ...] [arg ...]: see eval-generic.ts. */
import type { CommandDef } from '../registry.js';
import { evalGeneric } from './eval-generic.js';

export const EVAL = {
  name: 'eval', group: 'scripting', summary: 'Execute a Lua script server side', since: '2.6.0',
  complexity: 'Depends on the script that is executed.',
  arity: -3, flags: ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'], acl: ['scripting'],
  keySpecs: [{ notes: 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE', flags: ['RW', 'access', 'update'], begin: { index: 2 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'script', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { evalGeneric(c, argv, false, false); },
} as const satisfies CommandDef;
