import type pg from "pg";
import type { MailSink, OutgoingMail } from "../shared/context";

export interface StoredMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  html: string | null;
  text: string | null;
  source: string;
  headers: Record<string, string>;
  createdAt: string;
}

const DEFAULT_FROM = "Patchline <no-reply@patchline.local>";

interface MailRow {
  id: string;
  to_address: string;
  from_address: string;
  subject: string;
  html: string | null;
  text_body: string | null;
  source: string;
  headers: Record<string, string> | null;
  created_at: Date;
}

function toMail(r: MailRow): StoredMail {
  return {
    id: r.id,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    html: r.html,
    text: r.text_body,
    source: r.source,
    headers: r.headers ?? {},
    createdAt: r.created_at.toISOString(),
  };
}

/** Captured email lives in `devstack.mail`, so it survives a restart like Mailpit's store. */
export class MailStore implements MailSink {
  constructor(private readonly pool: pg.Pool) {}

  async send(mail: OutgoingMail): Promise<{ id: string }> {
    // a repeated idempotency key answers the first message's id and stores nothing
    const { rows } = await this.pool.query<{ id: string }>(
      `with inserted as (
         insert into devstack.mail
           (to_address, from_address, subject, html, text_body, source, headers, idempotency_key)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (idempotency_key) do nothing
         returning id
       )
       select id from inserted
       union all
       select id from devstack.mail where $8::text is not null and idempotency_key = $8
       limit 1`,
      [
        mail.to,
        mail.from ?? DEFAULT_FROM,
        mail.subject,
        mail.html ?? null,
        mail.text ?? null,
        mail.source ?? "app",
        mail.headers ? JSON.stringify(mail.headers) : null,
        mail.idempotencyKey ?? null,
      ],
    );
    return { id: rows[0]!.id };
  }

  async list(opts: { to?: string; limit?: number }): Promise<StoredMail[]> {
    const { rows } = await this.pool.query<MailRow>(
      `select * from devstack.mail
        where ($1::text is null or lower(to_address) = lower($1))
        order by created_at desc, id limit $2`,
      [opts.to ?? null, Math.min(opts.limit ?? 50, 500)],
    );
    return rows.map(toMail);
  }

  async get(id: string): Promise<StoredMail | undefined> {
    const { rows } = await this.pool.query<MailRow>(
      "select * from devstack.mail where id::text = $1",
      [id],
    );
    return rows[0] ? toMail(rows[0]) : undefined;
  }

  async clear(to?: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      "delete from devstack.mail where $1::text is null or lower(to_address) = lower($1)",
      [to ?? null],
    );
    return rowCount ?? 0;
  }
}
