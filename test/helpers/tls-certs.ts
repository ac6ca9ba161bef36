/*
 * Test certificates for TLS tests, made with openssl (as Redis's
 * utils/gen-test-certs.sh makes its own) in a fresh temporary directory:
 * a CA; `redis` (no usage restriction, signed by the CA), `server` (server
 * use only), `client` (client use only); `rogue`, self-signed, that the CA
 * does not vouch for; `redis.key` encrypted with a passphrase as `enc.key`;
 * DH parameters (the RFC 7919 ffdhe2048 group: nothing to generate).
 * remove() deletes the directory; callers register it with t.after.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TlsCerts {
  dir: string;
  ca: string;
  cert(name: 'redis' | 'server' | 'client' | 'rogue'): string;
  key(name: 'redis' | 'server' | 'client' | 'rogue'): string;
  /** redis.key encrypted with `encPass` */
  encKey: string;
  encPass: string;
  dh: string;
  remove(): void;
}

const ssl = (dir: string, args: string[], input?: string): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], input });
};

export function makeTlsCerts(): TlsCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-tls-'));
  try {
    fs.writeFileSync(path.join(dir, 'ext.cnf'), [
      '[ server_cert ]', 'keyUsage = digitalSignature, keyEncipherment', 'extendedKeyUsage = serverAuth',
      '[ client_cert ]', 'keyUsage = digitalSignature, keyEncipherment', 'extendedKeyUsage = clientAuth', '',
    ].join('\n'));
    ssl(dir, ['req', '-x509', '-new', '-nodes', '-newkey', 'rsa:2048', '-sha256', '-keyout', 'ca.key', '-days', '30',
      '-subj', '/O=Nodis Test/CN=Certificate Authority', '-out', 'ca.crt']);
    const signed = (name: string, cn: string, ext: string | null): void => {
      ssl(dir, ['req', '-new', '-nodes', '-newkey', 'rsa:2048', '-sha256', '-keyout', `${name}.key`, '-subj', `/O=Nodis Test/CN=${cn}`, '-out', `${name}.csr`]);
      ssl(dir, ['x509', '-req', '-sha256', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30',
        ...(ext === null ? [] : ['-extfile', 'ext.cnf', '-extensions', ext]), '-out', `${name}.crt`]);
    };
    signed('redis', 'Generic-cert', null);
    signed('server', 'Server-only', 'server_cert');
    signed('client', 'Client-only', 'client_cert');
    ssl(dir, ['req', '-x509', '-new', '-nodes', '-newkey', 'rsa:2048', '-keyout', 'rogue.key', '-days', '30', '-subj', '/CN=Rogue', '-out', 'rogue.crt']);
    ssl(dir, ['rsa', '-in', 'redis.key', '-out', 'enc.key', '-aes256', '-passout', 'pass:1234']);
    ssl(dir, ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', 'redis.dh']);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const p = (f: string): string => path.join(dir, f);
  return {
    dir, ca: p('ca.crt'), encKey: p('enc.key'), encPass: '1234', dh: p('redis.dh'),
    cert: (n) => p(`${n}.crt`),
    key: (n) => p(`${n}.key`),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The tls-* directives of a server using `name`'s certificate and the CA. */
export function tlsConf(c: TlsCerts, name: 'redis' | 'server' = 'redis'): Record<string, string> {
  return { 'tls-cert-file': c.cert(name), 'tls-key-file': c.key(name), 'tls-ca-cert-file': c.ca };
}
