/*
 * Every error reply the server sends, as the full line minus the leading '-'
 * and the trailing CRLF. Text matches Redis 7.0 byte for byte: compat tests
 * pin each one against a real redis-server. Formatters take the variable parts.
 */

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_INDEX_OUT_OF_RANGE = 'ERR index out of range';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_INCR_NAN_OR_INF = 'ERR increment would produce NaN or Infinity';
export const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const ERR_READONLY = "READONLY You can't write against a read only replica.";
export const ERR_CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
export const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
export const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
export const ERR_NOT_ALLOWED_IN_MULTI = 'ERR Command not allowed inside a transaction';
export const ERR_PROTO_INLINE_TOO_BIG = 'ERR Protocol error: too big inline request';
export const ERR_PROTO_UNBALANCED = 'ERR Protocol error: unbalanced quotes in request';
export const ERR_PROTO_MBULK_COUNT_TOO_BIG = 'ERR Protocol error: too big mbulk count string';
export const ERR_PROTO_BULK_COUNT_TOO_BIG = 'ERR Protocol error: too big bulk count string';
export const ERR_PROTO_INVALID_MBULK = 'ERR Protocol error: invalid multibulk length';
export const ERR_PROTO_INVALID_BULK = 'ERR Protocol error: invalid bulk length';
export const ERR_PROTO_UNAUTH_MBULK = 'ERR Protocol error: unauthenticated multibulk length';
export const ERR_PROTO_UNAUTH_BULK = 'ERR Protocol error: unauthenticated bulk length';

export const errProtoExpectedDollar = (got: string): string => `ERR Protocol error: expected '$', got '${got}'`;

/** Replace CR and LF so a user-supplied string cannot break the protocol line. */
const noNewlines = (s: string): string => s.replace(/[\r\n]/g, ' ');

export function errUnknownCommand(name: string, args: readonly string[]): string {
  let list = '';
  for (let i = 0; i < args.length && list.length < 128; i++) {
    list += `'${args[i]!.slice(0, 128 - list.length)}' `;
  }
  return noNewlines(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`);
}

export const errUnknownSubcommand = (sub: string, cmd: string): string =>
  noNewlines(`ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`);

export const errArity = (fullname: string): string => `ERR wrong number of arguments for '${fullname}' command`;

export const errInvalidExpire = (cmd: string): string => `ERR invalid expire time in '${cmd}' command`;

export const errNoPermCommand = (fullname: string): string =>
  `NOPERM this user has no permissions to run the '${fullname}' command`;
