import { auditEntriesProjection } from './audit-entries/audit-entries.projection';
import { changeRequestDetailsProjection } from './change-request-details/change-request-details.projection';
import { changeRequestListProjection } from './change-request-list/change-request-list.projection';
import { documentDetailsProjection } from './document-details/document-details.projection';
import { documentReferencesProjection } from './document-references/document-references.projection';
import { documentSearchProjection } from './document-search/document-search.projection';
import { productDetailsProjection } from './product-details/product-details.projection';
import type { Projection } from './projection';
import { userNotificationsProjection } from './user-notifications/user-notifications.projection';

export const ALL_PROJECTIONS: readonly Projection[] = [
  productDetailsProjection,
  changeRequestDetailsProjection,
  changeRequestListProjection,
  userNotificationsProjection,
  auditEntriesProjection,
  documentDetailsProjection,
  documentSearchProjection,
  documentReferencesProjection,
] as Projection[];
