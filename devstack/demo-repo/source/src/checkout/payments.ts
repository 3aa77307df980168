import { PaymentDeclinedError, PaymentUnavailableError } from "../http/errors.js";

export interface ChargeRequest {
  amountCents: number;
  currency: string;
  /** Token from the payment provider's card form; card numbers never reach our servers. */
  paymentToken: string;
  orderNumber: number;
  /** Makes a retried charge for the same order a no-op at the provider. */
  idempotencyKey: string;
}

export interface Charge {
  id: string;
  amountCents: number;
  status: "succeeded";
}

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<Charge>;
  refund(chargeId: string, amountCents?: number): Promise<void>;
}

/** The provider's decline codes we show the shopper a specific message for. */
const DECLINE_REASONS: Record<string, string> = {
  insufficient_funds: "insufficient funds",
  expired_card: "the card has expired",
  incorrect_cvc: "the security code is incorrect",
  card_not_supported: "this card type is not supported",
  do_not_honor: "the bank declined the payment",
};

/** HTTP client for the payment provider's REST API. */
export class HttpPaymentGateway implements PaymentGateway {
  constructor(
    private readonly baseUrl: string,
    private readonly secretKey: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async charge(request: ChargeRequest): Promise<Charge> {
    const response = await this.post("/v1/charges", request.idempotencyKey, {
      amount: request.amountCents,
      currency: request.currency.toLowerCase(),
      source: request.paymentToken,
      description: `Acme order #${request.orderNumber}`,
    });
    const body = (await response.json().catch(() => ({}))) as {
      id?: string;
      status?: string;
      error?: { type?: string; decline_code?: string };
    };
    if (response.status === 402 || body.error?.type === "card_error") {
      const code = body.error?.decline_code ?? "do_not_honor";
      throw new PaymentDeclinedError(DECLINE_REASONS[code] ?? DECLINE_REASONS.do_not_honor!);
    }
    if (!response.ok || !body.id) {
      throw new PaymentUnavailableError(`Provider answered ${response.status}`);
    }
    return { id: body.id, amountCents: request.amountCents, status: "succeeded" };
  }

  async refund(chargeId: string, amountCents?: number): Promise<void> {
    const response = await this.post("/v1/refunds", `refund-${chargeId}-${amountCents ?? "all"}`, {
      charge: chargeId,
      ...(amountCents === undefined ? {} : { amount: amountCents }),
    });
    if (!response.ok) throw new PaymentUnavailableError(`Refund failed with ${response.status}`);
  }

  private async post(path: string, idempotencyKey: string, body: Record<string, unknown>) {
    try {
      return await fetch(new URL(path, this.baseUrl), {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.secretKey}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PaymentUnavailableError(
        error instanceof Error ? `Provider unreachable: ${error.message}` : "Provider unreachable",
      );
    }
  }
}
