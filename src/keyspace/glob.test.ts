/* Unit tests of the glob matcher against Redis's stringmatchlen rules (cases checked against redis-server's KEYS). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from './glob.js';

const yes = (p: string, s: string, nocase = false): void => assert.equal(globMatch(p, s, nocase), true, `${JSON.stringify(p)} should match ${JSON.stringify(s)}`);
const no = (p: string, s: string, nocase = false): void => assert.equal(globMatch(p, s, nocase), false, `${JSON.stringify(p)} should not match ${JSON.stringify(s)}`);

describe('globMatch', () => {
  test('literals, * and ?', () => {
    yes('abc', 'abc'); no('abc', 'abd'); no('abc', 'ab'); no('ab', 'abc');
    no('*', ''); no('**', ''); yes('*', 'anything'); // like stringmatchlen, a star needs a non-empty subject
    yes('**', 'x'); yes('a*', 'a'); yes('a*c', 'abbbc'); no('a*c', 'abbb');
    yes('?', 'x'); no('?', ''); no('?', 'xy'); yes('a?c', 'abc'); yes('*?', 'x'); no('?*?', 'x');
    yes('', ''); no('', 'a'); yes('a**', 'a');
  });

  test('sets, negation and ranges', () => {
    yes('h[ae]llo', 'hello'); yes('h[ae]llo', 'hallo'); no('h[ae]llo', 'hillo');
    yes('h[^e]llo', 'hallo'); no('h[^e]llo', 'hello');
    yes('h[a-b]llo', 'hbllo'); no('h[a-b]llo', 'hcllo');
    yes('[z-a]', 'm'); // reversed range ends are swapped
    yes('[a-]', ']'); // a range running to ']' as the C code reads it
    yes('[\\]]', ']'); yes('[\\-]', '-'); no('[\\-]', 'a');
    yes('[abc', 'a'); yes('[abc', 'c'); // unterminated set ends at the pattern end
    yes('[^', 'x'); no('[', 'x');
    no('[]', ']'); no('[]', 'x'); // an empty set never matches
  });

  test('escapes', () => {
    yes('\\*', '*'); no('\\*', 'a'); yes('a\\?', 'a?'); no('a\\?', 'ab'); yes('\\', '\\'); yes('x\\', 'x\\');
  });

  test('nocase folds A-Z only', () => {
    yes('HeLLo', 'hello', true); no('HeLLo', 'hello'); yes('[A-C]x', 'bX', true); yes('[^a]', 'A'); no('[^a]', 'A', true);
    no('\xc0', '\xe0', true);
  });

  test('bytes >= 0x80 compare as signed chars in ranges', () => {
    yes('[a-\xff]', '\x10'); // range -1..97 after the swap
    no('[a-\xff]', 'b');
    yes('[\x80-\xff]', '\x90'); yes('\xe9t\xe9', '\xe9t\xe9');
  });

  test('pathological patterns finish fast', () => {
    const t0 = Date.now();
    no('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(60));
    yes(`${'*'.repeat(1000)}x`, 'y'.repeat(1000) + 'x');
    assert.ok(Date.now() - t0 < 1000);
    no('*a'.repeat(200000), 'a'.repeat(10)); // recursion deeper than the stack is a miss, not a crash
  });
});
