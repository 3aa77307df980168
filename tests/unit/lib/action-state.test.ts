import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ActionState,
  fieldError,
  fieldErrorsOf,
  formMessage,
  idleState,
  valuesOf,
} from "@/lib/auth/action-state";
import { AppError, fromZodError } from "@/lib/errors";

/** The one action result type, read the way every form reads it. */

function errorState(error: AppError, values: Record<string, string> = {}): ActionState<never> {
  return {
    status: "error",
    code: error.code,
    message: error.message,
    fieldErrors: error.fieldErrors ?? {},
    values,
    ...(error.reason ? { reason: error.reason } : {}),
  };
}

describe("lib/auth/action-state", () => {
  it("a zod failure shows beside its fields, not above the form", () => {
    const parsed = z.object({ email: z.email("Enter a valid email address") }).safeParse({
      email: "nope",
    });
    if (parsed.success) throw new Error("expected a failure");
    const state = errorState(fromZodError(parsed.error), { email: "nope" });
    expect(fieldErrorsOf(state)).toEqual({ email: ["Enter a valid email address"] });
    expect(fieldError(state, "email")).toBe("Enter a valid email address");
    expect(formMessage(state)).toBeUndefined();
    expect(valuesOf(state)).toEqual({ email: "nope" });
  });

  it("an error that is not about a field shows above the form with its reason", () => {
    const state = errorState(
      new AppError("unauthenticated", "The email or password is incorrect.", {
        reason: "invalid",
      }),
    );
    expect(formMessage(state)).toBe("The email or password is incorrect.");
    expect(state.status === "error" && state.reason).toBe("invalid");
    expect(fieldErrorsOf(state)).toEqual({});
  });

  it("success shows its message; idle shows nothing", () => {
    const done: ActionState = { status: "success", data: undefined, message: "Sent." };
    expect(formMessage(done)).toBe("Sent.");
    expect(formMessage(idleState)).toBeUndefined();
    expect(fieldErrorsOf(idleState)).toEqual({});
    expect(valuesOf(idleState)).toEqual({});
  });
});
