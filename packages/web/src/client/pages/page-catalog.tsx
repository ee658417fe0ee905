import type { ReactNode } from 'react';
import { DashboardPage } from './DashboardPage.tsx';
import { ScreeningStagePage } from './ScreeningPage.tsx';
import { FullTextPage } from './FullTextPage.tsx';
import { ConflictsPage } from './ConflictsPage.tsx';
import { CodingPage } from './CodingPage.tsx';
import { ExtractionConsensusPage } from './ExtractionConsensusPage.tsx';
import { ExtractionPage } from './ExtractionPage.tsx';
import { DuplicatesPage } from './DuplicatesPage.tsx';
import { ImportsPage } from './ImportsPage.tsx';
import { ReviewsPage } from './ReviewsPage.tsx';
import { PrismaPage } from './PrismaPage.tsx';
import { PrismaBoxPage } from './PrismaBoxPage.tsx';
import { PrismaSearchesPage } from './PrismaSearchesPage.tsx';
import { PrioritisationPage } from './PrioritisationPage.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { InvitePage } from './InvitePage.tsx';
import { MembersPage } from './MembersPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';
import { RecordsPage } from './RecordsPage.tsx';
import { RecordPage } from './RecordPage.tsx';
import { ReportPage } from './ReportPage.tsx';

export interface PageDef {
  /** Path pattern, e.g. `/reviews/:review/screening/:stage`. */
  path: string;
  render(params: Record<string, string>): ReactNode;
  /** Shown in the review's navigation bar when set (for paths under /reviews/:review). */
  nav?: string;
  /** The API action the page is built on (`GET /reviews/:review/...`): members who cannot call it do not see the nav entry. */
  needs?: string;
}

/** Every page of the web app. Add one entry per feature page. */
export const PAGE_CATALOG: readonly PageDef[] = [
  { path: '/', render: () => <ReviewsPage /> },
  { path: '/account/password', render: () => <ChangePasswordPage /> },
  { path: '/invite/:token', render: (p) => <InvitePage token={p.token!} /> },
  { path: '/reviews/:review', render: (p) => <DashboardPage review={p.review!} />, nav: 'Dashboard' },
  {
    path: '/reviews/:review/records',
    render: (p) => <RecordsPage review={p.review!} />,
    nav: 'Records',
    needs: 'GET /reviews/:review/records',
  },
  {
    path: '/reviews/:review/records/:recordId',
    // Keyed by the record: a link to a duplicate's page starts afresh (no note draft or message carried over).
    render: (p) => <RecordPage key={p.recordId} review={p.review!} recordId={p.recordId!} />,
  },
  {
    path: '/reviews/:review/screening',
    render: (p) => <ScreeningStagePage review={p.review!} />,
    nav: 'Screening',
    needs: 'GET /reviews/:review/stages/:stage/next',
  },
  {
    path: '/reviews/:review/full-text',
    render: (p) => <FullTextPage review={p.review!} />,
    nav: 'Full text',
    needs: 'GET /reviews/:review/stages/:stage/next',
  },
  {
    path: '/reviews/:review/conflicts',
    render: (p) => <ConflictsPage review={p.review!} />,
    nav: 'Conflicts',
    needs: 'GET /reviews/:review/conflicts',
  },
  { path: '/reviews/:review/members', render: (p) => <MembersPage review={p.review!} />, nav: 'Members' },
  {
    path: '/reviews/:review/imports',
    // The page body is a section (the dashboard may embed it): main gives it the page margins.
    render: (p) => (
      <main>
        <ImportsPage review={p.review!} />
      </main>
    ),
    nav: 'Imports',
  },
  {
    path: '/reviews/:review/duplicates',
    render: (p) => <DuplicatesPage review={p.review!} />,
    nav: 'Duplicates',
  },
  {
    path: '/reviews/:review/prisma',
    render: (p) => <PrismaPage review={p.review!} />,
    nav: 'PRISMA',
    needs: 'GET /reviews/:review/prisma',
  },
  { path: '/reviews/:review/prisma/searches', render: (p) => <PrismaSearchesPage review={p.review!} /> },
  {
    path: '/reviews/:review/prisma/box/:key',
    render: (p) => <PrismaBoxPage review={p.review!} box={p.key!} />,
  },
  {
    path: '/reviews/:review/prioritisation',
    render: (p) => (
      <main>
        <PrioritisationPage review={p.review!} />
      </main>
    ),
    nav: 'Prioritisation',
  },
  {
    path: '/reviews/:review/extraction',
    render: (p) => <ExtractionPage review={p.review!} />,
    nav: 'Extraction',
  },
  {
    path: '/reviews/:review/report',
    render: (p) => <ReportPage review={p.review!} />,
    nav: 'Report',
    needs: 'GET /reviews/:review/report',
  },
  {
    path: '/reviews/:review/settings',
    render: (p) => <SettingsPage review={p.review!} />,
    nav: 'Settings',
    needs: 'PATCH /reviews/:review',
  },
  {
    path: '/reviews/:review/extraction/:study',
    render: (p) => <CodingPage review={p.review!} study={p.study!} />,
  },
  {
    path: '/reviews/:review/extraction/:study/consensus',
    render: (p) => <ExtractionConsensusPage review={p.review!} study={p.study!} />,
  },
];
