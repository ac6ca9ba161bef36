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
export const ERR_LOADING = 'LOADING Redis is loading the dataset in memory';
export const ERR_MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
export const ERR_BGSAVE_IN_PROGRESS = 'ERR Background save already in progress';
export const ERR_SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';
export const ERR_CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
export const ERR_DB_INDEX = 'ERR DB index is out of range';
export const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
/** A bulk argument under proto-max-bulk-len but longer than a JavaScript string can be (Redis would take it). */
export const errArgTooLong = (max: number): string => `ERR argument too long: Nodis holds strings of at most ${max} bytes`;
/** A big argument (past V8's string limit) where the command takes no string value. */
export const errBigArgNotValue = (max: number): string =>
  `ERR argument too long: past ${max} bytes only a string value is accepted (SET, SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX, APPEND, SETRANGE, RESTORE)`;
export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
export const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
// string and bitmap commands
export const ERR_DECR_OVERFLOW = 'ERR decrement would overflow';
export const ERR_OFFSET_RANGE = 'ERR offset is out of range';
export const ERR_LCS_NOT_STRINGS = 'ERR The specified keys must contain string values';
export const ERR_LCS_LEN_AND_IDX = 'ERR If you want both the length and indexes, please just use IDX.';
export const ERR_LCS_TOO_LONG = 'ERR String too long for LCS';
export const ERR_LCS_NO_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';
export const ERR_LCS_ALLOC = 'ERR Insufficient memory, failed allocating transient memory for LCS';
export const ERR_BITPOS_BIT = 'ERR The bit argument must be 1 or 0.';
export const ERR_BITOP_NOT = 'ERR BITOP NOT must be called with a single source key.';
export const ERR_BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
export const ERR_OVERFLOW_TYPE = 'ERR Invalid OVERFLOW type specified';
export const ERR_BITFIELD_RO = 'ERR BITFIELD_RO only supports the GET subcommand';
// hyperloglog commands
export const ERR_NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
export const ERR_INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
export const ERR_PFDEBUG_NO_KEY = 'ERR The specified key does not exist';
export const ERR_HLL_NOT_SPARSE = 'ERR HLL encoding is not sparse';
export const errPfdebugSubcommand = (sub: string): string => errf`ERR Unknown PFDEBUG subcommand '${sub}'`;
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

/** "got '%c'" of the byte found instead of '$' (a CR or LF shows as a space, as after addReplyErrorFormat's clean-up). */
export const errProtoExpectedDollar = (got: number): string => errorText(`ERR Protocol error: expected '$', got '${String.fromCharCode(got)}'`);

/** C's "%.*s" of a Redis string: up to its first NUL byte, at most `max` bytes. */
export function cstr(s: string, max = Infinity): string {
  const z = s.indexOf('\0');
  const t = z < 0 ? s : s.slice(0, z);
  return t.length > max ? t.slice(0, max) : t;
}

/**
 * addReplyErrorFormat's clean-up (redis/src/networking.c): CR and LF trimmed
 * from both ends of the message, the ones inside turned into spaces, so a
 * user-supplied string cannot break the protocol line.
 */
export function errorText(s: string): string {
  return s.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' ');
}

/**
 * An error line formatted as Redis formats one with "%s" fields: every
 * interpolated value is a C string (cut at its first NUL), then errorText.
 */
export function errf(parts: TemplateStringsArray, ...values: unknown[]): string {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out += cstr(String(values[i])) + parts[i + 1]!;
  return errorText(out);
}

export function errUnknownCommand(name: string, args: readonly string[]): string {
  let list = '';
  for (let i = 0; i < args.length && list.length < 128; i++) {
    list += `'${cstr(args[i]!, 128 - list.length)}' `;
  }
  return errorText(`ERR unknown command '${cstr(name, 128)}', with args beginning with: ${list}`);
}

export const errUnknownSubcommand = (sub: string, cmd: string): string =>
  errf`ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`;

export const errArity = (fullname: string): string => `ERR wrong number of arguments for '${fullname}' command`;

export const errInvalidExpire = (cmd: string): string => `ERR invalid expire time in '${cmd}' command`;

