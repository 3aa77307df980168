"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "@/components/ui/toaster";
import { type ActionState, idleState } from "@/lib/auth/action-state";

/**
 * `useActionState` for a settings form: a success toasts its message once (the ref keeps a
 * re-render of the same state from toasting again); errors stay inline, shown by the form.
 */
export function useToastedAction<T = undefined>(
  action: (previous: ActionState<T>, payload: FormData) => Promise<ActionState<T>>,
) {
  const [state, formAction] = useActionState(action, idleState as ActionState<T>);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
  }, [state]);
  return [state, formAction] as const;
}
