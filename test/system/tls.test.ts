/*
 * TLS as Redis 7.0 (server/tls.ts), seen from outside and held against a real
 * redis-server 7.0.15 (Debian's is built with TLS) given the same
 * certificates (test/helpers/tls-certs.ts, made fresh per file):
 *
 * 1. nodis-server with only a tls-port answers redis-cli --tls and a Node TLS
 *    client; a plain-TCP client on that port gets no reply; INFO tcp_port and
 *    the start-up line name the TLS port.
 * 2. Start-up failures end as redis-server's do: exit 1 and the same last log
 *    line (no listener at all, TLS not configured, the TLS port taken, a bad
 *    certificate).
 * 3. tls-auth-clients yes / optional / no: which clients get in (none, a
 *    CA-signed, a self-signed certificate), the same as for redis-server.
 * 4. CONFIG SET of tls-* reloads: every bad value gets redis-server's reply,
 *    byte for byte, and changes nothing (CONFIG GET tls-*, the certificate
 *    served); good ones take effect for new connections (a new certificate,
 *    an encrypted key with its passphrase).
 *    TLS turned on at run time: CONFIG SET tls-port without certificates gets
 *    redis-server's error, with them in the same command it listens.
 * 5. tls-protocols, tls-ciphers and tls-prefer-server-ciphers, as Redis's
 *    tests/unit/tls.tcl checks them.
 * 6. Switching between the TCP and the TLS port with CONFIG SET (port 0 and
 *    tls-port 0 close a listener), as tls.tcl does.
 * 7. Over maxclients a TLS client is dropped before its handshake; one that
 *    never starts its handshake does not hold the server's close.
 * 8-9. Replication over TLS: redis-server replicas of a Nodis master (a
 *    diskless and a disk-based full sync), and a Nodis replica (with a
 *    client-only certificate) of a redis-server master; without
 *    tls-replication the replica's link to the TLS port never comes up.
 *
 * Every wait is a bounded poll; every process and directory is removed in
 * t.after, even on failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import tls from 'node:tls';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { REDIS_SERVER, bounded, freePort, skipWithoutRedis, startNodis, startRedis } from '../helpers/servers.js';
import { makeTlsCerts, tlsConf, type TlsCerts } from '../helpers/tls-certs.js';
import { poll, sameDigest, topology, waitSynced } from '../helpers/topology.js';

const BIN = path.resolve('bin/nodis-server');
const skip = skipWithoutRedis();

let certs: TlsCerts;
before(() => { certs = makeTlsCerts(); });
after(() => certs?.remove());

type Who = 'redis' | 'client' | 'rogue' | 'none';

/** Client options presenting `who`'s certificate (none: no certificate), trusting the CA. */
function clientOpts(who: Who, extra: tls.ConnectionOptions = {}): tls.ConnectionOptions {
  const ca = fs.readFileSync(certs.ca);
  if (who === 'none') return { ca, ...extra };
  return { ca, cert: fs.readFileSync(certs.cert(who)), key: fs.readFileSync(certs.key(who)), ...extra };
}

/**
 * PING over TLS: '+PONG\r\n', or 'refused' when the handshake fails or the
 * server closes the connection instead of replying (with TLS 1.3 a refused
 * client certificate shows after the client's side of the handshake is done).
 */
async function tlsPing(port: number, opts: tls.ConnectionOptions): Promise<string> {
  let c: RawClient;
  try { c = await RawClient.connectTls(port, opts); } catch { return 'refused'; }
  try { return await c.call('PING'); } catch { return 'refused'; } finally { c.close(); }
}

/** The certificate's CN a new TLS connection is served. */
async function servedCn(port: number): Promise<string> {
  const c = await RawClient.connectTls(port, clientOpts('redis'));
  try { return String((c.socket as tls.TLSSocket).getPeerCertificate().subject.CN); } finally { c.close(); }
}

interface Proc { proc: ChildProcess; out: () => string; exit: Promise<number | null>; kill(): Promise<void> }

