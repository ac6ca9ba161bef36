/*
 * TLS as Redis 7.0 configures it (redis/src/tls.c tlsConfigure, createSSLContext):
 * the tls-* parameters become the options of a Node `tls` server and of the
 * client side (a replica's link to its master), built and checked as one step
 * that either succeeds whole or changes nothing (tlsConfigure is atomic: a bad
 * CONFIG SET keeps the contexts that were working).
 *
 * Invariants:
 * - configureTls() reads files and builds every context eagerly, so each
 *   failure shows here, with the warning line Redis logs, never at the first
 *   handshake; it returns null after logging.
 * - The settings carry file contents, not paths: a listener reloaded with them
 *   (tls.Server.setSecureContext) never touches the disk again.
 * - The plain TCP path knows nothing of TLS: a TLS socket is a net.Socket once
 *   its handshake is done and runs through the same Client code.
 *
 * Deviations from Redis, accepted (Node's TLS API offers no hook for them):
 * - tls-auth-clients optional: a client certificate that does not verify is
 *   refused right after the handshake (Node cannot fail the handshake for it
 *   while still allowing no certificate), where OpenSSL refuses it during it.
 * - tls-session-cache-timeout 0 is treated as 1 second (Node ignores a 0
 *   sessionTimeout; OpenSSL's 0 makes sessions expire at once).
 * - tls-ca-cert-dir: every PEM certificate in the directory is trusted; OpenSSL
 *   reads only the hash-named files (c_rehash) it looks up on demand.
 * - tls-session-caching: the server-side session-id cache is ours (newSession /
 *   resumeSession); TLS session tickets stay as Node issues them.
 */
import tls from 'node:tls';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './log.js';

// ---- types -------------------------------------------------------------------------

/** What tlsConfigure produced: the server side's options and the client side's context. */
export interface TlsSettings {
  /** options of the listener's context (no per-connection verify mode: see listenerOptions) */
  readonly server: tls.SecureContextOptions;
  /** the context a replica's link uses (tls-client-cert-file/key, else tls-cert-file/key) */
  readonly client: tls.SecureContext;
  /** tls-session-caching, tls-session-cache-size (0: no limit), tls-session-cache-timeout (s) */
  readonly sessionCaching: boolean;
  readonly sessionCacheSize: number;
  readonly sessionTimeout: number;
}

/** The tls-* parameters whose change reconfigures TLS (config.c applyTlsCfg). tls-port has its own. */
export const TLS_CFG_PARAMS: ReadonlySet<string> = new Set([
  'tls-session-cache-size', 'tls-session-cache-timeout', 'tls-cluster', 'tls-replication', 'tls-prefer-server-ciphers',
  'tls-session-caching', 'tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file',
  'tls-client-key-file', 'tls-client-key-file-pass', 'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir',
  'tls-protocols', 'tls-ciphers', 'tls-ciphersuites',
]);

/** CONFIG SET's error text when the reconfiguration fails (applyTlsCfg, applyTLSPort). */
export const TLS_UPDATE_ERROR = 'Unable to update TLS configuration. Check server logs.';

const PROTOS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type Proto = (typeof PROTOS)[number];
const PROTO_NO_OPTION: Record<Proto, number> = {
  'TLSv1': crypto.constants.SSL_OP_NO_TLSv1,
  'TLSv1.1': crypto.constants.SSL_OP_NO_TLSv1_1,
  'TLSv1.2': crypto.constants.SSL_OP_NO_TLSv1_2,
  'TLSv1.3': crypto.constants.SSL_OP_NO_TLSv1_3,
};

// ---- API ---------------------------------------------------------------------------

/** TLS is configured at start and on changes when any of these asks for it (initServer, applyTlsCfg). */
export function tlsWanted(cfg: Config): boolean {
  return cfg.num('tls-port') !== 0 || cfg.bool('tls-replication') || cfg.bool('tls-cluster');
}

