import { useEffect, useLayoutEffect, useRef, type MouseEvent } from 'react';

/** Input types that take typed text: keys typed there are the field's, not shortcuts. */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'file',
  'image',
  'range',
  'color',
]);

/** Whether keys typed at `el` are text for it (a text box, a list, an editable area). */
export function takesText(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !NOT_TEXT.has(el.type);
}

/**
 * Calls the latest `onKey` for every keydown (without Ctrl/Meta/Alt) unless focus is in a text
 * field or a modal dialog is open: a checkbox, button or link just clicked keeps the shortcuts working. Esc leaves a text
 * field (focus back to the page).
 *
 * A frame (the PDF beside the full-text form) never hands keys back: once a click puts focus
 * inside it, the page hears no key at all, not even Esc. So while a page with shortcuts is open,
 * focus is taken back from a frame as soon as it moves there: the frame still scrolls, zooms and
 * turns pages with the mouse, and the page keeps the keyboard.
 *
 * The listener is registered once and reads the handler from a ref that is updated in a layout
 * effect, i.e. in the same task as the DOM commit. A listener re-registered in a plain effect
 * runs after paint, so a key pressed between the two (a fast typist, or a test that waits for
 * the DOM) would reach the previous render's handler, one whose record is no longer on screen.
 * Return false from `onKey` to leave the key to the browser.
 */
export function useKeys(onKey: (e: KeyboardEvent) => boolean | void): void {
  const latest = useRef(onKey);
  useLayoutEffect(() => {
    latest.current = onKey;
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      // A modal dialog (signing in again after the session ended) holds the keyboard: the page under it takes no key.
      if (document.querySelector('[aria-modal="true"]')) return;
      const t = e.target instanceof Element ? e.target : null;
      if (takesText(t)) {
        if (e.key === 'Escape') {
          (t as HTMLElement).blur();
          e.preventDefault();
        }
        return;
      }
      if (latest.current(e) !== false) e.preventDefault();
    };
    let timer: number | undefined;
    // The window loses focus to one of its frames (or to another window: then nothing is done).
    // The frame only has focus once this event is over, hence the timer.
    const onBlur = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const active = document.activeElement;
        if (active instanceof HTMLIFrameElement) active.blur();
      }, 0);
    };
    window.addEventListener('keydown', listener);
    window.addEventListener('blur', onBlur);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('keydown', listener);
      window.removeEventListener('blur', onBlur);
    };
  }, []);
}

/**
 * For the onClick of a button whose page also takes keys: a button clicked with the mouse gives
 * the keyboard back to the page. Left focused, it is clicked again by the next Space or Enter
 * (a second vote on the next record). A button reached with Tab and pressed with a key
 * (`detail` 0) keeps its focus, as keyboard users expect.
 */
export function releaseAfterClick(e: MouseEvent<HTMLElement>): void {
  if (e.detail > 0) e.currentTarget.blur();
}
