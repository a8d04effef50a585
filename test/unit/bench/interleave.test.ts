/**
 * The bench's run order (bench/lib/interleave.ts): over one cycle of a Williams design, every contender
 * runs once or twice in every position and right after every other contender equally often, so neither
 * going first nor what the previous run left on the server always falls on the same tool.
 */
import assert from 'node:assert/strict';
import { balancedOrder } from '../../../bench/lib/interleave';

describe('bench: balancedOrder', () => {
  for (const n of [2, 3, 4, 5, 6]) {
    it(`${n} contenders: each round is an order of all of them, balanced for position and predecessor over a cycle`, () => {
      const cycle = n % 2 === 0 ? n : 2 * n;
      const positions = new Map<string, number>();
      const follows = new Map<string, number>();
      for (let round = 0; round < cycle; round++) {
        const order = balancedOrder(n, round);
        assert.deepEqual([...order].sort((a, b) => a - b), [...Array(n).keys()], `round ${round}: ${order.join(' ')}`);
        order.forEach((tool, position) => positions.set(`${tool}@${position}`, (positions.get(`${tool}@${position}`) ?? 0) + 1));
        for (let i = 1; i < n; i++) follows.set(`${order[i - 1]}>${order[i]}`, (follows.get(`${order[i - 1]}>${order[i]}`) ?? 0) + 1);
      }
      const each = cycle / n;
      assert.equal(positions.size, n * n);
      for (const [key, count] of positions) assert.equal(count, each, `${key} ran ${count} times`);
      assert.equal(follows.size, n * (n - 1), 'every ordered pair of different contenders occurs');
      for (const [key, count] of follows) assert.equal(count, each, `${key} occurred ${count} times`);
    });
  }

  it('repeats with its cycle, and counts warm-up rounds (negative) back from its end', () => {
    assert.deepEqual(balancedOrder(5, 10), balancedOrder(5, 0));
    assert.deepEqual(balancedOrder(5, -1), balancedOrder(5, 9));
    assert.deepEqual(balancedOrder(4, -1), balancedOrder(4, 3));
  });
});
