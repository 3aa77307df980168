import { describe, expect, it } from "vitest";
import {
  NotFoundError,
  OutOfStockError,
  PaymentUnavailableError,
  ValidationError,
  errorBody,
  statusFor,
} from "../src/http/errors.js";

describe("statusFor", () => {
  it("maps the error model to status codes", () => {
    expect(statusFor(new ValidationError("bad"))).toBe(422);
    expect(statusFor(new NotFoundError("Cart"))).toBe(404);
    expect(statusFor(new OutOfStockError("A", 0))).toBe(409);
    expect(statusFor(new PaymentUnavailableError())).toBe(502);
    expect(statusFor(new Error("boom"))).toBe(500);
  });

  it("never leaks an unexpected error's message", () => {
    expect(errorBody(new Error("connection string postgres://…"))).toEqual({
      error: { code: "internal", message: "Something went wrong on our side" },
    });
  });
});
