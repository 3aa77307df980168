/** Outgoing email. Production posts to the mail provider's HTTP API; development logs. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Groups messages in the provider's dashboard ("order-confirmation", "back-in-stock"). */
  tag: string;
}

export interface Mailer {
  send(email: Email): Promise<void>;
}

export class HttpMailer implements Mailer {
  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly from: string,
  ) {}

  async send(email: Email): Promise<void> {
    const response = await fetch(new URL("/v1/messages", this.apiUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${this.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ from: this.from, ...email }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Mail provider answered ${response.status}`);
  }
}

/** Keeps messages in memory (tests) and prints their subjects (development). */
export class MemoryMailer implements Mailer {
  readonly sent: Email[] = [];
  constructor(private readonly log = false) {}

  async send(email: Email): Promise<void> {
    this.sent.push(email);
    if (this.log) console.info(`[mail] to=${email.to} subject=${JSON.stringify(email.subject)}`);
  }
}
