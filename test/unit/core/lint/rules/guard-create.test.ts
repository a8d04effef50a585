import assert from 'node:assert/strict';
import { fixAll, findingsOf, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'guard-create';

describe(RULE, () => {
  useParser();

  it('points at CREATE TYPE', () => {
    assert.equal(
      rendered("CREATE TYPE mood AS ENUM ('sad', 'ok');", RULE),
      lines(
        '001_test.sql:1:1: warning guard-create: CREATE TYPE has no IF NOT EXISTS: running the migration again fails with "already exists"',
        "1 | CREATE TYPE mood AS ENUM ('sad', 'ok');",
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: guard it with a DO block that ignores duplicate_object, so a second run skips it',
      ),
    );
  });

  it('wraps the statement in a DO block that ignores duplicate_object, keeping its lines and indentation', () => {
    const sql = "  CREATE TYPE mood AS ENUM (\n    'sad',\n    'ok'\n  );\nCREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');";
    assert.equal(
      fixAll(sql, RULE),
      [
        '  DO $$',
        '  BEGIN',
        "    CREATE TYPE mood AS ENUM (\n    'sad',\n    'ok'\n  );",
        '  EXCEPTION WHEN duplicate_object THEN NULL;',
        '  END',
        '  $$;',
        'DO $$',
        'BEGIN',
        "  CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');",
        'EXCEPTION WHEN duplicate_object THEN NULL;',
        'END',
        '$$;',
      ].join('\n'),
    );
  });

  it('picks a dollar-quote tag the statement does not use', () => {
    const fixed = fixAll("CREATE TYPE t AS (body text);\nCREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);", RULE);
    assert.match(fixed, /EXCEPTION WHEN duplicate_function THEN NULL;/);
    const withDollars = fixAll("CREATE DOMAIN d AS text DEFAULT $$x$$;", RULE);
    assert.match(withDollars, /^DO \$strata\$\nBEGIN\n {2}CREATE DOMAIN d AS text DEFAULT \$\$x\$\$;\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND\n\$strata\$;$/);
  });

  it('drops a policy first (preferred), with the DO block as the other fix', () => {
    const sql = 'CREATE POLICY own_rows ON app.docs USING (owner = current_user);';
    assert.equal(
      rendered(sql, RULE),
      lines(
        '001_test.sql:1:1: warning guard-create: CREATE POLICY has no IF NOT EXISTS: running the migration again fails with "already exists"',
        '1 | CREATE POLICY own_rows ON app.docs USING (owner = current_user);',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: drop it first with DROP POLICY IF EXISTS (which also applies an edited definition), or guard it with a DO block that ignores duplicate_object',
      ),
    );
    assert.deepEqual(findingsOf(sql, RULE)[0]!.fixes.map((f) => [f.title, f.preferred]), [
      ['Drop the policy first if it exists', true],
      ['Guard with a DO block that ignores duplicate_object', false],
    ]);
    assert.equal(fixAll(sql, RULE), `DROP POLICY IF EXISTS own_rows ON app.docs;\n${sql}`);
  });

  it('covers roles, casts, publications, event triggers, constraint triggers and schemas with elements', () => {
    const sql = [
      'CREATE ROLE reporting;',
      'CREATE CAST (text AS mood) WITH INOUT;',
      'CREATE PUBLICATION pub FOR ALL TABLES;',
      'CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit();',
      'CREATE CONSTRAINT TRIGGER check_it AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION check_it();',
      'CREATE SCHEMA reports CREATE TABLE r (id int);',
      'CREATE TYPE shell;',
    ].join('\n');
    assert.deepEqual(findingsOf(sql, RULE).map((f) => f.message.split(' has ')[0]), [
      'CREATE ROLE', 'CREATE CAST', 'CREATE PUBLICATION', 'CREATE EVENT TRIGGER', 'CREATE CONSTRAINT TRIGGER', 'CREATE SCHEMA', 'CREATE TYPE',
    ]);
    fixAll(sql, RULE);
  });

  it('stays silent on statements that already have an idempotent form, and on guarded ones', () => {
    silent(
      [
        'CREATE TABLE t (id int);',
        'CREATE SCHEMA s;',
        "DO $$ BEGIN CREATE TYPE mood AS ENUM ('sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
        'CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();',
      ].join('\n'),
      RULE,
    );
  });
});
