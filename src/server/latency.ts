/*
 * Latency monitor and per-command latency histograms (redis/src/latency.c).
 *
 * Events: a sample (seconds, milliseconds) is kept for an event ("command",
 * "fast-command", "expire-cycle" ...) when its latency is at least
 * latency-monitor-threshold; one sample per second (the max), 160 per event,
 * plus the all-time max. LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR read them.
 *
 * Histograms: with latency-tracking on, every call's duration goes into its
 * command's histogram: log-linear buckets (128 per power of two, about 1%
 * precision, like Redis's hdr_histogram with 2 significant digits). LATENCY
 * HISTOGRAM reports cumulative counts at power-of-two microsecond bounds and
 * INFO latencystats the configured percentiles.
 */
import type { Server } from './server.js';
import type { Client } from './client.js';
import type { Command } from '../commands/registry.js';
import { setInfoFields, onResetStats } from './info.js';

export interface LatencySample { time: number; latency: number }
export interface LatencySeries { samples: LatencySample[]; max: number }

const TS_LEN = 160;
const SUB = 128;

/** A log-linear histogram of nanosecond values. */
/** bucketOf(usec * 1000) for whole microseconds below 4096 (the common case), precomputed. */
let SMALL_BUCKETS: Float64Array = new Float64Array(0);

/** durations of whole microseconds below this are counted in a typed array (no Map update per call) */
const FAST_US = 1024;

export class Histogram {
  total = 0;
  /** bucket -> count, for durations of FAST_US microseconds and more */
  private readonly counts = new Map<number, number>();
  /** count per whole microsecond below FAST_US */
  private readonly fast = new Float64Array(FAST_US);

  static bucketOf(ns: number): number {
    const v = Math.max(1, Math.floor(ns));
    const e = Math.floor(Math.log2(v));
    if (e < 7) return v;
    const sub = Math.floor(v / 2 ** (e - 7));
    return e * SUB + sub + 1e6;
  }

  /** Highest value in a bucket. */
  static upperOf(b: number): number {
    if (b < 1e6) return b;
    const x = b - 1e6;
    const e = Math.floor(x / SUB);
    const sub = x - e * SUB;
    return (sub + 1) * 2 ** (e - 7) - 1;
  }

  record(ns: number): void {
    const v = Math.min(Math.max(ns, 1000), 1e12);
    const us = v / 1000;
    this.total++;
    if (us < FAST_US && Number.isInteger(us)) { this.fast[us]++; return; }
    const b = us < SMALL_BUCKETS.length && Number.isInteger(us) ? SMALL_BUCKETS[us]! : Histogram.bucketOf(v);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
  }

