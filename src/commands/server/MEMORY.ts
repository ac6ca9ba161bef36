/*
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP (redis/src/object.c memoryCommand).
 * USAGE estimates what Redis would use for the key (src/server/memory.ts); STATS reports
 * this process's real numbers under Redis's field names.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_SYNTAX, ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { toInt } from '../args.js';
import { memoryUsage } from '../../server/memory.js';

const HELP = [
  'DOCTOR', '    Return memory problems reports.',
  'MALLOC-STATS', '    Return internal statistics report from the memory allocator.',
  'PURGE', '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS', '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

const ALL_SHARDS_SPECIAL = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];

export const MEMORY = {
  name: 'memory', group: 'server', summary: 'A container for memory diagnostics commands', since: '4.0.0',
  complexity: 'Depends on subcommand.', arity: -2, flags: [],
  subcommands: [
    {
      name: 'doctor', group: 'server', summary: 'Outputs memory problems report', since: '4.0.0', complexity: 'O(1)',
      arity: 2, flags: [], tips: ALL_SHARDS_SPECIAL,
      handler(c) {
        const used = process.memoryUsage().heapUsed;
        c.verbatim(used < 5 * 1024 * 1024
          ? "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting."
          : "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.");
      },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '4.0.0',
      complexity: 'O(1)', arity: 2, flags: ['loading', 'stale'],
      handler(c) { c.help('MEMORY', HELP); },
    },
    {
      name: 'malloc-stats', group: 'server', summary: 'Show allocator internal stats', since: '4.0.0',
      complexity: 'Depends on how much memory is allocated, could be slow', arity: 2, flags: [], tips: ALL_SHARDS_SPECIAL,
      handler(c) { c.verbatim('Stats not supported for the current allocator'); },
    },
    {
      name: 'purge', group: 'server', summary: 'Ask the allocator to release memory', since: '4.0.0',
      complexity: 'Depends on how much memory is allocated, could be slow', arity: 2, flags: [],
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      handler(c) {
        (globalThis as { gc?: () => void }).gc?.();
        c.ok();
      },
    },
    {
      name: 'stats', group: 'server', summary: 'Show memory usage details', since: '4.0.0', complexity: 'O(1)',
      arity: 2, flags: [], tips: ALL_SHARDS_SPECIAL,
      handler(c) {
        const m = process.memoryUsage();
        const s = c.server;
        const dbs = s.dbs.filter((d) => d.size > 0);
        const keys = s.dbs.reduce((n, d) => n + d.size, 0);
        const used = m.heapUsed + m.external;
        const startup = s.startupMemory;
        const dataset = Math.max(0, used - startup);
        c.map(27 + dbs.length);
        const kv = (k: string, v: number): void => { c.bulk(k); c.int(Math.round(v)); };
        const kd = (k: string, v: number): void => { c.bulk(k); c.double(v); };
        kv('peak.allocated', Math.max(used, s.peakMemory)); kv('total.allocated', used); kv('startup.allocated', startup);
        kv('replication.backlog', 0); kv('clients.slaves', 0); kv('clients.normal', s.clients.size * 20496);
        kv('cluster.links', 0); kv('aof.buffer', 0); kv('lua.caches', 0); kv('functions.caches', 0);
        for (const d of dbs) {
          c.bulk(`db.${d.id}`); c.map(3);
          kv('overhead.hashtable.main', d.size * 32); kv('overhead.hashtable.expires', d.expires.size * 32);
          kv('overhead.hashtable.slot-to-keys', 0);
        }
        const overhead = startup + s.clients.size * 20496;
        kv('overhead.total', overhead); kv('keys.count', keys); kv('keys.bytes-per-key', keys ? Math.floor(dataset / keys) : 0);
        kv('dataset.bytes', dataset); kd('dataset.percentage', used > startup ? (dataset * 100) / (used - startup) : 0);
        kd('peak.percentage', (used * 100) / Math.max(used, s.peakMemory));
        kv('allocator.allocated', used); kv('allocator.active', m.heapTotal + m.external); kv('allocator.resident', m.rss);
        kd('allocator-fragmentation.ratio', (m.heapTotal + m.external) / Math.max(1, used));
        kv('allocator-fragmentation.bytes', m.heapTotal + m.external - used);
        kd('allocator-rss.ratio', m.rss / Math.max(1, m.heapTotal + m.external)); kv('allocator-rss.bytes', m.rss - m.heapTotal - m.external);
        kd('rss-overhead.ratio', 1); kv('rss-overhead.bytes', 0);
        kd('fragmentation', m.rss / Math.max(1, used)); kv('fragmentation.bytes', m.rss - used);
      },
    },
    {
      name: 'usage', group: 'server', summary: 'Estimate the memory usage of a key', since: '4.0.0',
      complexity: 'O(N) where N is the number of samples.', arity: -3, flags: ['readonly'],
      keySpecs: [keyRange(2, ['RO'])],
      arguments: [
        { name: 'key', type: 'key', key_spec_index: 0 },
        { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
      ],
      handler(c, argv) {
        let samples = 5;
        for (let j = 3; j < argv.length; j++) {
          if (argv[j]!.toLowerCase() === 'samples' && j + 1 < argv.length) {
            const n = toInt(argv[j + 1]!);
            if (n === null) { c.error(ERR_NOT_INTEGER); return; }
            if (n < 0) { c.error(ERR_SYNTAX); return; }
            samples = n;
            j++;
          } else {
            c.error(ERR_SYNTAX);
            return;
          }
        }
        const v = c.db.peek(argv[2]!);
        if (v === undefined) { c.null(); return; }
        c.int(memoryUsage(argv[2]!, v, samples));
      },
    },
  ],
} as const satisfies CommandDef;
