import type { Document, DocumentWithJson } from '@pc/read-store';
import type { FastifyReply } from 'fastify';

/** What every entity's read model holds: the entity's revision, which the ETag gives and If-Match expects back. */
interface Revised {
  readonly revision: number;
}

/**
 * Answers with an entity's document as the read store holds it: the revision as the ETag, the JSON text sent as it
 * is instead of parsed and serialized again (docs/performance.md, c). The same bytes as serializing the document.
 */
export function answerWithStoredEntity(response: FastifyReply, stored: DocumentWithJson<Document & Revised>): string {
  response.header('ETag', `"${stored.document.revision}"`);
  response.type('application/json; charset=utf-8');
  return stored.json;
}

/** Answers with an entity built for this request (as of a past moment): the revision as the ETag. */
export function answerWithEntity<T extends Revised>(response: FastifyReply, entity: T): T {
  response.header('ETag', `"${entity.revision}"`);
  return entity;
}
