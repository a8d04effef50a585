import assert from 'node:assert/strict';
import { DEBOUNCE_MS, lintDelay } from '../../../src/extension/diagnostics/lintDelay';

describe('lintDelay', () => {
  it('waits the debounce after a change while linting is quick', () => {
    assert.equal(lintDelay(DEBOUNCE_MS, undefined), DEBOUNCE_MS);
    assert.equal(lintDelay(DEBOUNCE_MS, 40), DEBOUNCE_MS);
  });

  it('waits twice the last lint for a document slow to lint, so linting takes at most a third of the time', () => {
    assert.equal(lintDelay(DEBOUNCE_MS, 900), 1800);
  });

  it('lints at once when asked to (a refresh, an opened document), however slow', () => {
    assert.equal(lintDelay(0, 900), 0);
  });
});
