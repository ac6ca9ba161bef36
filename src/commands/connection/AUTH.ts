/* AUTH [username] password (authCommand in redis/src/acl.c). */
import type { CommandDef } from '../registry.js';
import { ERR_AUTH_NO_PASSWORD, ERR_SYNTAX, ERR_WRONGPASS } from '../../protocol/errors.js';
import { authenticate } from './credentials.js';

export const AUTH = {
  name: 'auth', group: 'connection', summary: 'Authenticate to the server', since: '1.0.0',
  complexity: 'O(N) where N is the number of passwords defined for the user',
  arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], acl: ['connection'],
  history: [['6.0.0', 'Added ACL style (username and password).']],
  arguments: [
    { name: 'username', type: 'string', optional: true, since: '6.0.0' },
    { name: 'password', type: 'string' },
  ],
  handler(c, argv) {
    if (argv.length > 3) { c.error(ERR_SYNTAX); return; }
    let user = 'default';
    let pass: string;
    if (argv.length === 2) {
      // the old one-argument form errs when the default user needs no password
      if (c.server.acl.defaultUser.nopass) { c.error(ERR_AUTH_NO_PASSWORD); return; }
      pass = argv[1]!;
    } else {
      user = argv[1]!;
      pass = argv[2]!;
    }
    if (authenticate(c, user, pass)) c.ok();
    else c.error(ERR_WRONGPASS);
  },
} as const satisfies CommandDef;
