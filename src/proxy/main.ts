/*
 * The nodis-proxy command line, nutcracker's options where they apply:
 *
 *   nodis-proxy -c conf/nutcracker.yml      run every pool of the file
 *   nodis-proxy -t -c conf/nutcracker.yml   check the file and exit (0 valid, 1 not)
 *   -o FILE   log to FILE (default stderr)    -p FILE   write the pid to FILE
 *   -s PORT   statistics port (nutcracker's JSON on connect; Prometheus metrics
 *             for an HTTP GET), -a ADDR its address (default 0.0.0.0); off unless given
 *   -V        print the version
 *   --rebalance-dry-run NEW.yml   with -c: for each pool of the running file
 *             also in NEW.yml, SCAN its servers and print how many keys the
 *             new placement would move (nothing is moved), then exit
 * SIGHUP reloads the file; SIGINT / SIGTERM close the pools and exit.
 * Options nutcracker has but nodis-proxy ignores (-d, -D, -i, -m, -v) are
 * accepted with a note so existing service files keep working.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { parseConfig } from './config.js';
import { Proxy } from './proxy.js';
import { Pool } from './pool.js';
import { PROXY_VERSION } from './client.js';
import { startStatsServer } from './stats.js';

function usage(): never {
  process.stderr.write('Usage: nodis-proxy [-?hVt] [-c conf file] [-o output file] [-p pid file]\n');
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  let conf = 'conf/nutcracker.yml', test = false, out: string | undefined, pidFile: string | undefined;
  let statsPort: number | undefined, statsAddr = '0.0.0.0', dryRunFile: string | undefined;
  const ignored: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => { const v = argv[++i]; if (v === undefined) usage(); return v; };
    const eq = a.indexOf('=');
    const key = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const v = (): string => inline ?? val();
    switch (key) {
      case '-h': case '--help': case '-?': usage(); break;
      case '-V': case '--version': process.stdout.write(`This is nodis-proxy-${PROXY_VERSION}\n`); process.exit(0); break;
      case '-t': case '--test-conf': test = true; break;
      case '-c': case '--conf-file': conf = v(); break;
      case '-o': case '--output': out = v(); break;
      case '-p': case '--pid-file': pidFile = v(); break;
      case '-d': case '--daemonize': case '-D': case '--describe-stats': ignored.push(a); break;
      case '-s': case '--stats-port': statsPort = Number(v()); break;
      case '-a': case '--stats-addr': statsAddr = v(); break;
      case '--rebalance-dry-run': dryRunFile = v(); break;
      case '-i': case '--stats-interval':
      case '-m': case '--mbuf-size': case '-v': case '--verbose': ignored.push(`${a} ${inline ?? val()}`); break;
      default: process.stderr.write(`nodis-proxy: invalid option -- '${a}'\n`); usage();
    }
  }
  const log = (msg: string): void => {
    const line = `[${new Date().toISOString()}] ${msg}\n`;
    if (out !== undefined) appendFileSync(out, line); else process.stderr.write(line);
  };
  if (test) {
    try {
      parseConfig(readFileSync(conf, 'latin1'));
      process.stdout.write(`nodis-proxy: configuration file '${conf}' syntax is ok\n`);
      process.exit(0);
    } catch (e) {
      process.stderr.write(`nodis-proxy: configuration file '${conf}' syntax is invalid: ${(e as Error).message}\n`);
      process.exit(1);
    }
  }
  if (dryRunFile !== undefined) process.exit(await rebalanceDryRun(conf, dryRunFile));
  for (const o of ignored) log(`option ${o} is accepted for nutcracker compatibility and ignored`);
  const proxy = new Proxy({ configFile: conf, log });
  try {
    await proxy.start();
  } catch (e) {
    log(`failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
  if (statsPort !== undefined) {
    if (!Number.isInteger(statsPort) || statsPort < 0 || statsPort > 65535) { log(`invalid stats port '${statsPort}'`); process.exit(1); }
    try {
      await startStatsServer(proxy, statsAddr, statsPort);
      log(`stats on ${statsAddr}:${statsPort} (JSON on connect, Prometheus metrics for an HTTP GET)`);
    } catch (e) {
      log(`failed to listen for stats on ${statsAddr}:${statsPort}: ${(e as Error).message}`);
      process.exit(1);
    }
  }
  if (pidFile !== undefined) writeFileSync(pidFile, `${process.pid}\n`);
  process.on('SIGHUP', () => {
    log('SIGHUP: reloading the configuration');
    proxy.reload().then(() => log('configuration reloaded'), (e: Error) => log(`reload failed, keeping the running configuration: ${e.message}`));
  });
  const stop = (): void => { log('shutting down'); void proxy.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** --rebalance-dry-run: the share of keys each pool's new placement would move; the exit code (0, or 1 on an error). */
async function rebalanceDryRun(conf: string, next: string): Promise<number> {
  let cur, nxt;
  try {
    cur = parseConfig(readFileSync(conf, 'latin1'));
    nxt = parseConfig(readFileSync(next, 'latin1'));
  } catch (e) {
    process.stderr.write(`nodis-proxy: ${(e as Error).message}\n`);
    return 1;
  }
  let code = 0;
  for (const pc of cur) {
    const nc = nxt.find((p) => p.name === pc.name);
    if (nc === undefined) { process.stdout.write(`pool '${pc.name}': not in ${next}\n`); continue; }
    const pool = new Pool(pc);
    try {
      const r = await pool.dryRun(nc);
      const pct = r.scanned === 0 ? 0 : (100 * r.moving) / r.scanned;
      process.stdout.write(`pool '${pc.name}': ${r.moving} of ${r.scanned} keys would move (${pct.toFixed(2)}%)\n`);
      for (const s of r.byServer) process.stdout.write(`  ${s.addr}: ${s.moving} of ${s.scanned} would leave\n`);
    } catch (e) {
      process.stderr.write(`pool '${pc.name}': dry run failed: ${(e as Error).message}\n`);
      code = 1;
    } finally {
      await pool.close();
    }
  }
  return code;
}

main(process.argv.slice(2)).catch((e: Error) => { process.stderr.write(`nodis-proxy: ${e.stack ?? e.message}\n`); process.exit(1); });
