/**
 * The bare `pg` floor: what applying a folder of migrations costs with nothing but the driver — the same
 * per-migration work Strata does (its own transaction, a tracking row with checksum and script), without
 * any tool around it. Run as its own process, like the tools: `node floor.js URL DIR separate|one|down`.
 *   separate: BEGIN; the script; INSERT (parameterized); COMMIT — four round trips.
 *   one:      `BEGIN; <script>; INSERT ... VALUES (<literals>); COMMIT;` — one multi-statement round trip.
 *   down:     newest first, `BEGIN; <DOWN>; DELETE ... WHERE version = <literal>; COMMIT;` — one round trip each.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const TABLE = `CREATE TABLE IF NOT EXISTS floor_migrations (
  version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, script text,
  applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT current_user, execution_ms integer NOT NULL)`;

async function main(): Promise<void> {
  const [url, dir, mode] = process.argv.slice(2);
  if (!url || !dir || (mode !== 'separate' && mode !== 'one' && mode !== 'down')) throw new Error('usage: floor URL DIR separate|one|down');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const client = new pg.Client({ connectionString: url, application_name: 'floor' });
  await client.connect();
  if (mode === 'down') {
    for (const file of files.reverse()) {
      const text = readFileSync(join(dir, file), 'utf8');
      const down = text.slice(text.indexOf('-- DOWN\n') + 8);
      const version = client.escapeLiteral(file.slice(0, file.indexOf('_')));
      await client.query(`BEGIN;\n${down}\n;DELETE FROM floor_migrations WHERE version = ${version};COMMIT;`);
    }
    await client.end();
    return;
  }
  await client.query(TABLE);
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const start = text.indexOf('-- UP\n');
    const end = text.indexOf('\n-- DOWN');
    const up = text.slice(start < 0 ? 0 : start + 6, end < 0 ? text.length : end);
    const version = file.slice(0, file.indexOf('_'));
    const name = file.slice(version.length + 1, -4);
    const checksum = createHash('sha256').update(up).digest('hex');
    if (mode === 'separate') {
      await client.query('BEGIN');
      const t = performance.now();
      await client.query(up);
      const ms = Math.round(performance.now() - t);
      await client.query('INSERT INTO floor_migrations (version, name, checksum, script, execution_ms) VALUES ($1, $2, $3, $4, $5)', [
        version,
        name,
        checksum,
        up,
        ms,
      ]);
      await client.query('COMMIT');
    } else {
      const values = [version, name, checksum, up].map((v) => client.escapeLiteral(v)).join(', ');
      await client.query(`BEGIN;\n${up}\n;INSERT INTO floor_migrations (version, name, checksum, script, execution_ms) VALUES (${values}, 0);COMMIT;`);
    }
  }
  await client.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`floor: ${String(error)}\n`);
  process.exitCode = 1;
});
