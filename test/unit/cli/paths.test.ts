import assert from 'node:assert/strict';
import { displayPath, pathShower } from '../../../src/cli/project';

describe('pathShower', () => {
  it('prints every path as displayPath does: inside, beside and above the working directory', () => {
    const cwd = '/work/project';
    const show = pathShower(cwd);
    const paths = [
      '/work/project/migrations/001_a.sql',
      '/work/project/migrations/002_b.sql',
      '/work/project/strata.json',
      '/work/project/db/migrations/deep/003_c.sql',
      '/work/other/migrations/001_a.sql',
      '/work/project-two/x.sql',
      '/work/project/..hidden/y.sql',
      '/top.sql',
    ];
    for (const path of [...paths, ...paths]) assert.equal(show(path), displayPath(cwd, path), path);
    assert.equal(show('/work/project/migrations/001_a.sql'), 'migrations/001_a.sql');
    assert.equal(show('/work/other/migrations/001_a.sql'), '/work/other/migrations/001_a.sql');
  });
});
