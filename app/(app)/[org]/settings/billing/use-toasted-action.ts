"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "@/components/ui/toaster";
import { type ActionState, idleState } from "@/lib/auth/action-state";

type Action = (
  previous: ActionState<undefined>,
  payload: FormData,
) => Promise<ActionState<undefined>>;

/** `useActionState` for the billing forms: a success toasts its message once. */
export function useToastedAction(action: Action) {
  const [state, formAction] = useActionState(action, idleState as ActionState<undefined>);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
  }, [state]);
  return [state, formAction] as const;
}
