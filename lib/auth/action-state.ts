import type { AppErrorCode, FieldErrors } from "@/lib/errors";

/**
 * What every server action returns, for `useActionState`:
 *
 *   const [state, formAction, pending] = useActionState(inviteMember, idleState);
 *   state.status === "error" && state.fieldErrors.email?.[0]   // beside the field
 *   state.status === "error" && state.message                  // one line above the form
 *   state.values?.email                                        // refill after a failed submit
 *
 * Safe to import from client components (types and one constant only).
 */
export type ActionState<T = undefined> =
  | { status: "idle"; values?: Record<string, string> }
  | { status: "success"; data: T; message?: string; values?: Record<string, string> }
  | {
      status: "error";
      code: AppErrorCode;
      message: string;
      fieldErrors: FieldErrors;
      /** What the person typed (never passwords, tokens or codes), to refill the form. */
      values: Record<string, string>;
    };

export const idleState: ActionState<never> = { status: "idle" };

/** The first error message for a field, if any (for `aria-describedby` and inline text). */
export function fieldError(state: ActionState<unknown>, field: string): string | undefined {
  return state.status === "error" ? state.fieldErrors[field]?.[0] : undefined;
}
