/*
 * Error replies of nodis-proxy's own (the rest come from protocol/errors.ts
 * or, byte for byte, from the backends). Full lines minus the dash, as the
 * style brief asks.
 */
export const ERR_CROSSSERVER = "CROSSSLOT Keys in request don't hash to the same server";
export const ERR_MSETNX_CROSSSERVER = "CROSSSLOT MSETNX keys must all hash to the same server";
export const ERR_NO_LIVE_SERVER = 'ERR no live server for this key (all ejected or unreachable)';
export const ERR_ONLY_DB0 = 'ERR DB index is out of range (nodis-proxy serves database 0 only)';
export const errUnsupported = (name: string): string => `ERR command '${name}' is not supported by nodis-proxy`;
export const errNotInSubscribeContext = (name: string): string =>
  `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
