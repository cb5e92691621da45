import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, sha256Hex, type BlobStore } from '@pc/blob-store';
import {
  ChangeRequestErrors,
  documentDecider,
  ProductErrors,
  toChangeRequestStreamId,
  toDocumentStreamId,
  toProductStreamId,
  type ChangeRequestSubmitted,
  type Principal,
} from '@pc/domain';
import {
  bundleManifestHash,
  bundleSignaturePayload,
  comparePositions,
  EVENT_STORE,
  EVIDENCE_BUNDLE_FORMAT,
  signPayload,
  type BundledContentVersion,
  type BundledDocumentManifest,
  type BundledStream,
  type EventStore,
  type EvidenceBundle,
  type UnsignedBundle,
} from '@pc/event-store';
import { bundleViews, CHANGE_REQUEST_SUMMARIES_COLLECTION, DOCUMENT_REFERENCES_COLLECTION, type ChangeRequestSummary, type DocumentDetails, type DocumentReferenceEntry } from '@pc/projections';
import { READ_STORE, type Filter, type ReadStore } from '@pc/read-store';
import { LogIntegrity } from '../audit/log-integrity';
import { SigningKey } from '../audit/signing-key';
import { CLOCK, type Clock } from '../commands/clock';
import { CommandPipeline, type CommandContext } from '../commands/command-pipeline';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotCaughtUpError } from '../http/problem-details.filter';
import { ProjectionProgress } from '../projections/projection-progress';

export interface BundleRequest {
  readonly productId?: string;
  readonly changeRequestId?: string;
  readonly includeContents: boolean;
  readonly context: CommandContext;
}

const PAGE = 200;

/**
 * Exports everything a dispute needs about a product or a change request as one signed JSON file:
 * the events of the product, its change requests and their documents (and the documents those
 * reference or are referenced by), cut at one log head; the document manifests with their content
 * hashes (and bytes when asked); the read-model views as of that head; the signed head; a manifest
 * hash over all of it, signed. Which entities belong is read from the read models once they have
 * caught up with that head; everything in the file comes from the event and blob stores.
 */
