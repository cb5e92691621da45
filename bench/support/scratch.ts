import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCRATCH_PREFIX = 'pc-bench-';

export class RefusedDataDirError extends Error {
  override readonly name = 'RefusedDataDirError';
}

export interface Scratch {
  /** A directory of this run's own; everything the bench writes goes under it. */
  readonly dir: string;
  /** Removes the directory (and the DATA_DIR the bench created itself, if it did). Safe to call twice. */
  readonly remove: () => void;
}

/**
 * The bench writes millions of events and fsyncs thousands of times: it must never do that into a
 * directory that holds real data by accident. DATA_DIR, when given, must be missing or empty (apart
 * from leftovers of earlier bench runs) unless BENCH_ALLOW_DATA_DIR_WITH_DATA=1 says otherwise; even
 * then the bench only works inside a fresh `pc-bench-*` subdirectory and removes just that.
 */
export function openScratch(env: NodeJS.ProcessEnv): Scratch {
  const requested = env.DATA_DIR?.trim();
  let createdDataDir: string | null = null;
  let parent: string;
  if (requested) {
    parent = resolve(requested);
    const existing = listOrNull(parent);
    if (existing === null) {
      mkdirSync(parent, { recursive: true });
      createdDataDir = parent;
    } else {
      const foreign = existing.filter((name) => !name.startsWith(SCRATCH_PREFIX));
      if (foreign.length > 0 && env.BENCH_ALLOW_DATA_DIR_WITH_DATA !== '1') {
        throw new RefusedDataDirError(
          `DATA_DIR ${parent} already holds ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}: the bench will not run ` +
            'beside real data. Point DATA_DIR at an empty or missing directory, leave it unset for a temporary one, or set ' +
            'BENCH_ALLOW_DATA_DIR_WITH_DATA=1 to work in a subdirectory of it anyway (existing files are never touched).',
        );
      }
    }
  } else {
    parent = tmpdir();
  }
  const dir = mkdtempSync(join(parent, SCRATCH_PREFIX));
  let removed = false;
  return {
    dir,
    remove: () => {
      if (removed) return;
      removed = true;
      rmSync(dir, { recursive: true, force: true });
      // A DATA_DIR the bench made itself goes too, unless something else has appeared in it meanwhile.
      if (createdDataDir && listOrNull(createdDataDir)?.length === 0) rmSync(createdDataDir, { recursive: true, force: true });
    },
  };
}

function listOrNull(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
