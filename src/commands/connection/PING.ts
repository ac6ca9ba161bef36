/* PING [message]: PONG, or the message; in RESP2 pub/sub context a ["pong", msg] array. */
import type { CommandDef } from '../registry.js';

export const PING = {
  name: 'ping', group: 'connection', summary: 'Ping the server', since: '1.0.0', complexity: 'O(1)',
  arity: -1, flags: ['fast', 'sentinel'], acl: ['connection'],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  arguments: [{ name: 'message', type: 'string', optional: true }],
  handler(c, argv) {
    if (argv.length > 2) { c.error("ERR wrong number of arguments for 'ping' command"); return; }
    if (c.resp === 2 && c.kind === 'pubsub') {
      c.array(2);
      c.bulk('pong');
      c.bulk(argv.length === 2 ? argv[1]! : '');
      return;
    }
    if (argv.length === 2) c.bulk(argv[1]!);
    else c.raw('+PONG\r\n');
  },
} as const satisfies CommandDef;
