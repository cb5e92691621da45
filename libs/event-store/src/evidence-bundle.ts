import type { KeyObject } from 'node:crypto';
import type { Actor, RecordedEvent } from './event-store.port';
import { canonicalJson } from './integrity';
import { checkSignature, sha256Hex, verifyStream, type ChainBreak, type Signature, type SignatureCheck, type SignedCheckpoint, type StreamVerification } from './verification';

/**
 * An evidence bundle: everything a dispute needs about some entities, in one JSON file that an
 * outside party verifies with nothing but this code. Its streams are complete from revision 0
 * and end at the signed head; a manifest hash covers the whole file and is itself signed.
 */
export const EVIDENCE_BUNDLE_FORMAT = 'product-coordinator/evidence-bundle@1';
const BUNDLE_SIGNATURE_PURPOSE = 'product-coordinator/evidence-bundle-manifest@1';

export interface BundledStream {
  readonly streamId: string;
  readonly events: readonly RecordedEvent[];
}

export interface BundledContentVersion {
  readonly version: number;
  readonly contentHash: string | null;
  readonly size: number | null;
  readonly mediaType: string | null;
  readonly fileName: string | null;
  readonly location: unknown;
  /** Whether the bytes are in `content`. They are not for paper originals, disposed documents, or unless asked for. */
  readonly contentIncluded: boolean;
  /** Base64 of the bytes, when included. */
  readonly content?: string;
  /** Why content that was asked for is not included (missing or damaged in the blob store). */
  readonly contentUnavailable?: string;
}

export interface BundledDocumentManifest {
  readonly documentId: string;
  readonly title: string;
  readonly documentClass: string;
  readonly medium: string;
  readonly status: string;
  readonly versions: readonly BundledContentVersion[];
}

export interface EvidenceBundle {
  readonly format: typeof EVIDENCE_BUNDLE_FORMAT;
  readonly exportedAt: string;
  readonly exportedBy: Actor;
  readonly scope: { readonly productId?: string; readonly changeRequestId?: string; readonly includeContents: boolean };
  readonly entities: { readonly products: readonly string[]; readonly changeRequests: readonly string[]; readonly documents: readonly string[] };
  readonly streams: readonly BundledStream[];
  readonly documents: readonly BundledDocumentManifest[];
  /** The read-model views of the entities as of the signed head, by collection name. */
  readonly views: Readonly<Record<string, readonly unknown[]>>;
  /** The log head and the heads of exactly the bundled streams, signed. */
  readonly head: SignedCheckpoint;
  readonly manifest: { readonly algorithm: 'sha256'; readonly hash: string };
  /** Signs the manifest hash, and so every byte of the bundle. */
  readonly signature: Signature;
}

export type UnsignedBundle = Omit<EvidenceBundle, 'manifest' | 'signature'>;

/** SHA-256 over the canonical JSON of the bundle without its manifest and signature. */
export function bundleManifestHash(bundle: UnsignedBundle | EvidenceBundle): string {
  const { manifest: _manifest, signature: _signature, ...rest } = bundle as EvidenceBundle;
  return sha256Hex(canonicalJson(rest));
}

export const bundleSignaturePayload = (manifestHash: string) => ({ purpose: BUNDLE_SIGNATURE_PURPOSE, manifestHash });

export interface BundleProblem {
  readonly check: 'format' | 'manifest' | 'signature' | 'head' | 'chain' | 'head_mismatch' | 'content' | 'documents' | 'views' | 'entities';
  readonly detail: string;
  readonly break?: ChainBreak;
}

