/* MemberIndex against a Map model, with incremental resizes forced (tiny sync threshold): inserts, removes, lookups and warm hints while entries sit in both arrays. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemberIndex, hashKey } from './open-hash.js';

test('MemberIndex agrees with a Map through incremental growth and shrinking', () => {
  let seed = 4242;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const idx = new MemberIndex(8);
  const members: (string | null)[] = [];
  const free: number[] = [];
  const model = new Map<string, number>();
  let sawResize = false;
  const check = (): void => {
    assert.equal(idx.size, model.size);
    for (const [m, slot] of model) {
      assert.equal(idx.slotOf(m, members), slot, `slotOf ${m}`);
      assert.equal(idx.candidateSlot(hashKey(m)) >= 0, true, `candidate ${m}`);
    }
  };
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 3000; i++) {
      const m = `m${rnd(5000)}`;
      if (model.has(m)) continue;
      const slot = free.length > 0 ? free.pop()! : members.length;
      members[slot] = m;
      idx.insert(hashKey(m), slot);
      model.set(m, slot);
      if (idx.resizing) sawResize = true;
      if (i % 500 === 0) check();
    }
    check();
    for (let i = 0; i < 6000 && model.size > 10; i++) {
      const m = `m${rnd(5000)}`;
      const b = idx.bucketOf(m, hashKey(m), members);
      assert.equal(b >= 0, model.has(m));
      if (b < 0) continue;
      const slot = idx.slotAt(b);
      assert.equal(slot, model.get(m));
      idx.removeAt(b);
      members[slot] = null;
      free.push(slot);
      model.delete(m);
      if (idx.resizing) sawResize = true;
      if (i % 700 === 0) check();
    }
    check();
    if (round === 1) while (idx.rehash(5));
  }
  assert.ok(sawResize, 'incremental resizes happened');
  idx.rebuild(members, members.length);
  check();
});

test('the hash is keyed per process: the same key hashes differently in another process', async () => {
  const { execFileSync } = await import('node:child_process');
  const url = new URL('./open-hash.js', import.meta.url).href;
  const run = (): string => execFileSync(process.execPath, ['--input-type=module', '-e', `import { hashKey } from '${url}'; console.log(hashKey('same key'))`]).toString().trim();
  const a = run();
  const b = run();
  assert.match(a, /^-?\d+$/);
  assert.notEqual(a, b);
  assert.equal(hashKey('same key'), hashKey('same ' + 'key'), 'stable within a process');
});
