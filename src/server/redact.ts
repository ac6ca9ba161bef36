/*
 * Which arguments of a command never reach the slowlog or MONITOR
 * (Redis's redactClientCommandArgument callers): AUTH passwords, HELLO's
 * AUTH pair, MIGRATE's AUTH/AUTH2, ACL SETUSER's user and rules and sensitive CONFIG SET
 * values. Returns argv itself when nothing is redacted.
 */
import type { Command } from '../commands/registry.js';
import type { Server } from './server.js';

const REDACTED = '(redacted)';

export function redactedArgv(server: Server, cmd: Command, argv: readonly string[]): readonly string[] {
  switch (cmd.fullname) {
    case 'auth':
      return argv.map((a, i) => (i >= 1 ? REDACTED : a));
    case 'acl|setuser':
      // the user name too (aclCommand redacts from argv[2] before validating anything)
      return argv.map((a, i) => (i >= 2 ? REDACTED : a));
    case 'hello': {
      const out = [...argv];
      for (let i = 2; i < out.length; i++) {
        if (out[i]!.toLowerCase() === 'auth' && i + 2 < out.length) { out[i + 1] = REDACTED; out[i + 2] = REDACTED; i += 2; }
      }
      return out;
    }
    case 'migrate': {
      const out = [...argv];
      for (let i = 6; i < out.length; i++) {
        const l = out[i]!.toLowerCase();
        if (l === 'auth' && i + 1 < out.length) { out[i + 1] = REDACTED; i++; }
        else if (l === 'auth2' && i + 2 < out.length) { out[i + 1] = REDACTED; out[i + 2] = REDACTED; i += 2; }
        // COPY/REPLACE go on; KEYS, a short AUTH/AUTH2 or anything else ends migrateCommand's parsing
        else if (l !== 'copy' && l !== 'replace') break;
      }
      return out;
    }
    case 'config|set': {
      let out: string[] | null = null;
      for (let i = 2; i + 1 < argv.length; i += 2) {
        if (server.config.param(argv[i]!)?.sensitive) { out ??= [...argv]; out[i + 1] = REDACTED; }
      }
      return out ?? argv;
    }
    default:
      return argv;
  }
}
