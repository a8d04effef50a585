import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'create-or-replace';

describe(RULE, () => {
  useParser();

  it('points at CREATE FUNCTION and its name', () => {
    assert.equal(
      rendered('CREATE FUNCTION app.touch(a int) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;', RULE),
      lines(
        '001_test.sql:1:1: warning create-or-replace: CREATE FUNCTION without OR REPLACE fails when the migration runs again',
        '1 | CREATE FUNCTION app.touch(a int) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write CREATE OR REPLACE FUNCTION, so a re-run replaces it with the same definition',
      ),
    );
  });

  it('points at CREATE TRIGGER through its table', () => {
    assert.equal(
      rendered('CREATE TRIGGER touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();', RULE),
      lines(
        '001_test.sql:1:1: warning create-or-replace: CREATE TRIGGER without OR REPLACE fails when the migration runs again',
        '1 | CREATE TRIGGER touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: write CREATE OR REPLACE TRIGGER, so a re-run replaces it with the same definition',
      ),
    );
  });

  it('adds OR REPLACE to functions, procedures, views, triggers, rules, aggregates and BEGIN ATOMIC bodies', () => {
    const sql = [
      "CREATE PROCEDURE p() LANGUAGE sql AS 'select 1';",
      'CREATE VIEW active_users AS SELECT * FROM users WHERE active;',
      'CREATE TRIGGER touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();',
      'CREATE RULE r AS ON INSERT TO t DO NOTHING;',
      'CREATE AGGREGATE total (int) (sfunc = int4pl, stype = int);',
      'create function f() returns int language sql begin atomic select 1; end;',
    ].join('\n');
    assert.equal(
      fixAll(sql, RULE),
      [
        "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS 'select 1';",
        'CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE active;',
        'CREATE OR REPLACE TRIGGER touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();',
        'CREATE OR REPLACE RULE r AS ON INSERT TO t DO NOTHING;',
        'CREATE OR REPLACE AGGREGATE total (int) (sfunc = int4pl, stype = int);',
        'create OR REPLACE function f() returns int language sql begin atomic select 1; end;',
      ].join('\n'),
    );
  });

  it('stays silent on OR REPLACE, temporary views and constraint triggers (which have no OR REPLACE form)', () => {
    silent(
      [
        'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
        'CREATE OR REPLACE VIEW v AS SELECT 1;',
        'CREATE TEMP VIEW tv AS SELECT 1;',
        'CREATE OR REPLACE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();',
        'CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();',
      ].join('\n'),
      RULE,
    );
  });
});
