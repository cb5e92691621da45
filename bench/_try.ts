import '../libs/register-paths';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchGroupCommit, benchSingleAppends } from './appends';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pc-try-'));
  try {
    const which = process.argv[2] ?? 'ab';
    if (which.includes('a')) console.log(await benchSingleAppends(dir, Number(process.argv[3] ?? 3000), Number(process.argv[4] ?? 300)));
    if (which.includes('b')) console.log(await benchGroupCommit(dir, 64, Number(process.argv[5] ?? 100000)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
main();
