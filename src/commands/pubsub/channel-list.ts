/* Shared by PUBSUB CHANNELS / SHARDCHANNELS and NUMSUB / SHARDNUMSUB: list a registry, count per name. */
import type { Client } from '../../server/client.js';
import { globMatch } from '../../keyspace/glob.js';
import { errSubcommandSyntax } from '../../protocol/errors.js';

/** Active names, optionally filtered by a glob pattern (at most one argument after the subcommand). */
export function channelList(c: Client, argv: string[], reg: Map<string, Set<Client>>): void {
  if (argv.length > 3) { c.error(errSubcommandSyntax(argv[1]!, argv[0]!)); return; }
  const pat = argv.length === 3 ? argv[2]! : null;
  const names: string[] = [];
  for (const name of reg.keys()) if (pat === null || globMatch(pat, name)) names.push(name);
  c.array(names.length);
  for (const n of names) c.bulk(n);
}

/** name, count pairs for each argument after the subcommand. */
export function numSub(c: Client, argv: string[], reg: Map<string, Set<Client>>): void {
  c.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.bulk(argv[i]!);
    c.int(reg.get(argv[i]!)?.size ?? 0);
  }
}
