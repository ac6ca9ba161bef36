/* EVALSHA_RO sha1 numkeys [key ...] [arg ...]: see eval-generic.ts. */
import type { CommandDef } from '../registry.js';
import { evalGeneric } from './eval-generic.js';

export const EVALSHA_RO = {
  name: 'evalsha_ro', group: 'scripting', summary: 'Execute a read-only Lua script server side', since: '7.0.0',
  complexity: 'Depends on the script that is executed.',
  arity: -3, flags: ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'], acl: ['scripting'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 2 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'sha1', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { evalGeneric(c, argv, true, true); },
} as const satisfies CommandDef;