export const errNoPermCommand = (fullname: string): string =>
  `NOPERM this user has no permissions to run the '${fullname}' command`;

// keyspace / expiry / db commands (generic group)
export const ERR_INVALID_CURSOR = 'ERR invalid cursor';
export const ERR_EXPIRE_NX_CONFLICT = 'ERR NX and XX, GT or LT options at the same time are not compatible';
export const ERR_EXPIRE_GT_LT_CONFLICT = 'ERR GT and LT options at the same time are not compatible';
export const errUnsupportedOption = (opt: string): string => errf`ERR Unsupported option ${opt}`;
export const ERR_INVALID_FIRST_DB = 'ERR invalid first DB index';
export const ERR_INVALID_SECOND_DB = 'ERR invalid second DB index';
export const errIntRange = (min: number | bigint, max: number | bigint): string =>
  `ERR value is out of range, value must between ${min} and ${max}`;
export const ERR_SELECT_CLUSTER = 'ERR SELECT is not allowed in cluster mode';
export const ERR_MOVE_CLUSTER = 'ERR MOVE is not allowed in cluster mode';
export const ERR_SWAPDB_CLUSTER = 'ERR SWAPDB is not allowed in cluster mode';
export const ERR_COPY_CLUSTER = 'ERR Copying to another database is not allowed in cluster mode';
export const ERR_CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';
/** DEBUG / MODULE LOAD ... refused by enable-debug-command / enable-module-command (processCommand, CMD_PROTECTED) */
export const errProtectedCommand = (which: 'DEBUG' | 'MODULE', option: string): string =>
  `ERR ${which} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`;
export const ERR_MODULE_LOAD = 'ERR Error loading the extension. Please check the server logs.';
export const ERR_MODULE_UNLOAD_NO_SUCH = 'ERR Error unloading module: no such module with that name';
export const ERR_OBJECT_IDLETIME_LFU = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
export const ERR_OBJECT_FREQ_NOT_LFU = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
export const errSubcommandSyntax = (sub: string, cmd: string): string =>
  errf`ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`;
export const ERR_UNKNOWN_TYPE_OBJECT = 'ERR unknown type object';

// ---- connection commands (HELLO, AUTH, CLIENT, RESET) ----------------------
export const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const ERR_AUTH_NO_PASSWORD = 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const ERR_NOPROTO = 'NOPROTO unsupported protocol version';
export const ERR_HELLO_PROTOVER = 'ERR Protocol version is not an integer or out of range';
export const ERR_HELLO_NOAUTH = 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
export const ERR_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';
export const ERR_RESET_NOT_NORMAL = 'ERR can only reset normal client connections';
export const ERR_NO_SUCH_CLIENT = 'ERR No such client';
export const ERR_INVALID_CLIENT_ID = 'ERR Invalid client ID';
export const ERR_CLIENT_ID_RANGE = 'ERR client-id should be greater than 0';
export const ERR_PAUSE_MODE = 'ERR CLIENT PAUSE mode must be WRITE or ALL';
export const ERR_TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';
export const ERR_TIMEOUT_OUT_OF_RANGE = 'ERR timeout is out of range';
export const ERR_MAX_CLIENTS = 'ERR max number of clients reached';
export const errHelloOption = (opt: string): string => errf`ERR Syntax error in HELLO option '${opt}'`;
export const errUnknownClientType = (t: string): string => errf`ERR Unknown client type '${t}'`;
export const errNoSuchUser = (u: string): string => errf`ERR No such user '${u}'`;
/** CLIENT SETINFO (Redis 7.2) */
export const errSetinfoOption = (opt: string): string => errf`ERR Unrecognized option '${opt}'`;
export const errSetinfoValue = (attr: string): string => errf`ERR ${attr} cannot contain spaces, newlines or special characters.`;

