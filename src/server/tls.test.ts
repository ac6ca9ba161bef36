/*
 * Unit tests of server/tls.ts: tls-protocols parsing, OpenSSL error text,
 * tlsConfigure's checks and warnings (on a Config and a Logger that keeps its
 * lines, no server started), the listener's verify modes, the session cache.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Config } from './config.js';
import { Logger } from './log.js';
import { configureTls, listenerOptions, parseProtocols, SessionCache, sslErrorText, tlsWanted } from './tls.js';
import { makeTlsCerts, type TlsCerts } from '../../test/helpers/tls-certs.js';

/** A Logger that keeps its warnings. */
function logger(): Logger & { lines: string[] } {
  const l = new Logger() as Logger & { lines: string[] };
  l.lines = [];
  l.warning = (m: string) => { l.lines.push(m); };
  return l;
}

function config(values: Record<string, string>): Config {
  const c = new Config();
  for (const [k, v] of Object.entries(values)) assert.equal(c.set(k, v, true), null, k);
  return c;
}

let certs: TlsCerts;
before(() => { certs = makeTlsCerts(); });
after(() => certs?.remove());

describe('tls', () => {
  test('tls-protocols: default, words in any case, a bad word logged', () => {
    const log = logger();
    assert.deepEqual([...parseProtocols(null, log)!], ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual([...parseProtocols('tlsv1.3 TLSv1', log)!].sort(), ['TLSv1', 'TLSv1.3']);
    assert.equal(parseProtocols('TLSv1.2 SSLv3', log), null);
    assert.equal(parseProtocols('TLSv1.2  TLSv1.3', log), null); // an empty word between two spaces, as sdssplitlen gives
    assert.deepEqual(log.lines, [
      "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
    ]);
  });

  test('OpenSSL errors as ERR_error_string_n writes them', () => {
    assert.equal(sslErrorText(new Error('809C4C24347F0000:error:0A0000C7:SSL routines:tls_process_client_certificate:peer did not return a certificate:../deps/openssl/openssl/ssl/statem/statem_srvr.c:3517:\n')),
      'error:0A0000C7:SSL routines::peer did not return a certificate');
    assert.equal(sslErrorText(new Error('error:0480006C:PEM routines::no start line')), 'error:0480006C:PEM routines::no start line');
    assert.equal(sslErrorText(new Error('socket hang up')), 'socket hang up');
  });

  test('TLS is configured when tls-port, tls-replication or tls-cluster asks', () => {
    assert.equal(tlsWanted(config({})), false);
    assert.equal(tlsWanted(config({ 'tls-port': '6380' })), true);
    assert.equal(tlsWanted(config({ 'tls-replication': 'yes' })), true);
    assert.equal(tlsWanted(config({ 'tls-cluster': 'yes' })), true);
  });

  test('tlsConfigure: each missing or bad piece logs Redis\'s warning and builds nothing', () => {
    const ok = { 'tls-cert-file': certs.cert('redis'), 'tls-key-file': certs.key('redis'), 'tls-ca-cert-file': certs.ca };
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^No tls-cert-file configured!$/],
      [{ 'tls-cert-file': certs.cert('redis') }, /^No tls-key-file configured!$/],
      [{ 'tls-cert-file': certs.cert('redis'), 'tls-key-file': certs.key('redis') }, /^Either tls-ca-cert-file or tls-ca-cert-dir must be specified/],
      [{ ...ok, 'tls-cert-file': '/nonexistent.crt' }, /^Failed to load certificate: \/nonexistent\.crt: error:80000002:system library::No such file or directory$/],
      [{ ...ok, 'tls-cert-file': certs.key('redis') }, /^Failed to load certificate: .*: error:[0-9A-F]{8}:PEM routines::no start line$/],
      [{ ...ok, 'tls-key-file': certs.key('client') }, /^Failed to load private key: .*client\.key: error:[0-9A-F]{8}:.*key values mismatch$/],
      [{ ...ok, 'tls-key-file': certs.encKey }, /^Failed to load private key: .*enc\.key: /],
      [{ ...ok, 'tls-key-file': certs.encKey, 'tls-key-file-pass': 'wrong' }, /^Failed to load private key: /],
      [{ ...ok, 'tls-ca-cert-file': certs.key('redis') }, /^Failed to configure CA certificate\(s\) file\/directory: error:05800088:x509 certificate routines::no certificate or crl found$/],
      [{ ...ok, 'tls-ca-cert-file': '/nonexistent.crt' }, /^Failed to configure CA certificate\(s\) file\/directory: error:80000002:system library::No such file or directory$/],
      [{ ...ok, 'tls-ciphers': 'NOPE' }, /^Failed to configure ciphers: NOPE$/],
      [{ ...ok, 'tls-ciphersuites': 'AES128-SHA' }, /^Failed to configure ciphersuites: AES128-SHA$/],
      [{ ...ok, 'tls-dh-params-file': '/nonexistent.dh' }, /^Failed to load \/nonexistent\.dh: No such file or directory$/],
      [{ ...ok, 'tls-dh-params-file': certs.ca }, /\.crt: failed to read DH params\.$/],
      [{ ...ok, 'tls-client-cert-file': certs.cert('client'), 'tls-client-key-file': certs.key('redis') }, /^Failed to load private key: .*redis\.key: /],
    ];
    for (const [values, re] of cases) {
      const log = logger();
      assert.equal(configureTls(config(values), log), null, JSON.stringify(values));
      assert.equal(log.lines.length, 1, `${JSON.stringify(values)}: ${log.lines.join(' | ')}`);
      assert.match(log.lines[0]!, re);
    }
  });

  test('tlsConfigure: a good configuration, with and without a CA, an encrypted key, a CA directory', () => {
    const log = logger();
    const base = { 'tls-cert-file': certs.cert('redis'), 'tls-key-file': certs.key('redis') };
    const s = configureTls(config({ ...base, 'tls-ca-cert-file': certs.ca, 'tls-protocols': 'TLSv1.2', 'tls-session-cache-timeout': '0' }), log);
    assert.ok(s !== null, log.lines.join('\n'));
    assert.equal(s.server.minVersion, 'TLSv1.2');
    assert.equal(s.server.maxVersion, 'TLSv1.2');
    assert.equal(s.sessionTimeout, 1); // 0 taken as 1 s (the accepted deviation)
    assert.ok(configureTls(config({ ...base, 'tls-auth-clients': 'no' }), log) !== null);
    assert.ok(configureTls(config({ ...base, 'tls-key-file': certs.encKey, 'tls-key-file-pass': certs.encPass, 'tls-ca-cert-dir': certs.dir }), log) !== null);
    assert.ok(configureTls(config({ ...base, 'tls-ca-cert-file': certs.ca, 'tls-dh-params-file': certs.dh, 'tls-ciphersuites': 'TLS_AES_128_GCM_SHA256' }), log) !== null);
    assert.deepEqual(log.lines, []);
  });

  test('the listener\'s verify mode per tls-auth-clients', () => {
    const s = configureTls(config({ 'tls-cert-file': certs.cert('redis'), 'tls-key-file': certs.key('redis'), 'tls-ca-cert-file': certs.ca }), logger())!;
    const mode = (a: string): [unknown, unknown] => { const o = listenerOptions(s, a); return [o.requestCert, o.rejectUnauthorized]; };
    assert.deepEqual(mode('yes'), [true, true]);
    assert.deepEqual(mode('optional'), [true, false]);
    assert.deepEqual(mode('no'), [false, false]);
  });

  test('session cache: size bound (oldest out first), timeout, nothing kept when caching is off', async () => {
    const c = new SessionCache();
    c.size = 2;
    c.timeoutMs = 50;
    const id = (n: number): Buffer => Buffer.from([n]);
    const get = (n: number): Promise<Buffer | null> => new Promise((r) => c.onResume(id(n), (_e, d) => r(d)));
    for (const n of [1, 2, 3]) c.onNew(id(n), Buffer.from(`s${n}`), () => undefined);
    assert.equal(c.count, 2);
    assert.equal(await get(1), null);
    assert.equal(String(await get(3)), 's3');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await get(3), null);
    c.size = 0; // no limit
    for (let n = 0; n < 100; n++) c.onNew(id(n), Buffer.from('x'), () => undefined);
    assert.equal(c.count, 100);
  });
});
