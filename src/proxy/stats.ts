/*
 * nodis-proxy's statistics port (twemproxy src/nc_stats.c: on connect the
 * stats server writes one JSON document and closes), plus Prometheus text
 * exposition on the same port for an HTTP GET (any path; /metrics by habit).
 *
 * Invariants:
 * - A connection that sends nothing within 50 ms gets nutcracker's JSON shape:
 *   service, source, version, uptime, timestamp, total_connections,
 *   curr_connections, then one object per pool (client_eof, client_err,
 *   client_connections, server_ejects, forward_error, fragments, and one
 *   object per server: server_eof, server_err, server_timedout,
 *   server_connections, server_ejected_at, requests, responses, in_queue).
 *   Counters nodis-proxy does not keep (byte counts) are left out, not faked.
 * - A connection whose first bytes are "GET " gets an HTTP/1.0 response with
 *   the same figures as Prometheus metrics (text format 0.0.4), then is closed.
 * - Reading stats never changes them.
 */
import net from 'node:net';
import os from 'node:os';
import type { Proxy } from './proxy.js';
import { PROXY_VERSION } from './client.js';

/** names are held as bytes (latin1); reports show them as UTF-8 text */
const text = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export function statsJson(proxy: Proxy, startedAt: number): string {
  const now = Date.now();
  let total = 0, curr = 0;
  const doc: Record<string, unknown> = {
    service: 'nodis-proxy', source: os.hostname(), version: PROXY_VERSION,
    uptime: Math.floor((now - startedAt) / 1000), timestamp: Math.floor(now / 1000),
  };
  const pools: Record<string, unknown> = {};
  for (const [name, p] of proxy.pools) {
    total += p.stats.connectionsReceived;
    curr += p.clients.size;
    const o: Record<string, unknown> = {
      client_eof: p.stats.clientEof, client_err: p.stats.clientErrors, client_connections: p.clients.size,
      server_ejects: p.servers.reduce((a, s) => a + s.stats.ejections, 0), forward_error: p.stats.forwardErrors,
      fragments: p.stats.fragments, commands: p.stats.commands,
    };
    for (const s of p.servers) {
      o[text(s.name)] = {
        server_eof: 0, server_err: s.stats.errors, server_timedout: s.stats.timeouts, server_connections: s.connections,
        server_ejected_at: s.ejected ? s.stats.ejectedAt * 1000 : 0, requests: s.stats.requests, responses: s.stats.responses,
        in_queue: Math.max(0, s.stats.requests - s.stats.responses),
      };
    }
    pools[text(name)] = o;
  }
  doc['total_connections'] = total;
  doc['curr_connections'] = curr;
  Object.assign(doc, pools);
  return JSON.stringify(doc);
}

const esc = (s: string): string => text(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function prometheus(proxy: Proxy, startedAt: number): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, rows: [Record<string, string>, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) {
      const l = Object.entries(labels).map(([k, x]) => `${k}="${esc(x)}"`).join(',');
      lines.push(`${name}${l ? `{${l}}` : ''} ${v}`);
    }
  };
  const pools = [...proxy.pools.values()];
  const servers = pools.flatMap((p) => p.servers.map((s) => [p, s] as const));
  const sl = (p: { name: string }, s: { name: string; addr: string }): Record<string, string> => ({ pool: p.name, server: s.name, addr: s.addr });
  metric('nodis_proxy_uptime_seconds', 'gauge', 'Seconds since the proxy started.', [[{}, Math.floor((Date.now() - startedAt) / 1000)]]);
  metric('nodis_proxy_client_connections', 'gauge', 'Open client connections.', pools.map((p) => [{ pool: p.name }, p.clients.size]));
  metric('nodis_proxy_client_connections_total', 'counter', 'Client connections accepted.', pools.map((p) => [{ pool: p.name }, p.stats.connectionsReceived]));
  metric('nodis_proxy_client_errors_total', 'counter', 'Client connections ended by an error or a protocol error.', pools.map((p) => [{ pool: p.name }, p.stats.clientErrors]));
  metric('nodis_proxy_commands_total', 'counter', 'Client requests processed.', pools.map((p) => [{ pool: p.name }, p.stats.commands]));
  metric('nodis_proxy_fragments_total', 'counter', 'Per-server fragments of split requests.', pools.map((p) => [{ pool: p.name }, p.stats.fragments]));
  metric('nodis_proxy_forward_errors_total', 'counter', 'Requests answered with an error because a server failed.', pools.map((p) => [{ pool: p.name }, p.stats.forwardErrors]));
  metric('nodis_proxy_server_requests_total', 'counter', 'Requests sent to a server.', servers.map(([p, s]) => [sl(p, s), s.stats.requests]));
  metric('nodis_proxy_server_responses_total', 'counter', 'Replies received from a server.', servers.map(([p, s]) => [sl(p, s), s.stats.responses]));
  metric('nodis_proxy_server_errors_total', 'counter', 'Server connection failures.', servers.map(([p, s]) => [sl(p, s), s.stats.errors]));
  metric('nodis_proxy_server_timeouts_total', 'counter', 'Server requests that passed the pool timeout.', servers.map(([p, s]) => [sl(p, s), s.stats.timeouts]));
  metric('nodis_proxy_server_ejections_total', 'counter', 'Times a server was ejected.', servers.map(([p, s]) => [sl(p, s), s.stats.ejections]));
  metric('nodis_proxy_server_ejected', 'gauge', '1 while a server is ejected.', servers.map(([p, s]) => [sl(p, s), s.ejected ? 1 : 0]));
  metric('nodis_proxy_server_connections', 'gauge', 'Open connections to a server.', servers.map(([p, s]) => [sl(p, s), s.connections]));
  return lines.join('\n') + '\n';
}

export async function startStatsServer(proxy: Proxy, host: string, port: number, startedAt = Date.now()): Promise<net.Server> {
  const srv = net.createServer((sock) => {
    sock.on('error', () => {});
    let done = false;
    const json = setTimeout(() => {
      if (done) return;
      done = true;
      sock.end(statsJson(proxy, startedAt) + '\n');
    }, 50);
    sock.once('data', (d: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(json);
      if (d.latin1Slice(0, 4) === 'GET ') {
        const body = prometheus(proxy, startedAt);
        sock.end(`HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      } else {
        sock.end(statsJson(proxy, startedAt) + '\n');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => { srv.off('error', reject); resolve(); });
  });
  return srv;
}
