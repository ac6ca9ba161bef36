/*
 * credentials.ts: shared by AUTH, HELLO and CLIENT SETNAME: checking credentials and
 * validating client names. Users and passwords are the ACL's (src/acl/acl.ts,
 * ACLAuthenticateUser); a failure is logged in the ACL log.
 */
import type { Client } from '../../server/client.js';
import { ERR_CLIENT_NAME } from '../../protocol/errors.js';

/** Authenticate the client as user/pass; false (client unchanged, failure logged) on bad credentials. */
export function authenticate(c: Client, user: string, pass: string): boolean {
  return c.server.acl.authenticate(c, user, pass);
}

/** The state a connection starts with as far as auth goes (clientSetDefaultAuth). */
export function setDefaultAuth(c: Client): void {
  c.server.acl.setDefaultAuth(c);
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
