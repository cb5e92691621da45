import { createHash } from 'node:crypto';

/**
 * The blob store port: document contents kept by their SHA-256, so the same bytes are stored
 * once and any copy can be checked against the hash the event log recorded. Adapters: the
 * filesystem (embedded default, under DATA_DIR/blobs) and MongoDB GridFS.
 *
 * A blob is written before the event that names it; until that event is stored it belongs to
 * nobody (see docs/read-models.md, "Document contents and orphans").
 */
export interface PutResult {
  readonly hash: string;
  readonly size: number;
  /** False when identical bytes were already stored: content addressing reuses them. */
  readonly created: boolean;
}

export interface BlobInfo {
  readonly hash: string;
  readonly size: number;
  /** When this copy was written, ISO 8601. */
  readonly storedAt: string;
}

export interface BlobStore {
  /** Stores the bytes under their SHA-256. A stored copy that no longer matches its name is replaced. */
  put(bytes: Buffer): Promise<PutResult>;
  /** The bytes stored under the hash, as they are now (unchecked), or null. */
  get(hash: string): Promise<Buffer | null>;
  has(hash: string): Promise<boolean>;
  /** True when something was removed. */
  delete(hash: string): Promise<boolean>;
  list(): AsyncIterable<BlobInfo>;
  health(): Promise<{ readonly engine: string; readonly status: 'up' | 'down'; readonly detail?: string }>;
  close(): Promise<void>;
}

export const BLOB_STORE = Symbol('BlobStore');

export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Hashes name files and GridFS entries: anything else is refused before it reaches a path or a query. */
export function assertContentHash(hash: string): void {
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) throw new TypeError(`Not a SHA-256 hex digest: ${JSON.stringify(String(hash).slice(0, 80))}`);
}
