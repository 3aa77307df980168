import type { z } from "zod";

/** What a server action hands back to its form through `useActionState`. */
export interface FormState {
  status: "idle" | "error" | "success";
  /** A message for the whole form (shown in an alert above the fields). */
  message?: string;
  /** Errors per field name, shown beside the field. */
  fieldErrors?: Record<string, string[] | undefined>;
  /** What the user typed (never passwords), so a failed submit does not clear the form. */
  values?: Record<string, string>;
  /** Extra machine-readable detail for the form, e.g. `unconfirmed` to offer a resend. */
  code?: string;
}

export const initialFormState: FormState = { status: "idle" };

/** The zod errors of a failed parse, per field, in the shape forms show. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    const list = out[key] ?? [];
    list.push(issue.message);
    out[key] = list;
  }
  return out;
}

/** Reads string fields from a form, ignoring files and missing fields. */
export function formValues(formData: FormData, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = formData.get(n);
    if (typeof v === "string") out[n] = v;
  }
  return out;
}
