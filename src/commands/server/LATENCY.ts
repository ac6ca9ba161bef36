/* LATENCY LATEST|HISTORY|RESET|GRAPH|DOCTOR|HISTOGRAM|HELP over src/server/latency.ts. */
import type { CommandDef } from '../registry.js';
import { latencyOf, latencyReset } from '../../server/latency.js';
import { lookupByName } from './command-ops.js';
import type { Command } from '../registry.js';
import type { Client } from '../../server/client.js';
import { latencyGraph, latencyDoctor } from './latency-report.js';

function replyCdf(c: Client, cmd: Command): boolean {
  const h = latencyOf(c.server).histograms.get(cmd);
  if (!h) return false;
  c.bulk(cmd.fullname);
  c.map(2);
  c.bulk('calls');
  c.int(h.total);
  c.bulk('histogram_usec');
  const cdf = h.cdf();
  c.map(cdf.length);
  for (const [us, n] of cdf) { c.int(us); c.int(n); }
  return true;
}

export const LATENCY = {
  name: 'latency', group: 'server', summary: 'A container for latency diagnostics commands', since: '2.8.13',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'latest', group: 'server', summary: 'Return the latest latency samples for all events.', since: '2.8.13',
      complexity: 'O(1)',
      arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      handler(c) {
        const ev = latencyOf(c.server).events;
        c.array(ev.size);
        for (const [name, ts] of ev) {
          const last = ts.samples[ts.samples.length - 1]!;
          c.array(4);
          c.bulk(name);
          c.int(last.time);
          c.int(last.latency);
          c.int(ts.max);
        }
      },
    },
    {
      name: 'history', group: 'server', summary: 'Return timestamp-latency samples for the event.', since: '2.8.13',
      complexity: 'O(1)',
      arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      arguments: [{ name: 'event', type: 'string' }],
      handler(c, argv) {
        const ts = latencyOf(c.server).events.get(argv[2]!);
        const samples = ts?.samples ?? [];
        c.array(samples.length);
        for (const s of samples) { c.array(2); c.int(s.time); c.int(s.latency); }
      },
    },
    {
      name: 'reset', group: 'server', summary: 'Reset latency data for one or more events.', since: '2.8.13',
      complexity: 'O(1)',
      arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      arguments: [{ name: 'event', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        if (argv.length === 2) { c.int(latencyReset(c.server, null)); return; }
        let n = 0;
        for (const e of argv.slice(2)) n += latencyReset(c.server, e);
        c.int(n);
      },
    },
    {
      name: 'graph', group: 'server', summary: 'Return a latency graph for the event.', since: '2.8.13',
      complexity: 'O(1)',
      arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      arguments: [{ name: 'event', type: 'string' }],
      handler(c, argv) {
        const ts = latencyOf(c.server).events.get(argv[2]!);
        if (!ts) { c.error(`ERR No samples available for event '${argv[2]}'`); return; }
        c.verbatim(latencyGraph(argv[2]!, ts));
      },
    },
    {
      name: 'doctor', group: 'server', summary: 'Return a human readable latency analysis report.', since: '2.8.13',
      complexity: 'O(1)',
      arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      handler(c) { c.verbatim(latencyDoctor(c.server)); },
    },
    {
      name: 'histogram', group: 'server', summary: 'Return the cumulative distribution of latencies of a subset of commands or all.', since: '7.0.0',
      complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
      arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      arguments: [{ name: 'command', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        const parts: string[] = [];
        const saved = c.out;
        c.out = '';
        let n = 0;
        if (argv.length === 2) {
          for (const cmd of c.server.table.all()) if (replyCdf(c, cmd)) n++;
        } else {
          for (const name of argv.slice(2)) {
            const cmd = lookupByName(c.server, name);
            if (!cmd) continue;
            if (replyCdf(c, cmd)) n++;
            for (const sub of cmd.subcommands?.values() ?? []) if (replyCdf(c, sub)) n++;
          }
        }
        parts.push(c.out);
        c.out = saved;
        c.map(n);
        c.raw(parts.join(''));
      },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands.', since: '2.8.13',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'],
      handler(c) {
        c.help('LATENCY', [
          'DOCTOR',
          '    Return a human readable latency analysis report.',
          'GRAPH <event>',
          '    Return an ASCII latency graph for the <event> class.',
          'HISTORY <event>',
          '    Return time-latency samples for the <event> class.',
          'LATEST',
          '    Return the latest latency samples for all events.',
          'RESET [<event> ...]',
          '    Reset latency data of one or more <event> classes.',
          '    (default: reset all data for all event classes)',
          'HISTOGRAM [COMMAND ...]',
          '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
          '    If no commands are specified then all histograms are replied.',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;
