import type { Page } from 'playwright-core';
import { waitUntil } from '../screening-fixtures.ts';

/**
 * Chromium's own PDF viewer has opened the file in the frame: its extension page (a child frame of
 * the iframe) reports the document's page count in its toolbar once the PDF has loaded and parsed.
 */
export async function viewerShows(page: Page, src: string, pages: number): Promise<void> {
  await waitUntil(
    async () => {
      const viewer = page
        .frames()
        .find((f) => f.url().startsWith('chrome-extension://') && f.parentFrame()?.url().endsWith(src));
      if (!viewer) return false;
      const n = await viewer
        .evaluate(
          `document.querySelector('pdf-viewer')?.shadowRoot?.querySelector('viewer-toolbar')?.shadowRoot?.querySelector('viewer-page-selector')?.docLength ?? 0`,
        )
        .catch(() => 0);
      return n === pages;
    },
    20_000,
    `Chromium's PDF viewer showing ${src}`,
  );
}
