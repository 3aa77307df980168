/**
 * The API's error model. Handlers throw these; `statusFor` picks the status code in one place
 * and `errorBody` the JSON body (`web/src/api.ts` picks the shopper's message by status).
 */
export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("invalid_request", message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = "Please sign in to continue") {
    super("unauthorized", message);
  }
}

export class ConflictError extends HttpError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class OutOfStockError extends ConflictError {
  constructor(readonly sku: string, readonly available: number) {
    super("out_of_stock", `Only ${available} left of ${sku}`, { sku, available });
  }
}

/** Anything that went wrong talking to the payment provider. */
export class PaymentError extends HttpError {}

/** The provider could not be reached or answered with an error of its own. */
export class PaymentUnavailableError extends PaymentError {
  constructor(message = "Payment provider unavailable") {
    super("payment_unavailable", message);
  }
}

/** The provider answered: the card issuer refused the charge. */
export class PaymentDeclinedError extends PaymentError {
  constructor(readonly reason: string) {
    super("card_declined", "Your card was declined", { reason });
  }
}

export function statusFor(error: unknown): number {
  if (error instanceof ValidationError) return 422;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  // Provider outages are the gateway's problem, not the shopper's: 502 tells the front to
  // offer a retry.
  if (error instanceof PaymentError) return 502;
  if (error instanceof PaymentDeclinedError) return 402;
  if (error instanceof HttpError) return 400;
  return 500;
}

export function errorBody(error: unknown): { error: { code: string; message: string } } {
  if (error instanceof HttpError) {
    return { error: { code: error.code, message: error.message } };
  }
  return { error: { code: "internal", message: "Something went wrong on our side" } };
}