// ---- hash, set and SORT commands (t_hash.c, t_set.c, sort.c) ---------------
export const ERR_HASH_NOT_INTEGER = 'ERR hash value is not an integer';
export const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
export const ERR_VALUE_NAN_OR_INF = 'ERR value is NaN or Infinity';
/** getLongFromObjectOrReply beyond long, and HRANDFIELD's WITHVALUES bound */
export const ERR_VALUE_OUT_OF_RANGE = 'ERR value is out of range';
export const ERR_SINTERCARD_NUMKEYS = 'ERR numkeys should be greater than 0';
export const ERR_SINTERCARD_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
export const ERR_SINTERCARD_LIMIT = "ERR LIMIT can't be negative";
export const ERR_SORT_SCORE = "ERR One or more scores can't be converted into double";
export const ERR_SORT_BY_CLUSTER = 'ERR BY option of SORT denied in Cluster mode.';
export const ERR_SORT_BY_ACL = 'ERR BY option of SORT denied due to insufficient ACL permissions.';
export const ERR_SORT_GET_CLUSTER = 'ERR GET option of SORT denied in Cluster mode.';
export const ERR_SORT_GET_ACL = 'ERR GET option of SORT denied due to insufficient ACL permissions.';

// ---- sorted set commands (t_zset.c) ----------------------------------------
export const ERR_ZADD_XX_NX = 'ERR XX and NX options at the same time are not compatible';
export const ERR_ZADD_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
export const ERR_ZADD_INCR_PAIR = 'ERR INCR option supports a single increment-element pair';
export const ERR_ZSET_NAN = 'ERR resulting score is not a number (NaN)';
export const ERR_ZSET_MINMAX_FLOAT = 'ERR min or max is not a float';
export const ERR_ZSET_MINMAX_LEX = 'ERR min or max not valid string range item';
export const ERR_ZSET_WEIGHT_FLOAT = 'ERR weight value is not a float';
export const ERR_ZRANGE_LIMIT = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
export const ERR_ZRANGE_WITHSCORES_BYLEX = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
export const ERR_ZMPOP_COUNT = 'ERR count should be greater than 0';
export const ERR_ZSET_TIMEOUT_FLOAT = 'ERR timeout is not a float or out of range';
export const errZsetNoKeys = (fullname: string): string => `ERR at least 1 input key is needed for '${fullname}' command`;

// ---- geo commands (geo.c) ----------------------------------------------------
export const ERR_GEO_UNIT = 'ERR unsupported unit provided. please use M, KM, FT, MI';
/** extractLongLatOrReply: both coordinates as printf's %f */
export const errGeoLonLat = (lon: string, lat: string): string => `ERR invalid longitude,latitude pair ${lon},${lat}`;
export const ERR_GEO_RADIUS_FLOAT = 'ERR need numeric radius';
export const ERR_GEO_RADIUS_NEGATIVE = 'ERR radius cannot be negative';
export const ERR_GEO_WIDTH_FLOAT = 'ERR need numeric width';
export const ERR_GEO_HEIGHT_FLOAT = 'ERR need numeric height';
export const ERR_GEO_BOX_NEGATIVE = 'ERR height or width cannot be negative';
export const ERR_GEO_MEMBER = 'ERR could not decode requested zset member';
export const ERR_GEO_COUNT = 'ERR COUNT must be > 0';
export const ERR_GEO_ANY_COUNT = 'ERR the ANY argument requires COUNT argument';
/** STORE/STOREDIST (or GEOSEARCHSTORE) with WITHDIST, WITHHASH or WITHCOORD; `what` is "GEOSEARCHSTORE" or "STORE option in GEORADIUS" */
export const errGeoStoreWith = (what: string): string => `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`;
/** the command name as the client sent it */
export const errGeoFrom = (cmd: string): string => errf`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cmd}`;
export const errGeoBy = (cmd: string): string => errf`ERR exactly one of BYRADIUS and BYBOX can be specified for ${cmd}`;

// ---- pub/sub ----------------------------------------------------------------
/** A RESP2 client in subscribed mode ran another command (processCommand). */
export const errPubsubContext = (fullname: string): string =>
  `ERR Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
/** (P|S)SUBSCRIBE from a client that must get one reply per command (script; SSUBSCRIBE also in EXEC). */
export const errDenyBlockingSubscribe = (cmd: string): string => `ERR ${cmd} isn't allowed for a DENY BLOCKING client`;

