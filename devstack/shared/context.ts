import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { DevstackConfig } from "../config";

/** A captured email, as the mailbox stores it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html?: string;
  text?: string;
  from?: string;
  /** Who sent it: "auth" for the auth service, "app" for the Patchline app. */
  source?: string;
  /** Extra headers (the app's List-Unsubscribe). */
  headers?: Record<string, string>;
  /** A second send with the same key returns the first message and stores nothing. */
  idempotencyKey?: string;
}

export interface MailSink {
  send(mail: OutgoingMail): Promise<{ id: string }>;
}

/** What every devstack service is handed at start. */
export interface DevstackContext {
  config: DevstackConfig;
  /** Superuser connections: the auth service and devstack internals (like supabase_auth_admin). */
  adminPool: pg.Pool;
  /** Connections logged in as `authenticator`; REST requests `set local role` on them, as PostgREST does. */
  restPool: pg.Pool;
  /** The anon and service-role API keys, signed with the JWT secret. */
  keys: { anon: string; serviceRole: string };
  mailbox: MailSink;
  log: (line: string) => void;
}

/**
 * A service mounted on the gateway under a prefix (`/auth/v1`, `/rest/v1`).
 * `path` is what follows the prefix, starting with "/" (query string excluded; read it from `url`).
 */
export interface MountedService {
  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void>;
}
