import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "./deps";
import { badRequest } from "./errors";

/** The PKCE fields of the bodies that can start a flow (signup, otp, recover, resend, user). */
export const pkceBodyFields = {
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
};

export interface PkceParams {
  codeChallenge: string;
  method: "s256" | "plain";
}

/**
 * GoTrue's `validatePKCEParams`: both fields or neither; a challenge of 43–128 characters from
 * the unreserved set. Returns undefined for the implicit flow.
 */
export function parsePkce(
  challenge: string | null | undefined,
  method: string | null | undefined,
): PkceParams | undefined {
  const c = challenge ?? "";
  const m = method ?? "";
  if ((c === "") !== (m === "")) {
    throw badRequest(
      "validation_failed",
      "PKCE flow requires code_challenge_method and code_challenge",
    );
  }
  if (c === "") return undefined;
  if (c.length < 43 || c.length > 128) {
    throw badRequest("validation_failed", "code challenge has to be between 43 and 128 characters");
  }
  if (!/^[a-zA-Z._~0-9-]+$/.test(c)) {
    throw badRequest(
      "validation_failed",
      "code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes",
    );
  }
  const lower = m.toLowerCase();
  if (lower !== "s256" && lower !== "plain") {
    throw badRequest("validation_failed", `code challenge method not supported: ${m}`);
  }
  return { codeChallenge: c, method: lower };
}

/** base64url(sha256(verifier)) for s256, the verifier itself for plain. */
export function challengeFor(verifier: string, method: "s256" | "plain"): string {
  if (method === "plain") return verifier;
  return createHash("sha256").update(verifier).digest("base64url");
}

export interface FlowStateRow {
  id: string;
  user_id: string | null;
  auth_code: string | null;
  code_challenge_method: "s256" | "plain" | null;
  code_challenge: string | null;
  provider_type: string;
  provider_access_token: string | null;
  provider_refresh_token: string | null;
  created_at: Date;
  authentication_method: string;
  auth_code_issued_at: Date | null;
  referrer: string | null;
}

/** Inserts a flow state (GoTrue's `generateFlowState`); the auth code is a fresh UUID. */
export async function createFlowState(
  db: Db,
  params: {
    providerType: string;
    authenticationMethod: string;
    pkce: PkceParams;
    userId?: string | null;
    referrer?: string | null;
    now: Date;
  },
): Promise<{ id: string; authCode: string }> {
  const id = randomUUID();
  const authCode = randomUUID();
  await db.query(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge,
       provider_type, created_at, updated_at, authentication_method, referrer)
     values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [
      id,
      params.userId ?? null,
      authCode,
      params.pkce.method,
      params.pkce.codeChallenge,
      params.providerType,
      params.now,
      params.authenticationMethod,
      params.referrer ?? null,
    ],
  );
  return { id, authCode };
}

const FLOW_COLUMNS = `id, user_id, auth_code, code_challenge_method::text as code_challenge_method,
  code_challenge, provider_type, provider_access_token, provider_refresh_token, created_at,
  authentication_method, auth_code_issued_at, referrer`;

export async function findFlowStateByAuthCode(
  db: Db,
  authCode: string,
): Promise<FlowStateRow | undefined> {
  const r = await db.query<FlowStateRow>(
    `select ${FLOW_COLUMNS} from auth.flow_state where auth_code = $1`,
    [authCode],
  );
  return r.rows[0];
}

export async function findFlowStateById(db: Db, id: string): Promise<FlowStateRow | undefined> {
  const r = await db.query<FlowStateRow>(
    `select ${FLOW_COLUMNS} from auth.flow_state where id = $1`,
    [id],
  );
  return r.rows[0];
}

/**
 * GoTrue's `issueAuthCode`: the newest flow state of the user for the method gets its auth code
 * issued (time stamped); returns the code, or undefined when there is none.
 */
export async function issueAuthCode(
  db: Db,
  userId: string,
  authenticationMethod: string,
  now: Date,
): Promise<string | undefined> {
  const r = await db.query<{ id: string; auth_code: string | null }>(
    `select id, auth_code from auth.flow_state
      where user_id = $1 and authentication_method = $2
      order by created_at desc limit 1`,
    [userId, authenticationMethod],
  );
  const row = r.rows[0];
  if (!row?.auth_code) return undefined;
  await db.query(
    `update auth.flow_state set auth_code_issued_at = $2, updated_at = $2 where id = $1`,
    [row.id, now],
  );
  return row.auth_code;
}

/** GoTrue's `FlowState.IsExpired`: magic links count from the code's issue time, the rest from creation. */
export function isFlowStateExpired(flow: FlowStateRow, now: Date, expirySeconds: number): boolean {
  const from =
    flow.auth_code_issued_at && flow.authentication_method === "magiclink"
      ? flow.auth_code_issued_at
      : flow.created_at;
  return now.getTime() > from.getTime() + expirySeconds * 1000;
}
