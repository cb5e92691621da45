import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assertContentHash, sha256Hex, type BlobInfo, type BlobStore, type PutResult } from '../blob-store.port';

/**
 * Blobs as files named by their hash, fanned out by its first two digits:
 * `<dir>/sha256/ab/abcdef…`. A write goes to a temporary file in the same directory, is
 * fsynced, then renamed into place, so a crash leaves either the whole blob or none of it
 * (a stray `.tmp-*` file is removed by the next write to that directory's hash or ignored).
 */
export class FilesystemBlobStore implements BlobStore {
  private readonly root: string;
  private closed = false;

  constructor(dir: string) {
    this.root = join(dir, 'sha256');
  }

  pathOf(hash: string): string {
    assertContentHash(hash);
    return join(this.root, hash.slice(0, 2), hash);
  }

  async put(bytes: Buffer): Promise<PutResult> {
    this.assertOpen();
    const hash = sha256Hex(bytes);
    const path = this.pathOf(hash);
    const existing = await readFile(path).catch(() => null);
    // A copy damaged on disk is replaced by good bytes rather than trusted for its name.
    if (existing && sha256Hex(existing) === hash) return { hash, size: bytes.length, created: false };
    const dir = join(this.root, hash.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.tmp-${hash}-${randomBytes(6).toString('hex')}`);
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
    return { hash, size: bytes.length, created: true };
  }

  async get(hash: string): Promise<Buffer | null> {
    this.assertOpen();
    return readFile(this.pathOf(hash)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }

  async has(hash: string): Promise<boolean> {
    this.assertOpen();
    return access(this.pathOf(hash), constants.F_OK).then(
      () => true,
      () => false,
    );
  }

  async delete(hash: string): Promise<boolean> {
    this.assertOpen();
    const path = this.pathOf(hash);
    const present = await this.has(hash);
    await rm(path, { force: true });
    return present;
  }

  async *list(): AsyncIterable<BlobInfo> {
    this.assertOpen();
    const fanouts = await readdir(this.root).catch(() => [] as string[]);
    for (const fanout of fanouts.sort()) {
      if (!/^[0-9a-f]{2}$/.test(fanout)) continue;
      const names = await readdir(join(this.root, fanout)).catch(() => [] as string[]);
      for (const name of names.sort()) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const info = await stat(join(this.root, fanout, name)).catch(() => null);
        if (info) yield { hash: name, size: info.size, storedAt: info.mtime.toISOString() };
      }
    }
  }

  async health(): Promise<{ engine: string; status: 'up' | 'down'; detail?: string }> {
    if (this.closed) return { engine: 'filesystem', status: 'down', detail: `${this.root}: closed` };
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
      return { engine: 'filesystem', status: 'up', detail: this.root };
    } catch (error) {
      return { engine: 'filesystem', status: 'down', detail: `${this.root}: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`FilesystemBlobStore ${this.root} is closed`);
  }
}

/** The rename is durable only once the directory entry is; not every platform lets a directory be fsynced. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Windows and some filesystems refuse; the data itself was fsynced.
  } finally {
    await handle.close();
  }
}
