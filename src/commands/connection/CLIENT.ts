/*
 * CLIENT container and CLIENT HELP (clientCommand in networking.c). Tracking
 * (CACHING, TRACKING, GETREDIR, TRACKINGINFO) lives in src/server/tracking.ts;
 * UNBLOCK lives with the blocking list commands (../list/CLIENT_UNBLOCK.ts).
 */
import type { CommandDef } from '../registry.js';
import { CLIENT_ID } from './CLIENT_ID.js';
import { CLIENT_INFO } from './CLIENT_INFO.js';
import { CLIENT_LIST } from './CLIENT_LIST.js';
import { CLIENT_KILL } from './CLIENT_KILL.js';
import { CLIENT_GETNAME } from './CLIENT_GETNAME.js';
import { CLIENT_SETNAME } from './CLIENT_SETNAME.js';
import { CLIENT_PAUSE } from './CLIENT_PAUSE.js';
import { CLIENT_UNPAUSE } from './CLIENT_UNPAUSE.js';
import { CLIENT_REPLY } from './CLIENT_REPLY.js';
import { CLIENT_NO_EVICT } from './CLIENT_NO_EVICT.js';
import { CLIENT_NO_TOUCH } from './CLIENT_NO_TOUCH.js';
import { CLIENT_SETINFO } from './CLIENT_SETINFO.js';
import { CLIENT_TRACKING } from './CLIENT_TRACKING.js';
import { CLIENT_CACHING } from './CLIENT_CACHING.js';
import { CLIENT_GETREDIR } from './CLIENT_GETREDIR.js';
import { CLIENT_TRACKINGINFO } from './CLIENT_TRACKINGINFO.js';
import { CLIENT_UNBLOCK } from '../list/CLIENT_UNBLOCK.js';

const HELP_LINES = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

export const CLIENT_HELP = {
  name: 'help', group: 'connection', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
  complexity: 'O(1)', arity: 2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c, argv) { c.help(argv[0]!, HELP_LINES); },
} as const satisfies CommandDef;

export const CLIENT = {
  name: 'client', group: 'connection', summary: 'A container for client connection commands', since: '2.4.0',
  complexity: 'Depends on subcommand.', arity: -2, flags: ['sentinel'],
  subcommands: [
    CLIENT_GETNAME, CLIENT_HELP, CLIENT_ID, CLIENT_INFO, CLIENT_KILL, CLIENT_LIST, CLIENT_NO_EVICT, CLIENT_PAUSE,
    CLIENT_REPLY, CLIENT_SETNAME, CLIENT_UNPAUSE, CLIENT_NO_TOUCH, CLIENT_SETINFO,
    CLIENT_TRACKING, CLIENT_CACHING, CLIENT_GETREDIR, CLIENT_TRACKINGINFO, CLIENT_UNBLOCK,
  ],
} as const satisfies CommandDef;
