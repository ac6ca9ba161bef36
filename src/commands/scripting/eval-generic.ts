/*
 * evalGenericCommand (eval.c): shared by EVAL, EVALSHA, EVAL_RO and EVALSHA_RO.
 * numkeys is checked, the script found (EVALSHA: by its lowercase SHA, else
 * NOSCRIPT) or compiled and cached (EVAL), then run by the engine, which
 * replies (at once, or when a script that went past busy-reply-threshold ends).
 * MONITOR sees the EVAL before the script's calls (evalCommand feeds it first;
 * the commands are skip_monitor).
 */
import type { Client } from '../../server/client.js';
import { toBigInt } from '../args.js';
import { ERR_NOSCRIPT, ERR_NOT_INTEGER, ERR_NUMKEYS_GREATER, ERR_NUMKEYS_NEGATIVE } from '../../protocol/errors.js';
import { scriptEngineOf, sha1hex } from '../../scripting/engine.js';
import { feedMonitors } from '../../server/monitor.js';

export function evalGeneric(c: Client, argv: string[], evalsha: boolean, ro: boolean): void {
  feedMonitors(c.server, c, c.db.id, argv);
  const engine = scriptEngineOf(c.server);
  if (evalsha && argv[1]!.length !== 40) { c.error(ERR_NOSCRIPT); return; }
  const n = toBigInt(argv[2]!);
  if (n === null) { c.error(ERR_NOT_INTEGER); return; }
  if (n > BigInt(argv.length - 3)) { c.error(ERR_NUMKEYS_GREATER); return; }
  if (n < 0n) { c.error(ERR_NUMKEYS_NEGATIVE); return; }
  const numkeys = Number(n);
  let sha: string;
  if (evalsha) {
    sha = argv[1]!.toLowerCase();
    if (!engine.scripts.has(sha)) { c.error(ERR_NOSCRIPT); return; }
  } else {
    sha = sha1hex(argv[1]!);
    if (!engine.scripts.has(sha) && engine.createFunction(c, argv[1]!) === null) return;
  }
  engine.run(c, sha, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys), ro);
}