  /** (bucket, count) pairs in bucket order, the per-microsecond counts folded into their buckets. */
  private sorted(): [number, number][] {
    const all = new Map(this.counts);
    const fast = this.fast;
    for (let us = 0; us < FAST_US; us++) {
      if (fast[us] === 0) continue;
      const b = SMALL_BUCKETS[us]!;
      all.set(b, (all.get(b) ?? 0) + fast[us]!);
    }
    return [...all.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** The value at a percentile (hdr_value_at_percentile), in ns. */
  valueAt(p: number): number {
    const target = Math.max(1, Math.ceil((p / 100) * this.total));
    let acc = 0;
    for (const [b, n] of this.sorted()) { acc += n; if (acc >= target) return Histogram.upperOf(b); }
    return 0;
  }

  /** Cumulative counts at power-of-two bounds of 1024 ns (hdr_iter_log 1024, 2), keyed in usec. */
  cdf(): [usec: number, cumulative: number][] {
    const out: [number, number][] = [];
    const entries = this.sorted();
    let i = 0;
    let acc = 0;
    let prev = 0;
    for (let bound = 1024; i < entries.length; bound *= 2) {
      while (i < entries.length && Histogram.upperOf(entries[i]![0]) < bound) acc += entries[i++]![1];
      if (acc > prev) out.push([Math.floor((bound - 1) / 1000), acc]);
      prev = acc;
    }
    return out;
  }
}

export interface LatencyState { events: Map<string, LatencySeries>; histograms: Map<Command, Histogram> }

export function latencyOf(server: Server): LatencyState {
  let s = server.ext.get('latency') as LatencyState | undefined;
  if (!s) { s = { events: new Map(), histograms: new Map() }; server.ext.set('latency', s); }
  return s;
}

/** latencyAddSampleIfNeeded: record `ms` for `event` when the monitor is on and it is over the threshold. */
export function latencyAddSampleIfNeeded(server: Server, event: string, ms: number): void {
  const threshold = server.config.num('latency-monitor-threshold');
  if (threshold > 0 && ms >= threshold) latencyAddSample(server, event, ms);
}

export function latencyAddSample(server: Server, event: string, ms: number): void {
  const st = latencyOf(server);
  let ts = st.events.get(event);
  if (!ts) { ts = { samples: [], max: 0 }; st.events.set(event, ts); }
  const now = Math.floor(Date.now() / 1000);
  if (ms > ts.max) ts.max = ms;
  const last = ts.samples[ts.samples.length - 1];
  if (last && last.time === now) { if (ms > last.latency) last.latency = ms; return; }
  ts.samples.push({ time: now, latency: ms });
  if (ts.samples.length > TS_LEN) ts.samples.shift();
}

/** Reset one event (or all with null); returns how many were reset. */
export function latencyReset(server: Server, event: string | null): number {
  const st = latencyOf(server);
  if (event === null) { const n = st.events.size; st.events.clear(); return n; }
  return st.events.delete(event) ? 1 : 0;
}

/** printf("%f") with trailing zeros trimmed (trimDoubleString). */
const trimDouble = (d: number): string => {
  const s = d.toFixed(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

export function installLatency(server: Server): void {
  const st = latencyOf(server);
  const cfg = server.config;
  const record = (cmd: Command, usec: number): void => {
    let h = cmd.latencyHistogram as Histogram | null;
    if (h === null) { h = new Histogram(); cmd.latencyHistogram = h; st.histograms.set(cmd, h); }
    h.record(usec * 1000);
  };
  server.addAfterCallHook((c: Client, cmd: Command, _argv: string[], usec: number) => {
    // a blocked command's re-run is not a call of its own: its time is counted when the wait ends (below)
    if (server.blocking.isReprocessing(c)) return;
    const threshold = cfg.latencyMonitorThreshold;
    if (threshold > 0 && usec >= threshold * 1000) latencyAddSample(server, cmd.fast ? 'fast-command' : 'command', Math.floor(usec / 1000));
    if (cfg.latencyTracking && !c.blocked) record(cmd, usec);
  });
  // updateStatsOnUnblock: the histogram gets the blocking call's time plus the reply's; the reply's alone is an event
  server.unblockHooks.push((_c, cmd, _argv, usec, replyUsec) => {
    if (cfg.latencyTracking) record(cmd, usec);
    const threshold = cfg.latencyMonitorThreshold;
    if (threshold > 0 && replyUsec >= threshold * 1000) latencyAddSample(server, 'command-unblocking', Math.floor(replyUsec / 1000));
  });
  onResetStats(server, () => {
    for (const cmd of st.histograms.keys()) cmd.latencyHistogram = null;
    st.histograms.clear();
  });
  setInfoFields(server, 'latencystats', (s) => {
    const out: Record<string, string> = {};
    const pcts = s.config.str('latency-tracking-info-percentiles').split(' ').filter((x) => x !== '').map(Number);
    for (const cmd of s.table.all()) {
      const h = st.histograms.get(cmd);
      if (!h) continue;
      out[`latency_percentiles_usec_${cmd.fullname.replace(/[:\r\n]/g, '_')}`] =
        pcts.map((p) => `p${trimDouble(p)}=${(h.valueAt(p) / 1000).toFixed(3)}`).join(',');
    }
    return out;
  });
}

SMALL_BUCKETS = Float64Array.from({ length: 4096 }, (_, us) => Histogram.bucketOf(Math.max(us * 1000, 1000)));
