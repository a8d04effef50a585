import assert from 'node:assert/strict';
import { lines, rendered, silent, useParser } from '../helpers';

const RULE = 'volatile-default';

describe(RULE, () => {
  useParser();

  it('points at the volatile function call', () => {
    assert.equal(
      rendered('ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();', RULE),
      lines(
        '001_test.sql:1:58: warning volatile-default: DEFAULT gen_random_uuid() is volatile: adding token rewrites all of users under an ACCESS EXCLUSIVE lock',
        '1 | ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
        '  |                                                          ^^^^^^^^^^^^^^^',
        '  = help: add the column without that default, backfill existing rows in batches, then SET DEFAULT for new rows',
      ),
    );
  });

  it('points at a serial type, and finds calls inside expressions and schema-qualified calls', () => {
    assert.equal(
      rendered('ALTER TABLE users ADD COLUMN n bigserial;', RULE),
      lines(
        '001_test.sql:1:32: warning volatile-default: bigserial defaults to nextval(), which is volatile: adding n rewrites all of users under an ACCESS EXCLUSIVE lock',
        '1 | ALTER TABLE users ADD COLUMN n bigserial;',
        '  |                                ^^^^^^^^^',
        '  = help: add the column without that default, backfill existing rows in batches, then SET DEFAULT for new rows',
      ),
    );
    assert.match(rendered("ALTER TABLE users ADD COLUMN r int DEFAULT (random() * 100)::int, ADD COLUMN u uuid DEFAULT public.uuid_generate_v4();", RULE), /DEFAULT random\(\)[\s\S]*DEFAULT public.uuid_generate_v4\(\)/);
  });

  it('stays silent on stable and constant defaults, on SET DEFAULT, and on new tables', () => {
    silent(
      [
        'ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();',
        'ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT CURRENT_TIMESTAMP;',
        "ALTER TABLE users ADD COLUMN status text DEFAULT 'new';",
        'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
        'CREATE TABLE t (id int);',
        'ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid(), ADD COLUMN n serial;',
      ].join('\n'),
      RULE,
    );
  });
});
