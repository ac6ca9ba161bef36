/* FCALL_RO function numkeys [key ...] [arg ...]: see fcall-generic.ts. */
import type { CommandDef } from '../registry.js';
import { fcallGeneric } from './fcall-generic.js';

export const FCALL_RO = {
  name: 'fcall_ro', group: 'scripting', summary: 'Invoke a read-only function', since: '7.0.0',
  complexity: 'Depends on the function that is executed.',
  arity: -3, flags: ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'], acl: ['scripting'],
  keySpecs: [{ notes: 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS', flags: ['RO', 'access'], begin: { index: 2 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'function', type: 'string' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, optional: true, multiple: true }, { name: 'arg', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { fcallGeneric(c, argv, true); },
} as const satisfies CommandDef;
