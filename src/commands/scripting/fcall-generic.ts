/*
 * FCALL / FCALL_RO function numkeys [key ...] [arg ...] (functions.c
 * fcallCommandGeneric): the function looked up by name (case-insensitive),
 * numkeys checked, then run by the script engine with the function's flags.
 * MONITOR sees the FCALL before the function's calls (fed first, as Redis).
 */
import type { Client } from '../../server/client.js';
import { toBigInt } from '../args.js';
import { scriptEngineOf } from '../../scripting/engine.js';
import { functionsOf } from '../../scripting/functions.js';
import { feedMonitors } from '../../server/monitor.js';

export function fcallGeneric(c: Client, argv: string[], ro: boolean): void {
  feedMonitors(c.server, c, c.db.id, argv);
  const fi = functionsOf(c.server).functions.get(argv[1]!.toLowerCase());
  if (fi === undefined) { c.error('ERR Function not found'); return; }
  const n = toBigInt(argv[2]!);
  if (n === null) { c.error('ERR Bad number of keys provided'); return; }
  if (n > BigInt(argv.length - 3)) { c.error('ERR Number of keys can\'t be greater than number of args'); return; }
  if (n < 0n) { c.error('ERR Number of keys can\'t be negative'); return; }
  const numkeys = Number(n);
  scriptEngineOf(c.server).run(c, '', argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys), ro, { name: fi.name, gen: fi.lib.gen, flags: fi.flags });
}
