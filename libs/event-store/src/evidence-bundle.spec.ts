import { generateKeyPairSync } from 'node:crypto';
import type { RecordedEvent } from './event-store.port';
import { bundleManifestHash, bundleSignaturePayload, EVIDENCE_BUNDLE_FORMAT, verifyBundleIntegrity, type EvidenceBundle, type UnsignedBundle } from './evidence-bundle';
import { computeEventHash } from './integrity';
import { CHECKPOINT_FORMAT, LogVerifier, sha256Hex, signCheckpoint, signPayload, verifyStream } from './verification';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

function stream(streamId: string, payloads: unknown[], firstPosition: number): RecordedEvent[] {
  let previousHash: string | null = null;
  return payloads.map((data, revision) => {
    const base = {
      eventId: `${streamId}-${revision}`,
      type: 'Happened',
      schemaVersion: 1,
      data,
      metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z' },
    };
    const fields = { streamId, revision, recordedAt: `2025-01-01T00:00:0${revision}.000Z`, previousHash };
    const hash = computeEventHash(base, fields);
    previousHash = hash;
    return { ...base, ...fields, position: String(firstPosition + revision).padStart(16, '0'), hash };
  });
}

function bundle(): EvidenceBundle {
  const content = Buffer.from('the contract');
  const streams = [
    { streamId: 'product-p', events: stream('product-p', [{ n: 1 }, { n: 2 }], 1) },
    { streamId: 'document-d', events: stream('document-d', [{ filed: true }], 3) },
  ];
  const log = new LogVerifier();
  for (const event of streams.flatMap((s) => s.events)) log.add(event);
  const heads = Object.fromEntries(streams.map((s) => [s.streamId, verifyStream(s.streamId, s.events).head!]));
  const unsigned: UnsignedBundle = {
    format: EVIDENCE_BUNDLE_FORMAT,
    exportedAt: '2025-01-02T00:00:00.000Z',
    exportedBy: { id: 'u-aud', roles: ['auditor'] },
    scope: { productId: 'p', includeContents: true },
    entities: { products: ['p'], changeRequests: [], documents: ['d'] },
    streams,
    documents: [
      {
        documentId: 'd',
        title: 'Contract',
        documentClass: 'contract',
        medium: 'electronic',
        status: 'filed',
        versions: [
          {
            version: 1,
            contentHash: sha256Hex(content),
            size: content.length,
            mediaType: 'text/plain',
            fileName: 'c.txt',
            location: null,
            contentIncluded: true,
            content: content.toString('base64'),
          },
        ],
      },
    ],
    views: {},
    head: signCheckpoint({ format: CHECKPOINT_FORMAT, issuedAt: '2025-01-02T00:00:00.000Z', log: log.head(), streams: heads }, privateKey),
  };
  const hash = bundleManifestHash(unsigned);
  return { ...unsigned, manifest: { algorithm: 'sha256', hash }, signature: signPayload(bundleSignaturePayload(hash), privateKey) };
}

const edit = (change: (copy: any) => void): any => {
  const copy = JSON.parse(JSON.stringify(bundle()));
  change(copy);
  return copy;
};
const checksFailing = (input: unknown) => verifyBundleIntegrity(input, { trustedPublicKey: publicKey }).problems.map((problem) => problem.check);

describe('verifyBundleIntegrity', () => {
  it('accepts a bundle as exported, under the trusted key', () => {
    const result = verifyBundleIntegrity(bundle(), { trustedPublicKey: publicKey });
    expect(result).toMatchObject({ ok: true, problems: [], contentsVerified: 1, signature: { valid: true, trusted: true }, headSignature: { valid: true, trusted: true } });
    expect(result.streams.map((s) => [s.streamId, s.eventCount])).toEqual([
      ['product-p', 2],
      ['document-d', 1],
    ]);
  });

  it('refuses what is not a bundle', () => {
    expect(checksFailing({ format: 'something else' })).toEqual(['format']);
    expect(checksFailing(null)).toEqual(['format']);
  });

  it('catches any edit through the manifest hash', () => {
    expect(checksFailing(edit((copy) => (copy.exportedBy.id = 'u-someone')))).toEqual(['manifest']);
  });

  it('catches an edited event even when the editor recomputes the manifest hash', () => {
    const edited = edit((copy) => {
      copy.streams[0].events[1].data.n = 3;
      copy.manifest.hash = bundleManifestHash(copy);
    });
    expect(checksFailing(edited)).toEqual(['signature', 'chain']);
  });

  it('catches a stream cut short, a stream left out, and content that does not match its hash', () => {
    expect(checksFailing(edit((copy) => copy.streams[0].events.pop()))).toEqual(expect.arrayContaining(['head_mismatch']));
    expect(checksFailing(edit((copy) => copy.streams.pop()))).toEqual(expect.arrayContaining(['head_mismatch']));
    expect(checksFailing(edit((copy) => (copy.documents[0].versions[0].content = Buffer.from('forged').toString('base64'))))).toEqual(['manifest', 'content']);
  });

  it('refuses a bundle re-signed with another key than the trusted one', () => {
    const forger = generateKeyPairSync('ed25519');
    const resigned = edit((copy) => (copy.signature = signPayload(bundleSignaturePayload(copy.manifest.hash), forger.privateKey)));
    expect(checksFailing(resigned)).toEqual(['signature', 'signature']);
    expect(verifyBundleIntegrity(resigned).problems.map((problem) => problem.check)).toEqual(['signature']);
  });
});
