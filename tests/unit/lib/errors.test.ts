import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AppError,
  codeFromPostgres,
  errorBody,
  errorResponse,
  fromZodError,
  toAppError,
} from "@/lib/errors";

describe("lib/errors", () => {
  it("maps codes to HTTP statuses", () => {
    expect(new AppError("not_found").status).toBe(404);
    expect(new AppError("validation").status).toBe(422);
    expect(new AppError("unauthenticated").status).toBe(401);
    expect(new AppError("forbidden").status).toBe(403);
    expect(new AppError("gone").status).toBe(410);
  });

  it("turns a zod error into one human line and per-field messages", () => {
    const schema = z.object({ email: z.email("Enter a valid email address"), role: z.enum(["a"]) });
    const result = schema.safeParse({ email: "nope", role: "b" });
    if (result.success) throw new Error("expected failure");
    const error = fromZodError(result.error);
    expect(error.code).toBe("validation");
    expect(error.status).toBe(422);
    expect(error.message).toBe("Email: Enter a valid email address (and 1 more problem)");
    expect(error.message).not.toContain("\n");
    expect(error.fieldErrors?.email).toEqual(["Enter a valid email address"]);
    expect(error.fieldErrors?.role).toHaveLength(1);
    expect(toAppError(result.error).code).toBe("validation");
  });

  it("maps our RPC codes (PTxyz) with their message, and Postgres codes without theirs", () => {
    const notYours = toAppError({ code: "PT404", message: "Workspace not found" });
    expect(notYours.code).toBe("not_found");
    expect(notYours.message).toBe("Workspace not found");
    const taken = toAppError({ code: "23505", message: 'duplicate key value violates "x_key"' });
    expect(taken.code).toBe("conflict");
    expect(taken.message).not.toContain("duplicate key");
    expect(codeFromPostgres("42501")).toBe("forbidden");
    expect(codeFromPostgres("PT410")).toBe("gone");
    expect(codeFromPostgres("PGRST116")).toBe("not_found");
    expect(codeFromPostgres("XX000")).toBe("internal");
  });

  it("hides unexpected errors behind a generic message", () => {
    const error = toAppError(new Error("connection to 10.0.0.5 failed: password=hunter2"));
    expect(error.code).toBe("internal");
    expect(error.status).toBe(500);
    expect(error.message).not.toMatch(/10\.0\.0\.5|hunter2/);
    expect(JSON.stringify(errorBody(error))).not.toMatch(/hunter2|stack/);
  });

  it("answers with a JSON body and the right status", async () => {
    const response = errorResponse(new AppError("not_found", "Workspace not found"));
    expect(response.status).toBe(404);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: "Workspace not found" },
    });
  });
});
