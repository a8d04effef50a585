import assert from 'node:assert/strict';
import { fixAll, lines, rendered, silent, useParser } from '../helpers';

const RULE = 'constraint-missing-not-valid';

describe(RULE, () => {
  useParser();

  it('points at the constraint and names both locked tables of a foreign key', () => {
    assert.equal(
      rendered('ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);', RULE),
      lines(
        '001_test.sql:1:24: warning constraint-missing-not-valid: adding a FOREIGN KEY constraint checks every existing row while blocking writes to orders and users',
        '1 | ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
        '  |                        ^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: add it NOT VALID (new rows are still checked), then VALIDATE CONSTRAINT in a later migration, which allows writes meanwhile',
      ),
    );
  });

  it('adds NOT VALID at the end of each constraint', () => {
    assert.equal(
      fixAll('ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE, ADD CHECK (total >= 0);', RULE),
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID, ADD CHECK (total >= 0) NOT VALID;',
    );
  });

  it('stays silent on NOT VALID, other constraint types, and tables created in the same section', () => {
    silent(
      [
        'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT fk;',
        'ALTER TABLE orders ADD CONSTRAINT u UNIQUE (code);',
        'CREATE TABLE lines (order_id int, qty int);',
        'ALTER TABLE lines ADD CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id), ADD CHECK (qty > 0);',
      ].join('\n'),
      RULE,
    );
  });
});