const opt = (cfg: Config, name: string): string | null => {
  const v = cfg.str(name);
  return v === '' || v === undefined ? null : v;
};

/**
 * tls-protocols as a set (parseProtocolsConfig): unset means TLSv1.2 and TLSv1.3;
 * words split on single spaces, case-insensitive. null (logged) on a bad word.
 */
export function parseProtocols(s: string | null, log: Logger): Set<Proto> | null {
  if (s === null) return new Set(['TLSv1.2', 'TLSv1.3']);
  const out = new Set<Proto>();
  for (const w of s.split(' ')) {
    const p = PROTOS.find((x) => x.toLowerCase() === w.toLowerCase());
    if (p === undefined) {
      log.warning("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
      return null;
    }
    out.add(p);
  }
  return out;
}

/** minVersion/maxVersion spanning the set, the protocols between them it lacks turned off. */
function protocolOptions(protos: Set<Proto>): { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion; secureOptions: number } {
  const on = PROTOS.filter((p) => protos.has(p));
  let secureOptions = 0;
  for (const p of PROTOS) if (!protos.has(p)) secureOptions |= PROTO_NO_OPTION[p];
  // an empty set (tls-protocols "" is unset, so only from odd spacing) leaves every version off, as OpenSSL would
  if (on.length === 0) return { secureOptions };
  return { minVersion: on[0]!, maxVersion: on[on.length - 1]!, secureOptions };
}

/**
 * An error as ERR_error_string_n writes it ("error:0A0000C7:SSL routines::peer did
 * not return a certificate"), from Node's longer form of OpenSSL errors; other
 * errors (a reset, a verify result) by their message.
 */
export function sslErrorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /error:([0-9A-Fa-f]{8}):([^:]*):[^:]*:([^:\n]*)/.exec(msg);
  return m ? `error:${m[1]}:${m[2]}::${m[3]}` : msg.replace(/\n/g, ' ').trim();
}
const sslError = sslErrorText;

/** A file's contents, or null after logging `what` with the system error, as OpenSSL's file BIO reports it. */
function readFile(file: string, log: Logger, what: (err: string) => string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    log.warning(what(`error:80000002:system library::${err.code === 'ENOENT' ? 'No such file or directory' : err.message}`));
    return null;
  }
}

/** The PEM certificates of a file (or of every file in a directory), each checked to parse. */
function pemCertificates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)) {
    try { new crypto.X509Certificate(m[0]); out.push(m[0]); } catch { /* not a certificate */ }
  }
  return out;
}

interface Side { cert: Buffer; key: Buffer; passphrase?: string }

/** Load one side's certificate chain and key (createSSLContext), logging as Redis does. */
function loadPair(certFile: string, keyFile: string, pass: string | null, log: Logger): Side | null {
  const cert = readFile(certFile, log, (e) => `Failed to load certificate: ${certFile}: ${e}`);
  if (cert === null) return null;
  try {
    tls.createSecureContext({ cert });
  } catch (e) {
    log.warning(`Failed to load certificate: ${certFile}: ${sslError(e)}`);
    return null;
  }
  const key = readFile(keyFile, log, (e) => `Failed to load private key: ${keyFile}: ${e}`);
  if (key === null) return null;
  const passphrase = pass ?? undefined;
  try {
    // no passphrase: OpenSSL's callback fails, so an encrypted key must fail (Node would prompt on a tty)
    tls.createSecureContext({ cert, key, passphrase: passphrase ?? '' });
  } catch (e) {
    log.warning(`Failed to load private key: ${keyFile}: ${sslError(e)}`);
    return null;
  }
  return passphrase === undefined ? { cert, key, passphrase: '' } : { cert, key, passphrase };
}

/**
 * tlsConfigure: check the parameters, load certificates, keys, CAs, DH
 * parameters, protocols and ciphers, and build both sides. null after logging
 * Redis's warning for the first problem.
 */
