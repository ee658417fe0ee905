import { ScreeningPage } from './ScreeningPage.tsx';

export function FullTextPage({ review }: { review: string }) {
  return <ScreeningPage review={review} stage="full-text" />;
}
