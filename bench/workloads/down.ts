import { join } from 'node:path';
import type { BenchContext, ServerRef, WorkloadResult } from '../lib/context';
import { interleave, type Contender } from '../lib/interleave';
import { runChecked } from '../lib/proc';
import { tinyMigrations, writeMigrations, type ToolFormat } from './generate';
import { ratiosOf } from './migrate';

/**
 * down100: roll back N applied migrations. Each tool first applies them with its own `up` into a template
 * database (untimed, once); every run starts from a fresh copy of it. dbmate rolls back one migration per
 * call, so its run is N processes, timed together. The bare-pg floor (child/floor.ts `down`: one round trip
 * per migration, its own transaction each) shows what the server and the wire allow.
 */
export async function down(ctx: BenchContext, ref: ServerRef): Promise<WorkloadResult> {
  const n = ctx.options.sizes.down;
  const id = `down${n}`;
  const { server } = ref;
  const tools = ctx.options.quick ? [ctx.tools.strata, ctx.tools.npm] : [ctx.tools.strata, ctx.tools.dbmate, ctx.tools.npm];
  const dirs: Record<ToolFormat, string> = writeMigrations(join(ctx.work, `${id}-${ref.kind}`), tinyMigrations(n), tools.map((t) => t.id));
  const contenders: Contender[] = [];
  for (const tool of tools) {
    const template = `down_template_${tool.id}`;
    await server.reset(template);
    await runChecked(tool.up(server.url(template), dirs[tool.id]), `${tool.label} up (setup)`);
    const applied = await server.count(template, tool.historyTable);
    if (applied !== n) throw new Error(`${tool.label} setup applied ${applied} of ${n}`);
    await server.close(template);
    contenders.push({
      id: tool.id,
      label: tool.label,
      before: () => server.reset('bench', template),
      commands: () => tool.down(server.url('bench'), dirs[tool.id], n),
      verify: async () => {
        const left = await server.count('bench', tool.historyTable);
        const tables = await server.query<{ n: string }>('bench', `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'`);
        if (left !== 0 || Number(tables[0]!.n) !== 0) throw new Error(`${tool.label} left ${left} rows and ${tables[0]!.n} tables`);
      },
    });
  }
  if (ctx.options.sizes.floors) {
    const template = 'down_template_floor';
    await server.reset(template);
    await runChecked({ cmd: process.execPath, args: [ctx.bundles.floor, server.url(template), dirs.strata, 'one'] }, 'floor up (setup)');
    await server.close(template);
    contenders.push({
      id: 'floor1',
      label: 'bare pg, 1 round trip',
      before: () => server.reset('bench', template),
      commands: () => [{ cmd: process.execPath, args: [ctx.bundles.floor, server.url('bench'), dirs.strata, 'down'] }],
      verify: async () => {
        const left = await server.count('bench', 'floor_migrations');
        const tables = await server.query<{ n: string }>('bench', `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'`);
        if (left !== 0 || Number(tables[0]!.n) !== 0) throw new Error(`floor left ${left} rows and ${tables[0]!.n} tables`);
      },
    });
  }
  ctx.log(`${id} (${ref.kind})`);
  const measured = await interleave(contenders, { warmup: ctx.options.warmup, runs: ctx.options.runs, log: ctx.log, title: id, ...(ctx.options.quick ? {} : { trace: { server: ref.server, counter: ref.counter } }) });
  for (const tool of tools) await server.drop(`down_template_${tool.id}`);
  await server.drop('down_template_floor');
  await server.drop('bench');
  return { kind: 'down', id, title: `roll back ${n} migrations`, server: ref.kind, tools: measured, ratios: ratiosOf(measured), values: { migrations: n }, notes: [] };
}
