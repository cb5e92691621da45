import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { expectWrite, headPosition, poll, type WriteAnswer } from './api';
import type { TestApp } from './test-app';
import type { TestUser } from './test-users';

/** Helpers for the document, audit-integrity and evidence suites. */

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export const blobPath = (t: TestApp, hash: string): string => join(t.dataDir, 'blobs', 'sha256', hash.slice(0, 2), hash);

export interface DocumentMetadata {
  documentClass?: string;
  title?: string;
  author?: string;
  documentDate?: string;
  tags?: string[];
  references?: Array<{ targetType: string; targetId: string; relation: string }>;
  location?: { site: string; cabinet: string; box: string };
}

export const metadataOf = (metadata: DocumentMetadata = {}) => ({
  documentClass: 'other',
  title: 'Meeting notes',
  author: 'Cora Coordinator',
  ...metadata,
});

/** POST /api/documents as multipart: the bytes as `file`, the metadata as a JSON `metadata` part. */
export function uploadDocument(t: TestApp, bytes: Buffer | string, metadata: DocumentMetadata = {}, options: { user?: TestUser; fileName?: string; contentType?: string } = {}) {
  return t
    .as(options.user ?? 'coordinator')
    .request('post', '/api/documents')
    .field('metadata', JSON.stringify(metadataOf(metadata)))
    .attach('file', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), { filename: options.fileName ?? 'notes.txt', contentType: options.contentType ?? 'text/plain' });
}

export async function fileDocument(t: TestApp, bytes: Buffer | string, metadata: DocumentMetadata = {}): Promise<WriteAnswer> {
  return expectWrite(await uploadDocument(t, bytes, metadata), 201);
}

export async function filePaperOriginal(t: TestApp, metadata: DocumentMetadata = {}): Promise<WriteAnswer> {
  return expectWrite(
    await t.as('coordinator').post('/api/documents', metadataOf({ documentClass: 'contract', title: 'Signed supply contract', location: { site: 'Lyon', cabinet: 'C-7', box: '12' }, ...metadata })),
    201,
  );
}

export function uploadVersion(t: TestApp, documentId: string, bytes: Buffer | string, note?: string) {
  const request = t.as('coordinator').request('post', `/api/documents/${documentId}/versions`);
  if (note !== undefined) request.field('metadata', JSON.stringify({ note }));
  return request.attach('file', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), { filename: 'v.txt', contentType: 'text/plain' });
}

/** Reads once the read models include everything written so far. */
export async function readAfterHead(t: TestApp, user: TestUser, path: string, query: Record<string, string | number | string[]> = {}): Promise<Response> {
  const head = await headPosition(t);
  const request = t.as(user).get(path).query(query);
  return head ? request.set('X-Min-Position', head) : request;
}

/** Collects a binary response body as a Buffer. */
export const binary = (response: { on: (event: string, listener: (chunk?: Buffer) => void) => void; setEncoding?: (encoding: string) => void }, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk?: Buffer) => chunks.push(chunk!));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** GET …/content with the body as a Buffer; a problem answer keeps its text, for expectProblem. */
export async function downloadContent(t: TestApp, user: TestUser, documentId: string, version?: number): Promise<Response & { body: Buffer }> {
  const request = t.as(user).get(`/api/documents/${documentId}/content`).buffer(true).parse(binary as never);
  const response = await (version === undefined ? request : request.query({ version }));
  if (Buffer.isBuffer(response.body) && /json/.test(String(response.headers['content-type']))) (response as { text: string }).text = response.body.toString('utf8');
  return response as Response & { body: Buffer };
}

/** Waits until the automatic filing process has filed the record of a closed change request. */
export async function filedRecordOf(t: TestApp, changeRequestId: string): Promise<Record<string, any>> {
  return poll(async () => {
    const listed = await readAfterHead(t, 'auditor', `/api/change-requests/${changeRequestId}/documents`);
    if (listed.status !== 200) return undefined;
    return (listed.body.items as Array<Record<string, any>>).find((item) => item.document?.documentClass === 'change_request_record');
  }, `the filed record of ${changeRequestId}`);
}
