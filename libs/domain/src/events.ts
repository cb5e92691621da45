import type { ChangeRequestEvent } from './change-requests/change-request';
import type { DocumentEvent } from './documents/document';
import type { NotificationEvent } from './notifications/notification';
import type { ProductEvent } from './products/product';

export type AnyDomainEvent = ProductEvent | ChangeRequestEvent | NotificationEvent | DocumentEvent;
export type DomainEventType = AnyDomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }>;

/**
 * The published contract's version of each payload (docs/events.md). A payload change that a
 * subscriber could misread gets a new version; adding an optional field does not.
 * Typed over every event, so a new event cannot be declared without its version.
 */
export const EVENT_SCHEMA_VERSIONS: { readonly [T in DomainEventType]: number } = {
  ProductRegistered: 1,
  ProductStageAdvanced: 1,
  ProductSpecificationAmended: 1,
  ChangeRequestSubmitted: 1,
  ChangeRequestAssessed: 1,
  ChangeRequestPresented: 1,
  ChangeRequestApproved: 1,
  ChangeRequestRejected: 1,
  ChangeRequestImplemented: 1,
  ChangeRequestWithdrawn: 1,
  ApplicantNotified: 1,
  DocumentFiled: 1,
  DocumentVersionAdded: 1,
  DocumentCrossReferenced: 1,
  DocumentContentRetrieved: 1,
  DocumentLegalHoldPlaced: 1,
  DocumentLegalHoldReleased: 1,
  DocumentDisposed: 1,
};

export const isDomainEventType = (type: string): type is DomainEventType => Object.hasOwn(EVENT_SCHEMA_VERSIONS, type);