@Injectable()
export class EvidenceBundles {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly progress: ProjectionProgress,
    private readonly integrity: LogIntegrity,
    private readonly signingKey: SigningKey,
    private readonly pipeline: CommandPipeline,
  ) {}

  async export(request: BundleRequest): Promise<EvidenceBundle> {
    const head = await this.eventStore.headPosition();
    if (head !== null && !(await this.progress.waitFor(head, this.config.minPositionWaitMs))) {
      throw new NotCaughtUpError(`The read models have not reached the log head ${head} within ${this.config.minPositionWaitMs} ms; retry shortly`);
    }
    const upToHead = async (streamId: string) => (await this.eventStore.readStream(streamId)).filter((event) => head !== null && comparePositions(event.position, head) <= 0);

    let productId: string;
    let changeRequests: string[];
    const streams = new Map<string, BundledStream>();
    if (request.changeRequestId) {
      const events = await upToHead(toChangeRequestStreamId(request.changeRequestId));
      if (events.length === 0) throw ChangeRequestErrors.notFound(request.changeRequestId);
      streams.set(toChangeRequestStreamId(request.changeRequestId), { streamId: toChangeRequestStreamId(request.changeRequestId), events });
      productId = (events[0] as unknown as ChangeRequestSubmitted).data.productId;
      changeRequests = [request.changeRequestId];
    } else {
      productId = request.productId!;
      changeRequests = (await this.all<ChangeRequestSummary>(CHANGE_REQUEST_SUMMARIES_COLLECTION, { productId }, 'submittedAt')).map(({ id }) => id);
    }
    const productEvents = await upToHead(toProductStreamId(productId));
    if (productEvents.length === 0 && request.productId) throw ProductErrors.notFound(productId);
    if (productEvents.length > 0) streams.set(toProductStreamId(productId), { streamId: toProductStreamId(productId), events: productEvents });
    for (const id of changeRequests) {
      const streamId = toChangeRequestStreamId(id);
      if (!streams.has(streamId)) streams.set(streamId, { streamId, events: await upToHead(streamId) });
    }

    const documents = await this.documentsOf(request.changeRequestId ? [] : [productId], changeRequests);
    for (const id of documents) {
      const streamId = toDocumentStreamId(id);
      const events = await upToHead(streamId);
      if (events.length > 0) streams.set(streamId, { streamId, events });
    }

    const bundled = [...streams.values()].filter((stream) => stream.events.length > 0);
    const views = bundleViews(bundled);
    const manifests = await Promise.all(views.documents.map((document) => this.manifestOf(document, request)));
    const signedHead = await this.integrity.checkpoint({ streams: bundled.map((stream) => stream.streamId), upTo: head });
    const unsigned: UnsignedBundle = {
      format: EVIDENCE_BUNDLE_FORMAT,
      exportedAt: this.clock().toISOString(),
      exportedBy: { id: request.context.principal.id, roles: [...request.context.principal.roles] },
      scope: { ...(request.productId ? { productId: request.productId } : {}), ...(request.changeRequestId ? { changeRequestId: request.changeRequestId } : {}), includeContents: request.includeContents },
      entities: {
        products: productEvents.length > 0 ? [productId] : [],
        changeRequests: changeRequests.filter((id) => streams.get(toChangeRequestStreamId(id))?.events.length),
        documents: views.documents.map((document) => document.id),
      },
      streams: bundled,
      documents: manifests,
      views: views as unknown as EvidenceBundle['views'],
      head: signedHead,
    };
    const manifestHash = bundleManifestHash(unsigned);
    return { ...unsigned, manifest: { algorithm: 'sha256', hash: manifestHash }, signature: signPayload(bundleSignaturePayload(manifestHash), this.signingKey.privateKey) };
  }

  /** Documents cross-referenced to the product or the change requests, and those one reference away from them. */
  private async documentsOf(productIds: readonly string[], changeRequestIds: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    const referencing = async (targetType: string, targetIds: readonly string[]) => {
      for (const targetId of targetIds) {
        for (const entry of await this.all<DocumentReferenceEntry>(DOCUMENT_REFERENCES_COLLECTION, { targetType, targetId }, 'position')) found.add(entry.documentId);
      }
    };
    await referencing('product', productIds);
    await referencing('change_request', changeRequestIds);
    const direct = [...found];
    await referencing('document', direct);
    for (const documentId of direct) {
      for (const entry of await this.all<DocumentReferenceEntry>(DOCUMENT_REFERENCES_COLLECTION, { documentId }, 'position')) {
        if (entry.targetType === 'document') found.add(entry.targetId);
      }
    }
    return [...found].sort();
  }

  private async manifestOf(document: DocumentDetails, request: BundleRequest): Promise<BundledDocumentManifest> {
    const versions: BundledContentVersion[] = [];
    for (const version of document.versions) {
      const base = {
        version: version.version,
        contentHash: version.contentHash,
        size: version.size,
        mediaType: version.mediaType,
        fileName: version.fileName,
        location: version.location,
      };
      if (!request.includeContents || document.status !== 'filed' || version.contentHash === null) {
        versions.push({ ...base, contentIncluded: false });
        continue;
      }
      const bytes = await this.blobs.get(version.contentHash);
      if (bytes === null || sha256Hex(bytes) !== version.contentHash) {
        versions.push({ ...base, contentIncluded: false, contentUnavailable: bytes === null ? 'missing from the blob store' : 'the stored bytes no longer match the hash' });
        continue;
      }
      // Reading a controlled record into a bundle is a retrieval like any other, and recorded as one.
      await this.pipeline.execute(
        toDocumentStreamId(document.id),
        documentDecider,
        { type: 'RecordDocumentRetrieval', documentId: document.id, version: version.version, purpose: 'evidence_bundle' },
        { principal: request.context.principal as Principal, correlationId: request.context.correlationId, causationId: null },
      );
      versions.push({ ...base, contentIncluded: true, content: bytes.toString('base64') });
    }
    return { documentId: document.id, title: document.title, documentClass: document.documentClass, medium: document.medium, status: document.status, versions };
  }

  private async all<T extends { id: string }>(collection: string, filter: Filter, sortField: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: T[]; nextCursor: string | null } = await this.readStore.find<T>(collection, { filter, sort: { field: sortField, direction: 'asc' }, limit: PAGE, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  }
}