export interface BundleIntegrity {
  readonly ok: boolean;
  readonly problems: readonly BundleProblem[];
  readonly manifestHash: string | null;
  readonly signature: SignatureCheck | null;
  readonly headSignature: SignatureCheck | null;
  readonly streams: readonly StreamVerification[];
  /** Contents whose bytes were included and hash to what the manifest says. */
  readonly contentsVerified: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Everything about a bundle that needs no knowledge of the domain: the format, the manifest hash,
 * both signatures (by one key, and by the trusted key when given), every stream's chain from
 * revision 0 to exactly its signed head, the streams matching the signed set, and each included
 * content hashing to its declared hash.
 */
export function verifyBundleIntegrity(input: unknown, options: { trustedPublicKey?: KeyObject | null } = {}): BundleIntegrity {
  const problems: BundleProblem[] = [];
  const fail = (check: BundleProblem['check'], detail: string, chainBreak?: ChainBreak) => problems.push({ check, detail, ...(chainBreak ? { break: chainBreak } : {}) });
  const empty = { ok: false, manifestHash: null, signature: null, headSignature: null, streams: [], contentsVerified: 0 };
  if (!isObject(input) || input.format !== EVIDENCE_BUNDLE_FORMAT) {
    fail('format', `Not an evidence bundle of format ${EVIDENCE_BUNDLE_FORMAT}`);
    return { ...empty, problems };
  }
  const bundle = input as unknown as EvidenceBundle;
  if (!Array.isArray(bundle.streams) || !isObject(bundle.head) || !isObject(bundle.manifest) || !Array.isArray(bundle.documents)) {
    fail('format', 'The bundle lacks its streams, documents, head or manifest');
    return { ...empty, problems };
  }

  let manifestHash: string | null = null;
  try {
    manifestHash = bundleManifestHash(bundle);
  } catch (error) {
    fail('manifest', `The bundle cannot be hashed: ${(error as Error).message}`);
  }
  if (manifestHash !== null && manifestHash !== bundle.manifest.hash) {
    fail('manifest', `The bundle's content hashes to ${manifestHash}, not to its manifest hash ${String(bundle.manifest.hash)}: it was edited after export`);
  }
  const signature = checkSignature(bundleSignaturePayload(String(bundle.manifest.hash)), bundle.signature, options.trustedPublicKey);
  if (!signature.valid) fail('signature', `Manifest signature: ${signature.detail}`);
  else if (signature.trusted === false) fail('signature', `Manifest signature: ${signature.detail}`);
  const headSignature = checkSignature(bundle.head.checkpoint, bundle.head.signature, options.trustedPublicKey);
  if (!headSignature.valid) fail('head', `Signed head: ${headSignature.detail}`);
  else if (headSignature.trusted === false) fail('head', `Signed head: ${headSignature.detail}`);
  if (signature.valid && headSignature.valid && signature.keyId !== headSignature.keyId) fail('signature', 'The manifest and the head are signed by different keys');

  const signedStreams = (bundle.head.checkpoint?.streams ?? {}) as Record<string, { revision: number; hash: string }>;
  const streams: StreamVerification[] = [];
  const seen = new Set<string>();
  for (const stream of bundle.streams) {
    const verification = verifyStream(stream.streamId, stream.events);
    streams.push(verification);
    seen.add(stream.streamId);
    if (verification.firstBreak) fail('chain', verification.firstBreak.detail, verification.firstBreak);
    const signedHead = signedStreams[stream.streamId];
    if (!signedHead) fail('head_mismatch', `${stream.streamId} is in the bundle but not in its signed head`);
    else if (!verification.head || verification.head.revision !== signedHead.revision || verification.head.hash !== signedHead.hash) {
      fail(
        'head_mismatch',
        `${stream.streamId} ends at ${verification.head ? `revision ${verification.head.revision} (${verification.head.hash})` : 'no event'}, but the signed head says revision ${signedHead.revision} (${signedHead.hash}): events were removed or added`,
      );
    }
  }
  for (const streamId of Object.keys(signedStreams)) if (!seen.has(streamId)) fail('head_mismatch', `${streamId} is in the signed head but missing from the bundle`);

  let contentsVerified = 0;
  for (const document of bundle.documents) {
    for (const version of document.versions ?? []) {
      if (!version.contentIncluded) continue;
      if (typeof version.content !== 'string' || version.contentHash === null) {
        fail('content', `${document.documentId} v${version.version} claims included content but carries none`);
        continue;
      }
      const actual = sha256Hex(Buffer.from(version.content, 'base64'));
      if (actual !== version.contentHash) fail('content', `The content of ${document.documentId} v${version.version} hashes to ${actual}, not to ${version.contentHash}`);
      else contentsVerified += 1;
    }
  }
  return { ok: problems.length === 0, problems, manifestHash, signature, headSignature, streams, contentsVerified };
}