// ---- transactions (multi.c) -------------------------------------------------
export const ERR_MULTI_NESTED = 'ERR MULTI calls can not be nested';
export const ERR_EXEC_WITHOUT_MULTI = 'ERR EXEC without MULTI';
export const ERR_DISCARD_WITHOUT_MULTI = 'ERR DISCARD without MULTI';
export const ERR_WATCH_IN_MULTI = 'ERR WATCH inside MULTI is not allowed';
/** execCommandAbort: a rejected EXEC discards the transaction and names the reason */
export const errExecAbort = (reason: string): string => `EXECABORT Transaction discarded because of: ${reason}`;
export const errExecNoPerm = (reason: string): string =>
  `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;

// ---- client side caching (tracking.c, networking.c clientCommand) ----------
export const ERR_TRACKING_ONE_REDIRECT = 'ERR A client can only redirect to a single other client';
export const ERR_TRACKING_REDIRECT_MISSING = 'ERR The client ID you want redirect to does not exist';
export const ERR_TRACKING_PREFIX_NEEDS_BCAST = 'ERR PREFIX option requires BCAST mode to be enabled';
export const ERR_TRACKING_BCAST_SWITCH = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
export const ERR_TRACKING_OPT_BCAST = 'ERR OPTIN and OPTOUT are not compatible with BCAST';
export const ERR_TRACKING_OPTIN_OPTOUT = "ERR You can't specify both OPTIN mode and OPTOUT mode";
export const ERR_TRACKING_OPT_SWITCH = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
export const ERR_CACHING_NOT_TRACKING = 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled';
export const ERR_CACHING_YES = 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.';
export const ERR_CACHING_NO = 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.';
export const errPrefixOverlapExisting = (p: string, existing: string): string =>
  errf`ERR Prefix '${p}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`;
export const errPrefixOverlapOther = (p: string, other: string): string =>
  errf`ERR Prefix '${p}' overlaps with another provided prefix '${other}'. Prefixes for a single client must not overlap.`;

// ---- list commands and blocking operations ----------------------------------
export const ERR_MUST_BE_POSITIVE = 'ERR value is out of range, must be positive';
export const ERR_LPOS_RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
export const ERR_LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
export const ERR_LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
export const ERR_NUMKEYS_POSITIVE = 'ERR numkeys should be greater than 0';
export const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';
export const ERR_TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
export const ERR_CLIENT_UNBLOCK_REASON = 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR';
export const ERR_AOF_REWRITE_IN_PROGRESS = 'ERR Background append only file rewriting already in progress';
export const ERR_AOF_REWRITE_FAILED = "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
export const ERR_DUMP_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
export const ERR_BAD_DATA_FORMAT = 'ERR Bad data format';
/** Nodis only: a command read a value that was loaded corrupt without deep sanitization (Redis would crash) */
export const ERR_CORRUPT_VALUE = 'ERR Corrupt value (loaded without deep sanitization, see sanitize-dump-payload): delete or overwrite the key';
export const ERR_INVALID_TTL = 'ERR Invalid TTL value, must be >= 0';
export const ERR_INVALID_IDLETIME = 'ERR Invalid IDLETIME value, must be >= 0';
export const ERR_INVALID_FREQ = 'ERR Invalid FREQ value, must be >= 0 and <= 255';
// MIGRATE (cluster.c migrateCommand, migrateGetSocket)
export const ERR_MIGRATE_KEYS_NOT_EMPTY = 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string';
export const ERR_MIGRATE_CONNECT = 'IOERR error or timeout connecting to the client';
/** a socket error or timeout after connecting: `what` is writing (sending the request) or reading (a reply) */
export const errMigrateIo = (what: 'reading' | 'writing'): string => `IOERR error or timeout ${what} to target instance`;
/** the target's first error reply, its text without the leading '-' */
export const errMigrateTarget = (text: string): string => `ERR Target instance replied with error: ${text}`;

