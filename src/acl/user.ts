/*
 * ACL users (redis/src/acl.c struct user, ACLSetUser, ACLDescribeUser,
 * ACLCheckUserCredentials).
 *
 * Invariants:
 * - A user always has its root selector first in `selectors`.
 * - Passwords are kept only as lowercase SHA-256 hex, unique, in the order
 *   added; `nopass` and a password list exclude each other.
 * - Users are changed in place (ACLCopyUser) so connections keep pointing at
 *   the same object; `unrestricted` is recomputed after every change: it is
 *   what the dispatch fast path reads.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type AclCommands, type RuleError, Selector, selectorFromOpSet } from './selector.js';

export const FLAG_ON = 1;
export const FLAG_OFF = 2;
export const FLAG_NOPASS = 4;
export const FLAG_SKIP_SANITIZE = 8;
export const FLAG_SANITIZE = 16;

/** ACLUserFlags order: the order flags are shown in. */
export const USER_FLAGS: readonly [string, number][] = [
  ['on', FLAG_ON], ['off', FLAG_OFF], ['nopass', FLAG_NOPASS],
  ['skip-sanitize-payload', FLAG_SKIP_SANITIZE], ['sanitize-payload', FLAG_SANITIZE],
];

export function hashPassword(clear: string): string {
  return createHash('sha256').update(clear, 'latin1').digest('hex');
}

/** ACLCheckPasswordHash: 64 lowercase hex characters. */
export function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

export class User {
  flags = FLAG_OFF;
  passwords: string[] = [];
  selectors: Selector[];
  /**
   * The root selector allows every command, key and channel: no check needed
   * (the dispatch fast path). Also true for the internal superuser.
   */
  unrestricted = false;
  /** ACL LIST / GETUSER description, cached until the next change */
  private described: string | null = null;
  /** set once the user is removed (DELUSER, ACL LOAD): its clients are being closed */
  deleted = false;

  constructor(readonly name: string, readonly cmds: AclCommands, private readonly pubsubDefault: () => boolean) {
    this.selectors = [new Selector(cmds, true, pubsubDefault())];
  }

  get root(): Selector { return this.selectors[0]!; }
  get enabled(): boolean { return (this.flags & FLAG_ON) !== 0; }
  get nopass(): boolean { return (this.flags & FLAG_NOPASS) !== 0; }

  /** ACLCopyUser: take all of src's rules (not its name). */
  copyFrom(src: User): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
    this.changed();
  }

  changed(): void {
    this.described = null;
    const r = this.root;
    this.unrestricted = r.allCommands && r.allKeys && r.allChannels;
  }

  /** ACLSetUser: apply one rule; the error code or null. */
  apply(op: string): RuleError | null {
    const err = this.applyRule(op);
    this.changed();
    return err;
  }

  private applyRule(op: string): RuleError | null {
    if (op.length === 0) return null;
    const lower = op.length <= 21 ? op.toLowerCase() : '';
    switch (lower) {
      case 'on': this.flags = (this.flags | FLAG_ON) & ~FLAG_OFF; return null;
      case 'off': this.flags = (this.flags | FLAG_OFF) & ~FLAG_ON; return null;
      case 'skip-sanitize-payload': this.flags = (this.flags | FLAG_SKIP_SANITIZE) & ~FLAG_SANITIZE; return null;
      case 'sanitize-payload': this.flags = (this.flags | FLAG_SANITIZE) & ~FLAG_SKIP_SANITIZE; return null;
      case 'nopass': this.flags |= FLAG_NOPASS; this.passwords = []; return null;
      case 'resetpass': this.flags &= ~FLAG_NOPASS; this.passwords = []; return null;
      case 'clearselectors': this.selectors.length = 1; return null;
      case 'reset':
        this.applyRule('resetpass');
        this.applyRule('resetkeys');
        this.applyRule('resetchannels');
        if (this.pubsubDefault()) this.applyRule('allchannels');
        this.applyRule('off');
        this.applyRule('sanitize-payload');
        this.applyRule('clearselectors');
        this.applyRule('-@all');
        return null;
    }
    const c0 = op[0];
    if (c0 === '>' || c0 === '#') {
      const h = c0 === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (c0 === '#' && !validHash(h)) return 'EBADMSG';
      if (!this.passwords.includes(h)) this.passwords.push(h);
      this.flags &= ~FLAG_NOPASS;
      return null;
    }
    if (c0 === '<' || c0 === '!') {
      const h = c0 === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (c0 === '!' && !validHash(h)) return 'EBADMSG';
      const i = this.passwords.indexOf(h);
      if (i < 0) return 'ENODEV';
      this.passwords.splice(i, 1);
      return null;
    }
    if (c0 === '(' && op[op.length - 1] === ')') {
      const s = selectorFromOpSet(this.cmds, op, this.pubsubDefault());
      if (typeof s === 'string') return s;
      this.selectors.push(s);
      return null;
    }
    return this.root.apply(op);
  }

  /** ACLCheckUserCredentials for this user: enabled, and nopass or a matching password. */
  checkPassword(pass: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    const h = Buffer.from(hashPassword(pass), 'latin1');
    let ok = false;
    for (const p of this.passwords) if (timingSafeEqual(h, Buffer.from(p, 'latin1'))) ok = true;
    return ok;
  }

  /** ACLDescribeUser: flags, #hashes, root selector, then "(selector)" for each other. */
  describe(): string {
    if (this.described !== null) return this.described;
    let res = '';
    for (const [name, f] of USER_FLAGS) if (this.flags & f) res += name + ' ';
    for (const p of this.passwords) res += '#' + p + ' ';
    for (const s of this.selectors) {
      const d = s.describe();
      res += s.root ? d : ` (${d})`;
    }
    this.described = res;
    return res;
  }
}
