/** One outgoing email. `html` and `text` both, always: some clients show only one. */
export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post for RFC 8058 one-click). */
  headers?: Record<string, string>;
  /**
   * The provider's idempotency key: the same key sent twice delivers once (Resend keeps it 24 h,
   * the devstack mailbox for ever). Notification mail passes its delivery ledger id.
   */
  idempotencyKey?: string;
}

/** Sends mail somewhere real: the devstack mailbox locally, a provider in production. */
export interface MailTransport {
  readonly name: string;
  send(message: MailMessage): Promise<{ id: string }>;
}
