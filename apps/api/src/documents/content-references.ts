import type { EventStore, RecordedEvent } from '@pc/event-store';
import type { DocumentEvent } from '@pc/domain';
import { parseStreamId } from '@pc/projections';

/** One electronic version's content as the log records it. */
export interface ContentReference {
  readonly documentId: string;
  readonly version: number;
  readonly contentHash: string;
}

/**
 * Which content hashes the log names, folded from the document events in one pass: those of
 * documents still filed ("live": their blob must be there and intact) and those of disposed
 * documents (their blob is to be gone). The log, not a read model, is the authority on what a
 * blob belongs to.
 */
export class ContentReferenceIndex {
  private readonly versions = new Map<string, ContentReference[]>();
  private readonly disposed = new Set<string>();

  /** `only`: the hashes asked about; versions naming other content are not kept. Default: every hash. */
  constructor(private readonly only: ReadonlySet<string> | null = null) {}

  add(event: RecordedEvent): void {
    const { category, entityId: documentId } = parseStreamId(event.streamId);
    if (category !== 'document') return;
    const domainEvent = event as unknown as DocumentEvent;
    switch (domainEvent.type) {
      case 'DocumentFiled':
        if (domainEvent.data.content) this.keep(documentId, 1, domainEvent.data.content.contentHash);
        break;
      case 'DocumentVersionAdded':
        if (domainEvent.data.content) this.keep(documentId, domainEvent.data.version, domainEvent.data.content.contentHash);
        break;
      case 'DocumentDisposed':
        this.disposed.add(documentId);
        break;
      default:
        break;
    }
  }

  /** Versions whose content must be stored, document by document. */
  live(): ContentReference[] {
    return [...this.versions.entries()].filter(([documentId]) => !this.disposed.has(documentId)).flatMap(([, versions]) => versions);
  }

  liveHashes(): Set<string> {
    return new Set(this.live().map((reference) => reference.contentHash));
  }

  private keep(documentId: string, version: number, contentHash: string): void {
    if (this.only !== null && !this.only.has(contentHash)) return;
    this.versions.set(documentId, [...(this.versions.get(documentId) ?? []), { documentId, version, contentHash }]);
  }
}

const PAGE = 1000;

export interface LogScan {
  /** The last position read (default: the head when the scan gets there). */
  readonly upTo?: string | null;
  /** Only the events of these streams (ReadAllOptions.streamPrefix); default: every stream. */
  readonly streamPrefix?: string;
}

/** Reads the log once, in pages, feeding each event to every consumer. */
export async function scanLog(eventStore: EventStore, consumers: ReadonlyArray<(event: RecordedEvent) => void>, { upTo = null, streamPrefix }: LogScan = {}): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const page = await eventStore.readAll({ after, limit: PAGE, streamPrefix });
    for (const event of page) {
      if (upTo !== null && event.position > upTo) return;
      for (const consume of consumers) consume(event);
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.position;
  }
}
