/*
 * LATENCY DOCTOR and LATENCY GRAPH texts (redis/src/latency.c). The doctor's
 * framing, per-event statistics line and slowlog advice follow Redis; the
 * advice about forks, disks, AOF and THP does not apply to Nodis and is left
 * out. The graph has Redis's header; its body is a simpler bar chart than
 * Redis's sparkline renderer.
 */
import type { Server } from '../../server/server.js';
import type { LatencySeries } from '../../server/latency.js';
import { latencyOf } from '../../server/latency.js';

export function latencyDoctor(server: Server): string {
  const events = latencyOf(server).events;
  const threshold = server.config.num('latency-monitor-threshold');
  if (events.size === 0 && threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  let report = '';
  let n = 0;
  const advice: string[] = [];
  for (const [event, ts] of events) {
    if (n++ === 0) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const s = ts.samples;
    const avg = s.reduce((a, x) => a + x.latency, 0) / Math.max(1, s.length);
    const mad = s.reduce((a, x) => a + Math.abs(x.latency - avg), 0) / Math.max(1, s.length);
    const period = s.length > 0 ? Math.floor(Date.now() / 1000) - s[0]!.time : 0;
    report += `${n}. ${event}: ${s.length} latency spikes (average ${Math.floor(avg)}ms, mean deviation ${Math.floor(mad)}ms, period ${(period / Math.max(1, s.length)).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    if (event === 'command') {
      const slower = server.config.num('slowlog-log-slower-than');
      if (slower < 0) advice.push(`- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`);
      else if (slower / 1000 > threshold) advice.push(`- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`);
      advice.push('- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n');
    }
    report += '\n';
  }
  if (n === 0) {
    report += 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  } else if (advice.length === 0) {
    report += "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
  } else {
    report += '\nI have a few advices for you:\n\n' + advice.join('');
  }
  return report;
}

export function latencyGraph(event: string, ts: LatencySeries): string {
  const lat = ts.samples.map((s) => s.latency);
  const max = lat.length ? Math.max(...lat) : 0;
  const min = lat.length ? Math.min(...lat) : 0;
  let g = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${'-'.repeat(80)}\n`;
  const rows = 4;
  for (let r = rows; r >= 1; r--) {
    let line = '';
    for (const v of lat) line += max > 0 && v * rows >= r * max ? '#' : ' ';
    g += line.replace(/ +$/, '') + '\n';
  }
  const now = Math.floor(Date.now() / 1000);
  g += ts.samples.map((s) => {
    const e = now - s.time;
    return e < 60 ? `${e}s` : e < 3600 ? `${Math.floor(e / 60)}m` : e < 86400 ? `${Math.floor(e / 3600)}h` : `${Math.floor(e / 86400)}d`;
  }).join(' ') + '\n';
  return g;
}
