/* The hash group (t_hash.c): one file per command. */
import type { CommandDef } from '../registry.js';
import { HSET } from './HSET.js';
import { HMSET } from './HMSET.js';
import { HSETNX } from './HSETNX.js';
import { HGET } from './HGET.js';
import { HMGET } from './HMGET.js';
import { HDEL } from './HDEL.js';
import { HLEN } from './HLEN.js';
import { HSTRLEN } from './HSTRLEN.js';
import { HEXISTS } from './HEXISTS.js';
import { HKEYS } from './HKEYS.js';
import { HVALS } from './HVALS.js';
import { HGETALL } from './HGETALL.js';
import { HINCRBY } from './HINCRBY.js';
import { HINCRBYFLOAT } from './HINCRBYFLOAT.js';
import { HRANDFIELD } from './HRANDFIELD.js';
import { HSCAN } from './HSCAN.js';

export const HASH_COMMANDS: readonly CommandDef[] = [
  HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN,
];
