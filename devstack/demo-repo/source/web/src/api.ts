/** Browser side of the API: one fetch wrapper that turns error answers into shopper messages. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** What the shopper reads for each kind of failure, by status; the server's message is used for 4xx. */
function messageFor(status: number, serverMessage: string): { text: string; retryable: boolean } {
  switch (status) {
    case 401:
      return { text: "Please sign in to continue.", retryable: false };
    case 402:
      return { text: `${serverMessage}. Please check your card details or use another card.`, retryable: false };
    case 502:
    case 503:
      return {
        text: "We couldn't reach our payment provider. Your card was not charged — please try again in a few minutes.",
        retryable: true,
      };
    default:
      if (status >= 500) return { text: "Something went wrong on our side. Please try again.", retryable: true };
      return { text: serverMessage, retryable: false };
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`/api${path}`, {
    credentials: "same-origin",
    ...init,
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
  });
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const code = body.error?.code ?? "unknown";
  const { text, retryable } = messageFor(response.status, body.error?.message ?? "");
  throw new ApiError(response.status, code, text, retryable);
}
