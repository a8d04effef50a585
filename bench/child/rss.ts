// Preloaded with `node --require` when GNU time is not installed: records this process's peak RSS at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS)); // kilobytes, like GNU time's %M
  });
}