// ---- streams (t_stream.c) ----------------------------------------------------
export const ERR_STREAM_ID_INVALID = 'ERR Invalid stream ID specified as stream command argument';
export const ERR_XADD_ID_ZERO = 'ERR The ID specified in XADD must be greater than 0-0';
export const ERR_XADD_ID_SMALL = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
export const ERR_STREAM_EXHAUSTED = 'ERR The stream has exhausted the last possible ID, unable to add more items';
export const ERR_STREAM_TOO_LARGE = 'ERR Elements are too large to be stored';
export const ERR_MAXLEN_MINID = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';
export const ERR_MAXLEN_NEGATIVE = 'ERR The MAXLEN argument must be >= 0.';
export const ERR_LIMIT_NEGATIVE = 'ERR The LIMIT argument must be >= 0.';
export const ERR_LIMIT_NO_STRATEGY = 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy';
export const ERR_XTRIM_NO_STRATEGY = 'ERR syntax error, XTRIM must be called with a trimming strategy';
export const ERR_LIMIT_NO_APPROX = 'ERR syntax error, LIMIT cannot be used without the special ~ option';
export const ERR_INVALID_START_ID = 'ERR invalid start ID for the interval';
export const ERR_INVALID_END_ID = 'ERR invalid end ID for the interval';
export const errXreadBlockScript = (cmd: string): string => errf`ERR ${cmd} command is not allowed with BLOCK option from scripts`;
export const ERR_XREAD_UNBALANCED = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
export const ERR_XREAD_GROUP_OPT = 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.';
export const ERR_XREAD_NOACK_OPT = 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.';
export const ERR_XREADGROUP_MISSING_GROUP = 'ERR Missing GROUP option for XREADGROUP';
export const errNoGroupRead = (key: string, group: string): string =>
  errf`NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`;
/** XREAD / XREADGROUP with BLOCK called from a script (argv[0] as the script spelled it) */
export const errBlockFromScript = (cmd: string): string => errf`ERR ${cmd} command is not allowed with BLOCK option from scripts`;
export const ERR_XREADGROUP_DOLLAR = 'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.';
export const ERR_XREAD_GT = 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.';
export const ERR_NOGROUP_BLOCKED = 'NOGROUP the consumer group this client was blocked on no longer exists';
export const ERR_UNBLOCKED_STREAM_GONE = 'UNBLOCKED the stream key no longer exists';
export const ERR_ENTRIESREAD = 'ERR value for ENTRIESREAD must be positive or -1';
export const ERR_XGROUP_NEEDS_KEY = 'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.';
export const errNoGroupForKey = (group: string, key: string): string =>
  errf`NOGROUP No such consumer group '${group}' for key name '${key}'`;
export const ERR_BUSYGROUP = 'BUSYGROUP Consumer Group name already exists';
export const ERR_ENTRIES_ADDED_NEGATIVE = 'ERR entries_added must be positive';
export const ERR_XSETID_MAXDELETED = 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id';
export const ERR_XSETID_SMALL = 'ERR The ID specified in XSETID is smaller than the target stream top item';
export const ERR_XSETID_ENTRIES_ADDED = 'ERR The entries_added specified in XSETID is smaller than the target stream length';
export const errNoGroup = (key: string, group: string): string =>
  errf`NOGROUP No such key '${key}' or consumer group '${group}'`;
export const ERR_XCLAIM_MINIDLE = 'ERR Invalid min-idle-time argument for XCLAIM';
export const ERR_XCLAIM_IDLE = 'ERR Invalid IDLE option argument for XCLAIM';
export const ERR_XCLAIM_TIME = 'ERR Invalid TIME option argument for XCLAIM';
export const ERR_XCLAIM_RETRYCOUNT = 'ERR Invalid RETRYCOUNT option argument for XCLAIM';
export const errXclaimOption = (opt: string): string => errf`ERR Unrecognized XCLAIM option '${opt}'`;
export const ERR_XAUTOCLAIM_MINIDLE = 'ERR Invalid min-idle-time argument for XAUTOCLAIM';
export const ERR_XAUTOCLAIM_COUNT = 'ERR COUNT must be > 0';

// ---- scripting (eval.c, script.c) ----
export const ERR_BUSY_SCRIPT = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const ERR_BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
export const ERR_NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';
export const ERR_NUMKEYS_GREATER = "ERR Number of keys can't be greater than number of args";
export const ERR_NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
