import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cacheDirectory } from '../../../src/core/discoveryCache';

describe('cacheDirectory', () => {
  it('is $XDG_CACHE_HOME/strata when XDG_CACHE_HOME is absolute', () => {
    assert.equal(cacheDirectory({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' }), join('/var/cache/me', 'strata'));
  });

  it('ignores a relative XDG_CACHE_HOME, as the XDG specification says, and uses ~/.cache/strata', () => {
    assert.equal(cacheDirectory({ XDG_CACHE_HOME: 'cache', HOME: '/home/me' }), join('/home/me', '.cache', 'strata'));
  });

  it('is null rather than a folder under the working directory when the home directory is not absolute', () => {
    assert.equal(cacheDirectory({ HOME: 'relative/home' }), null);
  });
});
