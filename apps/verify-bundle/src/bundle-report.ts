import type { KeyObject } from 'node:crypto';
// The pure modules themselves, not the libraries' entry points: the verifier loads no database driver.
import { canonicalJson } from '../../../libs/event-store/src/integrity';
import { verifyBundleIntegrity, type BundleIntegrity, type BundleProblem, type EvidenceBundle } from '../../../libs/event-store/src/evidence-bundle';
import { bundleViews } from '../../../libs/projections/src/evidence/bundle-views';

/** What a verified bundle proves, for the report. */
export interface BundleReport {
  readonly ok: boolean;
  readonly problems: readonly BundleProblem[];
  readonly integrity: BundleIntegrity;
  readonly lines: readonly string[];
}

interface ViewLike {
  readonly id: string;
  readonly [field: string]: unknown;
}

const viewsOf = (bundle: EvidenceBundle, collection: string): ViewLike[] => ((bundle.views?.[collection] ?? []) as ViewLike[]).slice();

/**
 * Checks a bundle as an outside party can, with nothing but the file (and, ideally, the public
 * key they were given): its integrity (manifest, signatures, chains to the signed head,
 * contents), then that its views and document manifests follow from its own events, and that
 * every entity it names has its stream. Returns the problems and a human-readable account.
 */
