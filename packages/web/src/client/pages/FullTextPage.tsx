import { FullTextBulk } from './FullTextBulk.tsx';
import { ScreeningPage } from './ScreeningPage.tsx';

export function FullTextPage({ review }: { review: string }) {
  return (
    <>
      <ScreeningPage review={review} stage="full-text" />
      <div className="page-extra">
        <FullTextBulk review={review} />
      </div>
    </>
  );
}