/** nodis-server or redis-server with these arguments, logging to stdout (collected). */
function spawnServer(kind: 'nodis' | 'redis', args: string[]): Proc {
  const argv = kind === 'nodis' ? [process.execPath, BIN, ...args] : [REDIS_SERVER, ...args];
  const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc, out: () => out, exit,
    kill: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); await exit; },
  };
}

const tlsArgs = (name: 'redis' | 'server' = 'redis'): string[] => Object.entries(tlsConf(certs, name)).flatMap(([k, v]) => [`--${k}`, v]);

/** The message of a log line ("pid:M date time # message" -> "message"). */
/** A Nodis and a redis-server with the same certificates on TLS ports, and a plain-TCP client of each. */
async function tlsPair(t: { after(fn: () => unknown): void }): Promise<{ np: number; rp: number; nc: RawClient; rc: RawClient }> {
  const [np, rp] = [await freePort(), await freePort()];
  const n = await startNodis({ 'tls-port': np, ...tlsConf(certs) });
  t.after(() => n.close());
  const r = await startRedis(Object.entries({ 'tls-port': rp, ...tlsConf(certs) }).map(([k, v]) => `${k} ${v}`));
  t.after(() => r.close());
  const nc = await RawClient.connect(n.port);
  const rc = await RawClient.connect(r.port);
  t.after(() => { nc.close(); rc.close(); });
  return { np, rp, nc, rc };
}

