/* The sorted set group (t_zset.c), one file per command. */
import type { CommandDef } from '../registry.js';
import { ZADD } from './ZADD.js';
import { ZINCRBY } from './ZINCRBY.js';
import { ZCARD } from './ZCARD.js';
import { ZSCORE } from './ZSCORE.js';
import { ZMSCORE } from './ZMSCORE.js';
import { ZRANK } from './ZRANK.js';
import { ZREVRANK } from './ZREVRANK.js';
import { ZCOUNT } from './ZCOUNT.js';
import { ZLEXCOUNT } from './ZLEXCOUNT.js';
import { ZRANGE } from './ZRANGE.js';
import { ZRANGESTORE } from './ZRANGESTORE.js';
import { ZREVRANGE } from './ZREVRANGE.js';
import { ZRANGEBYSCORE } from './ZRANGEBYSCORE.js';
import { ZREVRANGEBYSCORE } from './ZREVRANGEBYSCORE.js';
import { ZRANGEBYLEX } from './ZRANGEBYLEX.js';
import { ZREVRANGEBYLEX } from './ZREVRANGEBYLEX.js';
import { ZREM } from './ZREM.js';
import { ZREMRANGEBYRANK } from './ZREMRANGEBYRANK.js';
import { ZREMRANGEBYSCORE } from './ZREMRANGEBYSCORE.js';
import { ZREMRANGEBYLEX } from './ZREMRANGEBYLEX.js';
import { ZPOPMIN } from './ZPOPMIN.js';
import { ZPOPMAX } from './ZPOPMAX.js';
import { ZMPOP } from './ZMPOP.js';
import { BZMPOP } from './BZMPOP.js';
import { BZPOPMIN } from './BZPOPMIN.js';
import { BZPOPMAX } from './BZPOPMAX.js';
import { ZUNION } from './ZUNION.js';
import { ZINTER } from './ZINTER.js';
import { ZDIFF } from './ZDIFF.js';
import { ZINTERCARD } from './ZINTERCARD.js';
import { ZUNIONSTORE } from './ZUNIONSTORE.js';
import { ZINTERSTORE } from './ZINTERSTORE.js';
import { ZDIFFSTORE } from './ZDIFFSTORE.js';
import { ZRANDMEMBER } from './ZRANDMEMBER.js';
import { ZSCAN } from './ZSCAN.js';

export const ZSET_COMMANDS: readonly CommandDef[] = [
  ZADD,
  ZINCRBY,
  ZCARD,
  ZSCORE,
  ZMSCORE,
  ZRANK,
  ZREVRANK,
  ZCOUNT,
  ZLEXCOUNT,
  ZRANGE,
  ZRANGESTORE,
  ZREVRANGE,
  ZRANGEBYSCORE,
  ZREVRANGEBYSCORE,
  ZRANGEBYLEX,
  ZREVRANGEBYLEX,
  ZREM,
  ZREMRANGEBYRANK,
  ZREMRANGEBYSCORE,
  ZREMRANGEBYLEX,
  ZPOPMIN,
  ZPOPMAX,
  ZMPOP,
  BZMPOP,
  BZPOPMIN,
  BZPOPMAX,
  ZUNION,
  ZINTER,
  ZDIFF,
  ZINTERCARD,
  ZUNIONSTORE,
  ZINTERSTORE,
  ZDIFFSTORE,
  ZRANDMEMBER,
  ZSCAN,
];
