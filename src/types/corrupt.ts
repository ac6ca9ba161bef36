/*
 * A corrupt value that was accepted anyway, as Redis accepts it: without deep
 * sanitization (sanitize-dump-payload no, the default), Redis's RESTORE and
 * RDB loading check only the headers of listpacks, intsets and stream nodes,
 * keep the bytes as they are, and crash (an assertion, a panic) when a later
 * command walks into the damage. Nodis cannot keep a malformed listpack
 * inside its own structures, so it keeps such a value as this stand-in:
 *
 *   - TYPE, OBJECT ENCODING, EXISTS, DEL, RENAME, COPY, expiry see a normal
 *     key of its type; DUMP, SAVE and replication write the bytes it came
 *     with (the persistence layer asks corruptInfo());
 *   - anything else a command reads from it throws CorruptValueError: the
 *     dispatcher logs once for the value where redis-server would stop
 *     (its assertion or panic, without Redis's crash banner: nothing
 *     crashed), fails the command and, unlike Redis, keeps serving: the key
 *     stays unusable until it is deleted or overwritten.
 *
 * The stand-in is a Proxy whose prototype is the real type's (instanceof
 * checks pass, so commands reach the point where they read it); only the
 * properties above are answered.
 */
import type { TypeName, TypedValue, Value } from './value.js';

export interface CorruptInfo {
  readonly type: TypeName;
  /** what OBJECT ENCODING says (the encoding Redis would have kept the bytes in) */
  readonly encoding: string;
  /** the serialized value as it came: RDB type byte and payload (opaque here) */
  readonly raw: Buffer;
  /** what deep validation found */
  readonly reason: string;
  /** how Redis dies on it: serverAssert or serverPanic */
  readonly crash: 'assert' | 'panic';
  /** the assertion's "file:line 'expression'", or the panic's message; null when Redis may well not crash on it */
  readonly where: string | null;
  /** the crash lines were logged already (once per value) */
  reported: boolean;
}

/** Thrown when a command reads a corrupt value. */
export class CorruptValueError extends Error {
  constructor(readonly info: CorruptInfo) {
    super(`corrupt ${info.type} value: ${info.reason}`);
    this.name = 'CorruptValueError';
  }
}

const infos = new WeakMap<object, CorruptInfo>();

/** A stand-in for a corrupt value of info.type; proto is that type's prototype. */
export function corruptValue(info: CorruptInfo, proto: object): TypedValue {
  const target = Object.create(proto) as object;
  let self: TypedValue;
  const fail = (): never => { throw new CorruptValueError(info); };
  const handler: ProxyHandler<object> = {
    get(_t, p) {
      switch (p) {
        case 'type': return info.type;
        case 'encoding': return () => info.encoding;
        case 'clone': return () => self; // immutable: a copy may share it
        case 'memberTable': return () => null;
        case 'then': return undefined; // not a promise
        case Symbol.toStringTag: return 'CorruptValue';
        default: return fail();
      }
    },
    set: fail,
    has: fail,
    deleteProperty: fail,
    defineProperty: fail,
    ownKeys: fail,
    getPrototypeOf: () => proto,
  };
  self = new Proxy(target, handler) as TypedValue;
  infos.set(self, info);
  return self;
}

/** The details of a corrupt stand-in, or undefined for any other value. */
export function corruptInfo(v: Value | undefined): CorruptInfo | undefined {
  return typeof v === 'object' && v !== null ? infos.get(v) : undefined;
}
