import type { AppErrorCode, FieldErrors } from "@/lib/errors";

/**
 * What every server action returns, for `useActionState` (the one action result type: the guards
 * in `./guards.ts` build it; zod errors reach it through `fromZodError` in `lib/errors.ts`):
 *
 *   const [state, formAction, pending] = useActionState(inviteMember, idleState);
 *   fieldErrorsOf(state).email?.[0]   // beside the field
 *   formMessage(state)                // one line above the form (not for field-only problems)
 *   valuesOf(state).email             // refill after a failed submit
 *
 * Safe to import from client components (types and small pure helpers only).
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
      /** A finer machine-readable detail than `code`, e.g. sign-in's `unconfirmed` or `locked`. */
      reason?: string;
    };

export const idleState: ActionState<never> = { status: "idle" };

/** The first error message for a field, if any (for `aria-describedby` and inline text). */
export function fieldError(state: ActionState<unknown>, field: string): string | undefined {
  return state.status === "error" ? state.fieldErrors[field]?.[0] : undefined;
}

/** Every field's errors (empty unless the state is an error). */
export function fieldErrorsOf(state: ActionState<unknown>): FieldErrors {
  return state.status === "error" ? state.fieldErrors : {};
}

/** What the person typed last time (empty when there is nothing to refill). */
export function valuesOf(state: ActionState<unknown>): Record<string, string> {
  return state.values ?? {};
}

/**
 * The one-line message for the whole form: an error that is not about a field (a field's own
 * message shows beside it instead), or a success message.
 */
export function formMessage(state: ActionState<unknown>): string | undefined {
  if (state.status === "success") return state.message;
  if (state.status !== "error") return undefined;
  if (state.code === "validation" && Object.keys(state.fieldErrors).length > 0) return undefined;
  return state.message;
}
