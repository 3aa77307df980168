/** One outgoing email. `html` and `text` both, always: some clients show only one. */
export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Sends mail somewhere real: the devstack mailbox locally, a provider in production. */
export interface MailTransport {
  readonly name: string;
  send(message: MailMessage): Promise<{ id: string }>;
}
