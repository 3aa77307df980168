"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and while React hydrates, true once React owns the page. A form marks itself
 * with it (`data-hydrated`) because React re-applies a textarea's default text when it hydrates:
 * text typed (or a selection made) before that point is overwritten or lands in the wrong place,
 * which is how the RCA editor's e2e tests saved "new text + old text" on a loaded machine.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
