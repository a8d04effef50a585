// The heavy half of the engine: everything that loads `pg` (about 40 ms) or the PostgreSQL parser
// (WebAssembly). The extension reaches it only through loadEngine(), so activation never pays for it.
export { cancelBackend, checkedTarget, connect, passwordOf, redactSecrets, redactUrl } from '../core/db';
export { inspectAdoption } from '../core/adopt';
export { HistoryTable } from '../core/history';
export { planRun } from '../core/plan';
export { rehearseUp } from '../core/rehearse';
export { baselineTo, repairChecksums } from '../core/repair';
export { migrateDown, migrateUp } from '../core/runner';
export { loadParser } from '../core/sql/parser';
// The parse worker: started by the first large document; the host tests check that the editor's lint used it.
export { parseWorkerRequests, startParseWorker } from '../core/sql/parallel';
export { verifyMigrations } from '../core/verify';
export { ignoreFix, lintMigration } from '../core/lint';