const logMessages = (out: string): string[] => out.split('\n').filter((l) => / [.\-*#] /.test(l)).map((l) => l.replace(/^\d+:[A-Z] .*? [.\-*#] /, ''));

describe('TLS', { skip }, () => {
  test('nodis-server with only a tls-port: redis-cli --tls, a Node TLS client, no plain TCP', async (t) => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-tls-'));
    const p = spawnServer('nodis', ['--port', '0', '--tls-port', String(port), ...tlsArgs(), '--save', '', '--dir', dir, '--bind', '127.0.0.1']);
    t.after(async () => { await p.kill(); fs.rmSync(dir, { recursive: true, force: true }); });
    await poll('nodis-server ready', async () => p.out().includes('Ready to accept connections'), 15000);
    assert.ok(logMessages(p.out()).includes(`Running mode=standalone, port=${port}.`), p.out());

    const cli = (...a: string[]): string => spawnSync('redis-cli', ['-p', String(port), '--tls', '--cacert', certs.ca,
      '--cert', certs.cert('redis'), '--key', certs.key('redis'), ...a], { encoding: 'latin1', timeout: 10000 }).stdout.trim();
    assert.equal(cli('SET', 'greeting', 'hello over tls'), 'OK');
    assert.equal(cli('GET', 'greeting'), 'hello over tls');
    assert.match(cli('INFO', 'server'), new RegExp(`tcp_port:${port}\\r?\\n`));
    assert.equal(cli('CONFIG', 'GET', 'port'), 'port\n0');

    const c = await RawClient.connectTls(port, clientOpts('client'));
    assert.equal(await c.call('GET', 'greeting'), '$14\r\nhello over tls\r\n');
    assert.equal(await c.call('CLIENT', 'SETNAME', 'tls-client'), '+OK\r\n');
    c.close();
    // a client without a certificate (tls-auth-clients yes), a plain-TCP one: no reply
    assert.equal(await tlsPing(port, clientOpts('none')), 'refused');
    const plain = await RawClient.connect(port);
    plain.send('PING');
    await plain.waitClose(5000);
    assert.equal(plain.unread, '');
  });

  test('start-up failures: exit 1 with redis-server\'s last log line', async (t) => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    t.after(() => busy.close());
    const taken = (busy.address() as net.AddressInfo).port;
    const free = await freePort();
    const cases: [string, string[], RegExp?][] = [
      ['no listener', ['--port', '0']],
      ['tls-port without a certificate', ['--port', '0', '--tls-port', String(free)]],
      ['no CA with tls-auth-clients yes', ['--port', '0', '--tls-port', String(free), '--tls-cert-file', certs.cert('redis'), '--tls-key-file', certs.key('redis')]],
      ['the TLS port taken', ['--port', '0', '--tls-port', String(taken), ...tlsArgs()]],
      ['a key that is not the certificate\'s', ['--port', '0', '--tls-port', String(free), ...tlsArgs(), '--tls-key-file', certs.key('client')],
        /^Failed to load private key: .*client\.key: /],
      ['a CA that is not there', ['--port', '0', '--tls-port', String(free), ...tlsArgs(), '--tls-ca-cert-file', '/nonexistent/ca.crt'],
        /^Failed to configure CA certificate\(s\) file\/directory: error:80000002:system library::No such file or directory$/],
      ['a certificate that is not there', ['--port', '0', '--tls-port', String(free), ...tlsArgs(), '--tls-cert-file', '/nonexistent/redis.crt'],
        /^Failed to load certificate: \/nonexistent\/redis\.crt: error:80000002:system library::No such file or directory$/],
    ];
    for (const [what, args, preceding] of cases) {
      const full = [...args, '--save', '', '--bind', '127.0.0.1'];
      const ours = spawnServer('nodis', full);
      const theirs = spawnServer('redis', full);
      const [a, b] = await Promise.all([ours.exit, theirs.exit]);
      assert.equal(a, 1, `${what}: nodis-server exit\n${ours.out()}`);
      assert.equal(b, 1, `${what}: redis-server exit\n${theirs.out()}`);
      const om = logMessages(ours.out());
      const rm = logMessages(theirs.out());
      assert.equal(om.at(-1), rm.at(-1), `${what}\n--- nodis\n${ours.out()}\n--- redis\n${theirs.out()}`);
      if (preceding) {
        assert.match(rm.at(-2)!, preceding, theirs.out());
        assert.match(om.at(-2)!, preceding, ours.out());
      }
    }
  });

  test('tls-auth-clients yes / optional / no: the clients redis-server lets in', async (t) => {
    const { np, rp, nc, rc } = await tlsPair(t);
    const expected: Record<string, Record<Who, string>> = {
      yes: { none: 'refused', redis: '+PONG\r\n', client: '+PONG\r\n', rogue: 'refused' },
      optional: { none: '+PONG\r\n', redis: '+PONG\r\n', client: '+PONG\r\n', rogue: 'refused' },
      no: { none: '+PONG\r\n', redis: '+PONG\r\n', client: '+PONG\r\n', rogue: '+PONG\r\n' },
    };
    for (const mode of ['yes', 'optional', 'no', 'yes']) {
      assert.equal(await nc.call('CONFIG', 'SET', 'tls-auth-clients', mode), '+OK\r\n');
      assert.equal(await rc.call('CONFIG', 'SET', 'tls-auth-clients', mode), '+OK\r\n');
      for (const who of ['none', 'redis', 'client', 'rogue'] as Who[]) {
        const [ours, theirs] = [await tlsPing(np, clientOpts(who)), await tlsPing(rp, clientOpts(who))];
        assert.equal(theirs, expected[mode]![who], `redis-server, tls-auth-clients ${mode}, ${who}`);
        assert.equal(ours, theirs, `tls-auth-clients ${mode}, client certificate ${who}`);
      }
    }
    assert.equal(await nc.call('CONFIG', 'GET', 'tls-auth-clients'), await rc.call('CONFIG', 'GET', 'tls-auth-clients'));
  });

  test('CONFIG SET tls-*: redis-server\'s replies, rollback on failure, reload on success', async (t) => {
    const { np, rp, nc, rc } = await tlsPair(t);
    const both = async (...args: string[]): Promise<string> => {
      const [a, b] = [await nc.call(...args), await rc.call(...args)];
      assert.equal(a, b, args.join(' '));
      return a;
    };
    // CONFIG GET tls-*: the same names and values (Redis lists them in its hash table's order; the ports differ)
    const tlsGet = async (): Promise<void> => {
      const pairs = async (cl: RawClient): Promise<string[]> => {
        const flat = parseReply(await cl.call('CONFIG', 'GET', 'tls-*')) as string[];
        const out: string[] = [];
        for (let i = 0; i < flat.length; i += 2) if (flat[i] !== 'tls-port') out.push(`${flat[i]}=${flat[i + 1]}`);
        return out.sort();
      };
      assert.deepEqual(await pairs(nc), await pairs(rc));
    };
    await tlsGet();
    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    t.after(() => blocker.close());
    const taken = String((blocker.address() as net.AddressInfo).port);
    const bad: string[][] = [
      ['tls-key-file', '/nonexistent/redis.key'],
      ['tls-cert-file', '/nonexistent/redis.crt'],
      ['tls-cert-file', certs.key('redis')],
      ['tls-key-file', certs.key('client')],
      ['tls-key-file', certs.encKey],
      ['tls-ca-cert-file', '/nonexistent/ca.crt'],
      ['tls-ca-cert-file', certs.key('redis')],
      ['tls-protocols', 'TLSv1.2 SSLv3'],
      ['tls-ciphers', 'NO-SUCH-CIPHER'],
      ['tls-ciphersuites', 'NO_SUCH_SUITE'],
      ['tls-dh-params-file', '/nonexistent/redis.dh'],
      ['tls-dh-params-file', certs.cert('redis')],
      ['tls-protocols', 'TLSv1.2', 'tls-cert-file', '/nonexistent/redis.crt'],
      ['tls-port', taken],
      ['tls-auth-clients', 'maybe'],
      ['tls-session-cache-size', '-1'],
      ['tls-replication', 'perhaps'],
    ];
    for (const pairs of bad) {
      const reply = await both('CONFIG', 'SET', ...pairs);
      assert.match(reply, /^-ERR /, pairs.join(' '));
      await tlsGet();
      assert.equal(await tlsPing(np, clientOpts('redis')), '+PONG\r\n', `still serving after ${pairs.join(' ')}`);
    }
    assert.equal(await servedCn(np), 'Generic-cert');
    // good changes: a new certificate for new connections, an encrypted key with its passphrase, DH parameters
    await both('CONFIG', 'SET', 'tls-cert-file', certs.cert('server'), 'tls-key-file', certs.key('server'));
    assert.equal(await servedCn(np), 'Server-only');
    assert.equal(await servedCn(rp), 'Server-only');
    await both('CONFIG', 'SET', 'tls-cert-file', certs.cert('redis'), 'tls-key-file-pass', certs.encPass, 'tls-key-file', certs.encKey);
    await both('CONFIG', 'SET', 'tls-dh-params-file', certs.dh, 'tls-session-cache-size', '10', 'tls-session-caching', 'no');
    await tlsGet();
    assert.equal(await servedCn(np), 'Generic-cert');
    assert.equal(await tlsPing(np, clientOpts('client')), '+PONG\r\n');
  });

  test('TLS turned on at run time with CONFIG SET tls-port (applyTLSPort), as redis-server', async (t) => {
    const n = await startNodis();
    t.after(() => n.close());
    const r = await startRedis();
    t.after(() => r.close());
    const nc = await RawClient.connect(n.port);
    const rc = await RawClient.connect(r.port);
    t.after(() => { nc.close(); rc.close(); });
    const [np, rp] = [await freePort(), await freePort()];
    // no certificate yet: Redis's reply, nothing listens
    const [a, b] = [await nc.call('CONFIG', 'SET', 'tls-port', np), await rc.call('CONFIG', 'SET', 'tls-port', rp)];
    assert.equal(a, b);
    assert.match(a, /^-ERR CONFIG SET failed \(possibly related to argument 'tls-port'\) - Unable to update TLS configuration/);
    assert.equal(await nc.call('CONFIG', 'GET', 'tls-port'), '*2\r\n$8\r\ntls-port\r\n$1\r\n0\r\n');
    assert.equal(await tlsPing(np, clientOpts('redis')), 'refused');
    // certificates and the port in one CONFIG SET
    const files = Object.entries(tlsConf(certs)).flat();
    assert.equal(await nc.call('CONFIG', 'SET', ...files, 'tls-port', np), '+OK\r\n');
    assert.equal(await rc.call('CONFIG', 'SET', ...files, 'tls-port', rp), '+OK\r\n');
    assert.equal(await tlsPing(np, clientOpts('client')), '+PONG\r\n');
    assert.equal(await tlsPing(rp, clientOpts('client')), '+PONG\r\n');
    assert.equal(await nc.call('PING'), '+PONG\r\n'); // the TCP listener stays
    // tls-port 0 closes the TLS listener
    assert.equal(await nc.call('CONFIG', 'SET', 'tls-port', '0'), '+OK\r\n');
    assert.equal(await tlsPing(np, clientOpts('client')), 'refused');
  });

  test('tls-protocols, tls-ciphers, tls-prefer-server-ciphers (tls.tcl)', async (t) => {
    const port = await freePort();
    const n = await startNodis({ 'tls-port': port, ...tlsConf(certs) });
    t.after(() => n.close());
    const c = await RawClient.connect(n.port);
    t.after(() => c.close());
    const set = async (...a: string[]): Promise<void> => { assert.equal(await c.call('CONFIG', 'SET', ...a), '+OK\r\n'); };
    await set('tls-protocols', 'TLSv1.2');
    assert.equal(await tlsPing(port, clientOpts('redis', { minVersion: 'TLSv1.3' })), 'refused');
    assert.equal(await tlsPing(port, clientOpts('redis', { maxVersion: 'TLSv1.2' })), '+PONG\r\n');
    await set('tls-ciphers', 'DEFAULT:-AES128-SHA256');
    assert.equal(await tlsPing(port, clientOpts('redis', { ciphers: 'AES128-SHA256' })), 'refused');
    assert.equal(await tlsPing(port, clientOpts('redis', { ciphers: 'AES256-SHA256' })), '+PONG\r\n');
    await set('tls-ciphers', 'DEFAULT');
    assert.equal(await tlsPing(port, clientOpts('redis', { ciphers: 'AES128-SHA256' })), '+PONG\r\n');
    await set('tls-ciphers', 'AES128-SHA256:AES256-SHA256');
    const cipher = async (): Promise<string> => {
      const s = await RawClient.connectTls(port, clientOpts('redis', { ciphers: 'AES256-SHA256:AES128-SHA256' }));
      try { return (s.socket as tls.TLSSocket).getCipher().name; } finally { s.close(); }
    };
    assert.equal(await cipher(), 'AES256-SHA256');
    await set('tls-prefer-server-ciphers', 'yes');
    assert.equal(await cipher(), 'AES128-SHA256');
    await set('tls-protocols', '', 'tls-ciphers', 'DEFAULT');
    assert.equal(await tlsPing(port, clientOpts('redis', { minVersion: 'TLSv1.3' })), '+PONG\r\n');
  });

  test('switch between the TCP and the TLS port with CONFIG SET (tls.tcl)', async (t) => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-tls-'));
    const p = spawnServer('nodis', ['--port', '0', '--tls-port', String(port), ...tlsArgs(), '--save', '', '--dir', dir, '--bind', '127.0.0.1']);
    t.after(async () => { await p.kill(); fs.rmSync(dir, { recursive: true, force: true }); });
    await poll('nodis-server ready', async () => p.out().includes('Ready to accept connections'), 15000);
    let s = await RawClient.connectTls(port, clientOpts('redis'));
    assert.equal(await s.call('CONFIG', 'SET', 'tls-port', '0'), '+OK\r\n');
    assert.equal(await s.call('CONFIG', 'SET', 'port', String(port)), '+OK\r\n');
    s.close();
    s = await RawClient.connect(port);
    assert.equal(await s.call('PING'), '+PONG\r\n');
    assert.equal(await s.call('CONFIG', 'SET', 'port', '0'), '+OK\r\n');
    assert.equal(await s.call('CONFIG', 'SET', 'tls-port', String(port)), '+OK\r\n');
    s.close();
    s = await RawClient.connectTls(port, clientOpts('redis'));
    assert.equal(await s.call('PING'), '+PONG\r\n');
    s.close();
  });

  test('over maxclients a TLS client is dropped before its handshake', async (t) => {
    const port = await freePort();
    const n = await startNodis({ 'tls-port': port, ...tlsConf(certs), maxclients: 2 });
    t.after(() => n.close());
    const a = await RawClient.connect(n.port);
    const b = await RawClient.connectTls(port, clientOpts('redis'));
    t.after(() => { a.close(); b.close(); });
    assert.equal(await b.call('PING'), '+PONG\r\n');
    let handshook = false;
    const err = await new Promise<Error>((resolve) => {
      const s = tls.connect({ port, host: '127.0.0.1', ...clientOpts('redis'), checkServerIdentity: () => undefined }, () => { handshook = true; });
      s.on('error', resolve);
      s.on('close', () => resolve(new Error('closed')));
    });
    assert.equal(handshook, false, `handshake completed (${err.message})`);
    const stats = String(parseReply(await a.call('INFO', 'stats')));
    assert.match(stats, /rejected_connections:1\r\n/);
    // a connection that never starts its handshake does not hold the server's close
    b.close();
    await poll('one client left', async () => /connected_clients:1\r\n/.test(String(parseReply(await a.call('INFO', 'clients')))));
    const silent = net.connect({ port, host: '127.0.0.1' });
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    a.close();
    await bounded(n.close(), 5000);
    silent.destroy();
  });

  test('a redis-server replica follows a Nodis master over TLS', async (t) => {
    const [mp, rp] = [await freePort(), await freePort()];
    const conf = { ...tlsConf(certs), 'tls-replication': 'yes' };
    const [topo, master, replica] = await topology(t, [
      ['master', 'nodis', { ...conf, 'tls-port': mp }],
      ['replica', 'redis', { ...conf, 'tls-port': rp }],
    ]);
    await topo.run(async () => {
      for (let i = 0; i < 200; i++) await master!.ok('SET', `k${i}`, `v${i}`);
      await replica!.ok('REPLICAOF', '127.0.0.1', mp);
      await master!.ok('HSET', 'h', 'f', 'after the link');
      await waitSynced(master!, [replica!], 15000);
      await sameDigest([master!, replica!]);
      // REPLCONF listening-port: the replica's TLS port (tls-replication with a tls-port)
      const info = await master!.info();
      assert.match(info['slave0'] ?? '', new RegExp(`port=${rp},state=online`));
      // a second replica gets a disk-based full sync (the RDB file sent over TLS)
      await master!.ok('CONFIG', 'SET', 'repl-diskless-sync', 'no');
      const second = await topo.add('replica2', 'redis', { ...conf });
      await second.ok('REPLICAOF', '127.0.0.1', mp);
      await master!.ok('SET', 'more', 'writes');
      await waitSynced(master!, [replica!, second], 15000);
      await sameDigest([master!, replica!, second]);
    });
  });

  test('a Nodis replica follows a redis-server master over TLS with a client-only certificate', async (t) => {
    const [mp, rp] = [await freePort(), await freePort()];
    const conf = { ...tlsConf(certs, 'server'), 'tls-replication': 'yes', 'tls-client-cert-file': certs.cert('client'), 'tls-client-key-file': certs.key('client') };
    const [topo, master, replica] = await topology(t, [
      ['master', 'redis', { ...conf, 'tls-port': mp }],
      ['replica', 'nodis', { ...conf, 'tls-port': rp }],
    ]);
    await topo.run(async () => {
      for (let i = 0; i < 200; i++) await master!.ok('RPUSH', 'list', `e${i}`);
      await replica!.ok('REPLICAOF', '127.0.0.1', mp);
      await master!.ok('SET', 'after', 'the link');
      await waitSynced(master!, [replica!], 15000);
      await sameDigest([master!, replica!]);
      assert.match((await master!.info())['slave0'] ?? '', new RegExp(`port=${rp},state=online`));
      // without tls-replication the replica speaks plain TCP to the TLS port: the link never comes up
      const attempts = (): number => replica!.logText().split('MASTER <-> REPLICA sync started').length - 1;
      const before = attempts();
      await replica!.ok('CONFIG', 'SET', 'tls-replication', 'no');
      await replica!.ok('CLIENT', 'KILL', 'TYPE', 'master');
      await poll('two plain-TCP attempts', async () => attempts() >= before + 2, 10000);
      assert.equal((await replica!.info())['master_link_status'], 'down');
      await replica!.ok('CONFIG', 'SET', 'tls-replication', 'yes');
      await waitSynced(master!, [replica!], 15000);
    });
  });
});
