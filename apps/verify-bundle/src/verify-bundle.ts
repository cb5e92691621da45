import '../../../libs/register-paths';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkEvidenceBundle } from './bundle-report';

const USAGE = 'Usage: npm run verify-bundle -- <bundle.json> [--public-key <public-key.pem>] [--json]';

/**
 * Verifies an evidence bundle offline — no server, no database — and prints what it proves.
 * Exit code: 0 verified, 1 a check failed, 2 the bundle or key could not be read.
 */
export function main(argv: readonly string[], out: (line: string) => void = console.log): number {
  const args = [...argv];
  let keyFile: string | null = null;
  let json = false;
  const files: string[] = [];
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--public-key') keyFile = args.shift() ?? null;
    else if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      out(USAGE);
      return 0;
    } else files.push(arg);
  }
  if (files.length !== 1 || (keyFile === null && argv.includes('--public-key'))) {
    out(USAGE);
    return 2;
  }
  let bundle: unknown;
  let trustedPublicKey: KeyObject | null = null;
  try {
    bundle = JSON.parse(readFileSync(files[0]!, 'utf8'));
    if (keyFile) trustedPublicKey = createPublicKey(readFileSync(keyFile));
  } catch (error) {
    out(`Cannot read ${keyFile && !(error instanceof SyntaxError) && bundle !== undefined ? keyFile : files[0]}: ${(error as Error).message}`);
    return 2;
  }
  const report = checkEvidenceBundle(bundle, { trustedPublicKey });
  if (json) {
    out(JSON.stringify({ ok: report.ok, problems: report.problems, account: report.lines }, null, 2));
  } else {
    for (const line of report.lines) out(line);
    if (report.ok) out('RESULT: VERIFIED — every event, hash chain, content hash, view and signature checks out.');
    else {
      out(`RESULT: FAILED — ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
      for (const problem of report.problems) out(`  [${problem.check}] ${problem.detail}`);
    }
  }
  return report.ok ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
