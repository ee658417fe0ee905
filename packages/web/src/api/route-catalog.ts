import type { RouteDef } from '../http/route.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { invitationRoutes } from './routes/invitations.routes.ts';
import { setupRoutes } from './routes/setup.routes.ts';
import { dedupRoutes } from './routes/dedup.routes.ts';
import { importRoutes } from './routes/imports.routes.ts';
import { extractionRoutes } from './routes/extraction.routes.ts';
import { reportRoutes } from './routes/report.routes.ts';
import { reviewRoutes } from './routes/reviews.routes.ts';
import { prismaRoutes } from './routes/prisma.routes.ts';
import { tokenRoutes } from './routes/tokens.routes.ts';
import { screeningRoutes } from './routes/screening.routes.ts';
import { fullTextRoutes } from './routes/fulltext.routes.ts';
import { fullTextBatchRoutes } from './routes/fulltext-batches.routes.ts';
import { prioritisationRoutes } from './routes/prioritisation.routes.ts';
import { memberRoutes } from './routes/members.routes.ts';
import { reviewSettingsRoutes } from './routes/review-settings.routes.ts';
import { accessRoutes } from './routes/access.routes.ts';
import { recordsLibraryRoutes } from './routes/records-library.routes.ts';
import { recordPageRoutes } from './routes/record-page.routes.ts';
import { manualRecordRoutes } from './routes/manual-record.routes.ts';

/** Every API route. Add one line per feature's route list. */
export const ROUTE_CATALOG: readonly RouteDef[] = [
  ...authRoutes,
  ...setupRoutes,
  ...invitationRoutes,
  ...importRoutes,
  ...recordsLibraryRoutes,
  ...recordPageRoutes,
  ...manualRecordRoutes,
  ...dedupRoutes,
  ...reviewRoutes,
  ...tokenRoutes,
  ...prismaRoutes,
  ...extractionRoutes,
  ...reportRoutes,
  ...screeningRoutes,
  ...fullTextRoutes,
  ...fullTextBatchRoutes,
  ...prioritisationRoutes,
  ...memberRoutes,
  ...reviewSettingsRoutes,
  ...accessRoutes(() => ROUTE_CATALOG),
];