export function checkEvidenceBundle(input: unknown, options: { trustedPublicKey?: KeyObject | null } = {}): BundleReport {
  const integrity = verifyBundleIntegrity(input, options);
  const problems: BundleProblem[] = [...integrity.problems];
  const lines: string[] = [];
  if (integrity.problems.some((problem) => problem.check === 'format')) return { ok: false, problems, integrity, lines: ['Not a readable evidence bundle.'] };
  const bundle = input as EvidenceBundle;

  // The views must be what the projections make of the bundle's own events.
  let recomputed: Record<string, ViewLike[]> = {};
  try {
    recomputed = bundleViews(bundle.streams) as unknown as Record<string, ViewLike[]>;
  } catch (error) {
    problems.push({ check: 'views', detail: `The views cannot be rebuilt from the events: ${(error as Error).message}` });
  }
  for (const [collection, expected] of Object.entries(recomputed)) {
    const given = new Map(viewsOf(bundle, collection).map((view) => [view.id, view]));
    for (const view of expected) {
      const shown = given.get(view.id);
      if (!shown) problems.push({ check: 'views', detail: `The ${collection} view of ${view.id} is missing` });
      else if (canonicalJson(shown) !== canonicalJson(view)) problems.push({ check: 'views', detail: `The ${collection} view of ${view.id} does not follow from its events: it was edited` });
      given.delete(view.id);
    }
    for (const id of given.keys()) problems.push({ check: 'views', detail: `The ${collection} view of ${id} has no events behind it` });
  }
  for (const collection of Object.keys(bundle.views ?? {})) {
    if (!(collection in recomputed)) problems.push({ check: 'views', detail: `Unknown view collection ${collection}` });
  }

  // Each document manifest must list exactly the versions and hashes its events record.
  const documentViews = new Map((recomputed.documents ?? []).map((view) => [view.id, view]));
  for (const manifest of bundle.documents) {
    const view = documentViews.get(manifest.documentId) as { versions: Array<{ version: number; contentHash: string | null; size: number | null }>; status: string; title: string } | undefined;
    if (!view) {
      problems.push({ check: 'documents', detail: `Document ${manifest.documentId} has a manifest but no events` });
      continue;
    }
    const recorded = view.versions.map(({ version, contentHash, size }) => ({ version, contentHash, size }));
    const listed = manifest.versions.map(({ version, contentHash, size }) => ({ version, contentHash, size }));
    if (canonicalJson(recorded) !== canonicalJson(listed)) problems.push({ check: 'documents', detail: `The manifest of document ${manifest.documentId} does not list the versions and hashes its events record` });
    if (manifest.status !== view.status || manifest.title !== view.title) problems.push({ check: 'documents', detail: `The manifest of document ${manifest.documentId} misstates its title or status` });
    if (view.status === 'disposed' && manifest.versions.some((version) => version.contentIncluded)) {
      problems.push({ check: 'documents', detail: `Document ${manifest.documentId} was disposed of, yet the bundle carries its content` });
    }
  }
  const streamIds = new Set(bundle.streams.map((stream) => stream.streamId));
  const named = [
    ...bundle.entities.products.map((id) => `product-${id}`),
    ...bundle.entities.changeRequests.map((id) => `change-request-${id}`),
    ...bundle.entities.documents.map((id) => `document-${id}`),
  ];
  for (const streamId of named) if (!streamIds.has(streamId)) problems.push({ check: 'entities', detail: `${streamId} is named as an entity but its events are not in the bundle` });

  // The account of what it proves.
  const signature = integrity.signature;
  const { log, issuedAt } = bundle.head.checkpoint;
  const events = integrity.streams.reduce((sum, stream) => sum + stream.eventCount, 0);
  const times = integrity.streams.flatMap((stream) => [stream.firstRecordedAt, stream.lastRecordedAt]).filter((at): at is string => at !== null).sort();
  lines.push(`Evidence bundle exported ${bundle.exportedAt} by ${bundle.exportedBy.id} (${bundle.exportedBy.roles.join(', ')}), scope ${bundle.scope.productId ? `product ${bundle.scope.productId}` : `change request ${bundle.scope.changeRequestId}`}`);
  lines.push(
    signature?.valid
      ? `Signed with Ed25519 key ${signature.keyId}${signature.trusted === true ? ' — the trusted key given' : signature.trusted === false ? ' — NOT the trusted key given' : ' (embedded in the bundle: compare this key id with the one you were given, or pass --public-key)'}`
      : 'Signature: INVALID',
  );
  lines.push(`Signed log head: ${log.eventCount} events up to position ${String(log.headPosition)}, log hash ${String(log.logHash)}, issued ${issuedAt}`);
  lines.push(`Manifest hash: ${String(integrity.manifestHash)} (${integrity.manifestHash === bundle.manifest.hash ? 'matches' : 'DOES NOT MATCH'})`);
  lines.push('Entities:');
  for (const product of viewsOf(bundle, 'products')) lines.push(`  product ${product.id} ${JSON.stringify(product.name)} (SKU ${String(product.sku)}, stage ${String(product.stage)})`);
  for (const changeRequest of viewsOf(bundle, 'change_requests')) lines.push(`  change request ${changeRequest.id} ${JSON.stringify(changeRequest.title)} (${String(changeRequest.status)})`);
  for (const document of viewsOf(bundle, 'documents')) {
    const versions = (document.versions as unknown[] | undefined)?.length ?? 0;
    lines.push(`  document ${document.id} ${JSON.stringify(document.title)} (${String(document.documentClass)}, ${String(document.status)}, ${versions} version${versions === 1 ? '' : 's'})`);
  }
  lines.push(`Time span: ${times[0] ?? '—'} to ${times.at(-1) ?? '—'}`);
  lines.push(`Hash chains: ${integrity.streams.length} streams, ${events} events, each from revision 0 to its signed head:`);
  for (const stream of integrity.streams) {
    const ok = stream.firstBreak === null && !problems.some((problem) => problem.check === 'head_mismatch' && problem.detail.startsWith(`${stream.streamId} `));
    lines.push(`  ${ok ? 'verified' : 'BROKEN  '} ${stream.streamId} revisions 0–${stream.head?.revision ?? '-'} (${stream.eventCount} event${stream.eventCount === 1 ? '' : 's'}, head ${stream.head?.hash.slice(0, 16) ?? '-'}…)`);
  }
  const withContent = bundle.documents.flatMap((document) => document.versions).filter((version) => version.contentHash !== null);
  lines.push(`Contents: ${integrity.contentsVerified} of ${withContent.length} electronic versions included and matching their SHA-256; the others are named by hash only`);
  lines.push(`Views: ${Object.entries(recomputed).map(([collection, list]) => `${collection} (${list.length})`).join(', ')} rebuilt from the events and compared`);
  return { ok: problems.length === 0, problems, integrity, lines };
}
