/*
 * credentials.ts: shared by AUTH, HELLO and CLIENT SETNAME: checking credentials and
 * validating client names. Only the default user exists until ACLs land:
 * it accepts any password when requirepass is empty (nopass), else exactly
 * requirepass (redis/src/acl.c ACLCheckUserCredentials).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Client } from '../../server/client.js';
import { ERR_CLIENT_NAME } from '../../protocol/errors.js';

/** Authenticate the client as user/pass; false (client unchanged) on bad credentials. */
export function authenticate(c: Client, user: string, pass: string): boolean {
  if (user !== 'default') return false;
  const required = c.server.config.str('requirepass');
  if (required !== '' && !sameSecret(pass, required)) return false;
  c.authenticated = true;
  c.user = user;
  return true;
}

/** Comparison whose time does not depend on where the strings differ (Redis compares SHA-256 digests). */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash('sha256').update(s, 'latin1').digest();
  return timingSafeEqual(h(a), h(b));
}

/** The state a connection starts with as far as auth goes (clientSetDefaultAuth). */
export function setDefaultAuth(c: Client): void {
  c.user = 'default';
  c.authenticated = c.server.config.str('requirepass') === '';
}

/** Names are printable ASCII without spaces ('!'..'~'); empty clears the name (clientSetName). */
export function validClientAttr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

/** CLIENT SETNAME / HELLO SETNAME: set or reply with the error; false on error. */
export function setNameOrReply(c: Client, name: string): boolean {
  if (!validClientAttr(name)) { c.error(ERR_CLIENT_NAME); return false; }
  c.name = name;
  return true;
}
