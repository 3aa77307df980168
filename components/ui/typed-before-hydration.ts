/**
 * What a person typed into a server-rendered `<textarea>` before React took the page over.
 *
 * When React 19 hydrates a textarea it sets its `value` back to the server's text (react-dom's
 * `initTextarea`), so words typed in the moment between the page showing and the scripts running
 * would be lost, and a selection made then would type into the wrong place (stop 25 saw both in
 * the RCA editor's e2e tests). Inputs are not reset that way; only textareas need this.
 *
 * This module runs when the client bundle is evaluated, which is always before React hydrates the
 * components it holds: it records every textarea already edited, then follows `input` events until
 * React owns the element. `Textarea` calls `restoreTypedText` from its ref, which React calls in
 * the same commit that reset the value, so the person's text and caret come back before they can
 * see them go.
 */
interface Typed {
  value: string;
  start: number;
  end: number;
}

const typed = new WeakMap<HTMLTextAreaElement, Typed>();
const owned = new WeakSet<HTMLTextAreaElement>();

function record(element: HTMLTextAreaElement): void {
  if (owned.has(element)) return;
  if (element.value === element.defaultValue) {
    typed.delete(element);
    return;
  }
  typed.set(element, {
    value: element.value,
    start: element.selectionStart,
    end: element.selectionEnd,
  });
}

function onInput(event: Event): void {
  if (event.target instanceof HTMLTextAreaElement) record(event.target);
}

let watching = false;

/** Starts recording (once per page); a no-op on the server. */
export function watchTypedBeforeHydration(): void {
  if (watching || typeof document === "undefined") return;
  watching = true;
  for (const element of document.querySelectorAll("textarea")) record(element);
  document.addEventListener("input", onInput, true);
}

/** Puts back what was typed into `element` before React hydrated it; React owns it from now on. */
export function restoreTypedText(element: HTMLTextAreaElement): void {
  if (owned.has(element)) return;
  owned.add(element);
  const before = typed.get(element);
  typed.delete(element);
  if (!before || element.value === before.value) return;
  element.value = before.value;
  if (document.activeElement === element) element.setSelectionRange(before.start, before.end);
}

watchTypedBeforeHydration();