export function configureTls(cfg: Config, log: Logger): TlsSettings | null {
  const certFile = opt(cfg, 'tls-cert-file');
  const keyFile = opt(cfg, 'tls-key-file');
  if (certFile === null) { log.warning('No tls-cert-file configured!'); return null; }
  if (keyFile === null) { log.warning('No tls-key-file configured!'); return null; }
  const caFile = opt(cfg, 'tls-ca-cert-file');
  const caDir = opt(cfg, 'tls-ca-cert-dir');
  if ((cfg.str('tls-auth-clients') !== 'no' || cfg.bool('tls-cluster') || cfg.bool('tls-replication')) && caFile === null && caDir === null) {
    log.warning('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
    return null;
  }
  const protos = parseProtocols(opt(cfg, 'tls-protocols'), log);
  if (protos === null) return null;

  const main = loadPair(certFile, keyFile, opt(cfg, 'tls-key-file-pass'), log);
  if (main === null) return null;

  let ca: string[] | undefined;
  if (caFile !== null || caDir !== null) {
    ca = [];
    if (caFile !== null) {
      const text = readFile(caFile, log, (err) => `Failed to configure CA certificate(s) file/directory: ${err}`);
      if (text === null) return null;
      const certs = pemCertificates(text.toString('latin1'));
      if (certs.length === 0) {
        log.warning('Failed to configure CA certificate(s) file/directory: error:05800088:x509 certificate routines::no certificate or crl found');
        return null;
      }
      ca.push(...certs);
    }
    // a directory is not read at configuration time by OpenSSL: one that is missing or unreadable is no error
    if (caDir !== null) {
      let names: string[] = [];
      try { names = fs.readdirSync(caDir); } catch { /* as OpenSSL: nothing found there */ }
      for (const f of names) {
        try { ca.push(...pemCertificates(fs.readFileSync(path.join(caDir, f), 'latin1'))); } catch { /* not a readable file */ }
      }
    }
  }

  // ciphers (TLSv1.2 and below) and ciphersuites (TLSv1.3) go to Node as one list, TLS_ names being the latter
  const ciphers = opt(cfg, 'tls-ciphers');
  const suites = opt(cfg, 'tls-ciphersuites');
  try { tls.createSecureContext({ ciphers: ciphers ?? 'DEFAULT' }); } catch {
    log.warning(`Failed to configure ciphers: ${ciphers}`);
    return null;
  }
  if (suites !== null) {
    const names = suites.split(':').filter((s) => s !== '');
    let ok = names.length > 0 && names.every((n) => n.startsWith('TLS_'));
    if (ok) { try { tls.createSecureContext({ ciphers: names.join(':') }); } catch { ok = false; } }
    if (!ok) { log.warning(`Failed to configure ciphersuites: ${suites}`); return null; }
  }
  const cipherList = (ciphers ?? 'DEFAULT') + (suites !== null ? ':' + suites : '');

  let dhparam: Buffer | undefined;
  const dhFile = opt(cfg, 'tls-dh-params-file');
  if (dhFile !== null) {
    let text: Buffer;
    try { text = fs.readFileSync(dhFile); } catch (e) {
      const err = e as NodeJS.ErrnoException;
      log.warning(`Failed to load ${dhFile}: ${err.code === 'ENOENT' ? 'No such file or directory' : err.message}`);
      return null;
    }
    if (!/-----BEGIN (X9\.42 )?DH PARAMETERS-----/.test(text.toString('latin1'))) {
      log.warning(`${dhFile}: failed to read DH params.`);
      return null;
    }
    dhparam = text;
  }

  const prot = protocolOptions(protos);
  const caching = cfg.bool('tls-session-caching');
  const timeout = Math.max(1, cfg.num('tls-session-cache-timeout'));
  const server: tls.SecureContextOptions = {
    cert: main.cert, key: main.key, passphrase: main.passphrase, ca, ciphers: cipherList, dhparam,
    honorCipherOrder: cfg.bool('tls-prefer-server-ciphers'), sessionTimeout: timeout,
    ...prot,
    secureOptions: prot.secureOptions | crypto.constants.SSL_OP_NO_COMPRESSION |
      (crypto.constants.SSL_OP_NO_RENEGOTIATION ?? 0),
  };
  try {
    tls.createSecureContext(server);
  } catch (e) {
    log.warning(`Failed to configure TLS: ${sslError(e)}`);
    return null;
  }

  // the client side: its own certificate when both client files are set, else the server's
  const clientCert = opt(cfg, 'tls-client-cert-file');
  const clientKey = opt(cfg, 'tls-client-key-file');
  let side: Side = main;
  if (clientCert !== null && clientKey !== null) {
    const c = loadPair(clientCert, clientKey, opt(cfg, 'tls-client-key-file-pass'), log);
    if (c === null) return null;
    side = c;
  }
  let client: tls.SecureContext;
  try {
    client = tls.createSecureContext({ cert: side.cert, key: side.key, passphrase: side.passphrase, ca, ciphers: cipherList, ...prot });
  } catch (e) {
    log.warning(`Failed to configure TLS: ${sslError(e)}`);
    return null;
  }
  return { server, client, sessionCaching: caching, sessionCacheSize: cfg.num('tls-session-cache-size'), sessionTimeout: timeout };
}

/**
 * The listener's options for the current tls-auth-clients (connCreateAcceptedTLS's
 * verify modes): yes requires a certificate that verifies, optional asks for
 * one (checked by acceptVerified), no does not ask.
 */
export function listenerOptions(s: TlsSettings, authClients: string): tls.TlsOptions {
  return { ...s.server, requestCert: authClients !== 'no', rejectUnauthorized: authClients === 'yes' };
}

/**
 * After the handshake, under tls-auth-clients optional: a certificate was
 * presented but did not verify (the accepted deviation: refused here).
 */
export function refusedPeer(sock: tls.TLSSocket, authClients: string): boolean {
  if (authClients !== 'optional' || sock.authorized) return false;
  const cert = sock.getPeerCertificate();
  return cert !== null && Object.keys(cert).length > 0;
}

/** Options for a replica's connection to its master (connCreateTLS: verifies the master's chain, not its name). */
export function clientOptions(s: TlsSettings, host: string, port: number): tls.ConnectionOptions {
  return { host, port, secureContext: s.client, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

// ---- session cache -----------------------------------------------------------------

/**
 * The server-side session-id cache (SSL_SESS_CACHE_SERVER with
 * tls-session-cache-size and -timeout): insertion-ordered, oldest evicted
 * first, entries expired by age. Attached to a listener through its
 * newSession / resumeSession events; detached when caching is off.
 */
export class SessionCache {
  private readonly entries = new Map<string, { data: Buffer; at: number }>();
  size = 20 * 1024;
  timeoutMs = 300_000;

  readonly onNew = (id: Buffer, data: Buffer, cb: () => void): void => {
    const k = id.toString('hex');
    this.entries.delete(k);
    this.entries.set(k, { data, at: Date.now() });
    if (this.size > 0) {
      while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    }
    cb();
  };

  readonly onResume = (id: Buffer, cb: (err: Error | null, data: Buffer | null) => void): void => {
    const k = id.toString('hex');
    const e = this.entries.get(k);
    if (e === undefined || Date.now() - e.at > this.timeoutMs) {
      this.entries.delete(k);
      cb(null, null);
      return;
    }
    cb(null, e.data);
  };

  get count(): number { return this.entries.size; }

  /** Follow the settings: listen for sessions when caching, drop every entry when not. */
  apply(listener: tls.Server, s: TlsSettings): void {
    this.size = s.sessionCacheSize;
    this.timeoutMs = s.sessionTimeout * 1000;
    listener.off('newSession', this.onNew);
    listener.off('resumeSession', this.onResume);
    if (s.sessionCaching) {
      listener.on('newSession', this.onNew);
      listener.on('resumeSession', this.onResume);
    } else {
      this.entries.clear();
    }
  }
}
