import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { AuthError, badRequest, forbidden, notFound, sendJson, unprocessable } from "./errors";
import { type Caller, requireUser } from "./guard";
import { clientIp, parseBody } from "./http";
import { accessTokenResponse, addAmrClaim, newRefreshToken } from "./tokens";
import { newTotpSecret, totpQrSvg, totpUri, verifyTotp } from "./totp";
import { type FactorRow, factorsOf, isUuid } from "./users";

/** `[auth.mfa.totp] verify_enabled`: GoTrue refuses challenges and verifications without it. */
function assertTotpVerifyEnabled(deps: AuthDeps, factorType: string): void {
  if (factorType === "totp" && !deps.config.auth.mfa.totp.verifyEnabled) {
    throw unprocessable("mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
  }
}

const EnrollBody = z.object({
  factor_type: z.string().nullish(),
  friendly_name: z.string().nullish(),
  issuer: z.string().nullish(),
  phone: z.string().nullish(),
});

const VerifyBody = z.object({
  challenge_id: z.string().nullish(),
  code: z.string().nullish(),
});

async function currentAal(db: Db, sessionId: string | undefined): Promise<string> {
  if (!sessionId) return "aal1";
  const r = await db.query<{ aal: string | null }>(
    `select aal::text as aal from auth.sessions where id = $1`,
    [sessionId],
  );
  return r.rows[0]?.aal ?? "aal1";
}

/** GoTrue's `loadFactor`: the factor must exist and belong to the caller. */
async function loadFactor(deps: AuthDeps, caller: Caller, id: string): Promise<FactorRow> {
  if (!isUuid(id)) throw notFound("validation_failed", "factor_id must be an UUID");
  const factor = (await factorsOf(deps.db, caller.user.id)).find((f) => f.id === id);
  if (!factor) throw notFound("mfa_factor_not_found", "Factor not found");
  return factor;
}

/** POST /factors (`EnrollFactor`, TOTP): an unverified factor, its secret, URI and QR code. */
export async function handleEnroll(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  const caller = await requireUser(deps, req);
  const body = await parseBody(req, EnrollBody);
  if (caller.claims.is_anonymous === true) {
    throw forbidden("no_authorization", "Anonymous user not allowed to perform these actions");
  }
  const type = body.factor_type ?? "";
  // The devstack sends no SMS and has no WebAuthn: those stay refused as when disabled.
  if (type === "phone")
    throw unprocessable("mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone");
  if (type === "webauthn") {
    throw unprocessable("mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn");
  }
  if (type !== "totp") {
    throw badRequest("validation_failed", "factor_type needs to be totp, phone, or webauthn");
  }
  if (!deps.config.auth.mfa.totp.enrollEnabled) {
    throw unprocessable("mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP");
  }
  const friendlyName = body.friendly_name ?? "";
  const now = deps.now();
  // Unverified factors older than a day are dropped (GoTrue's DeleteExpiredFactors).
  await deps.db.query(
    `delete from auth.mfa_factors where user_id = $1 and status = 'unverified'
        and created_at < now() - interval '1 day'`,
    [caller.user.id],
  );
  const factors = await factorsOf(deps.db, caller.user.id);
  if (friendlyName !== "" && factors.some((f) => (f.friendly_name ?? "") === friendlyName)) {
    throw unprocessable(
      "mfa_factor_name_conflict",
      `A factor with the friendly name "${friendlyName}" for this user already exists`,
    );
  }
  if (factors.length >= deps.config.auth.mfa.maxEnrolledFactors) {
    throw unprocessable(
      "too_many_enrolled_mfa_factors",
      "Maximum number of verified factors reached, unenroll to continue",
    );
  }
  const verified = factors.filter((f) => f.status === "verified").length;
  if (verified > 0 && (await currentAal(deps.db, caller.sessionId)) !== "aal2") {
    throw forbidden("insufficient_aal", "AAL2 required to enroll a new factor");
  }
  const issuer = body.issuer || new URL(deps.config.siteUrl).host;
  const secret = newTotpSecret();
  const uri = totpUri(issuer, caller.user.email ?? caller.user.phone ?? "", secret);
  const qr = await totpQrSvg(uri);
  const id = randomUUID();
  await withTransaction(deps.db, async (tx) => {
    await tx.query(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
       values ($1, $2, $3, 'totp', 'unverified', $4, $4, $5)`,
      [id, caller.user.id, friendlyName, now, secret],
    );
    await audit(tx, req, caller.user, "factor_in_progress", { factor_id: id, factor_type: "totp" });
  });
  sendJson(res, 200, {
    id,
    type: "totp",
    friendly_name: friendlyName,
    totp: { qr_code: qr, secret, uri },
  });
}

/** POST /factors/:id/challenge (`ChallengeFactor`): a challenge valid for 5 minutes. */
export async function handleChallenge(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  factorId: string,
) {
  const caller = await requireUser(deps, req);
  const factor = await loadFactor(deps, caller, factorId);
  await parseBody(req, z.record(z.string(), z.unknown()));
  assertTotpVerifyEnabled(deps, factor.factor_type);
  const now = deps.now();
  const id = randomUUID();
  await withTransaction(deps.db, async (tx) => {
    await tx.query(
      `insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, $3, $4)`,
      [id, factor.id, now, clientIp(req)],
    );
    await tx.query(`update auth.mfa_factors set last_challenged_at = $2 where id = $1`, [
      factor.id,
      now,
    ]);
    await audit(tx, req, caller.user, "challenge_created", {
      factor_id: factor.id,
      challenge_id: id,
      factor_type: factor.factor_type,
    });
  });
  sendJson(res, 200, {
    id,
    type: factor.factor_type,
    expires_at: Math.floor(now.getTime() / 1000) + deps.timings.mfaChallengeExpiry,
  });
}

/**
 * POST /factors/:id/verify (`VerifyFactor`): checks the code against the challenge, marks the
 * factor verified, lifts the *same* session to aal2 with an amr `totp` entry, rotates its refresh
 * token and answers a new AccessTokenResponse. Other aal1 sessions of the user end.
 */
export async function handleVerifyFactor(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  factorId: string,
) {
  const caller = await requireUser(deps, req);
  const factor = await loadFactor(deps, caller, factorId);
  const body = await parseBody(req, VerifyBody);
  const challengeId = body.challenge_id ?? "";
  const code = (body.code ?? "").trim();
  if (code === "") throw badRequest("validation_failed", "Code needs to be non-empty");
  assertTotpVerifyEnabled(deps, factor.factor_type);
  if (!caller.sessionId) {
    throw new AuthError(
      500,
      "unexpected_failure",
      "A valid session is required to verify a factor",
    );
  }
  const sessionId = caller.sessionId;
  const challenge = isUuid(challengeId)
    ? (
        await deps.db.query<{
          id: string;
          created_at: Date;
          verified_at: Date | null;
          ip_address: string;
        }>(
          `select id, created_at, verified_at, host(ip_address) as ip_address
             from auth.mfa_challenges where id = $1 and factor_id = $2`,
          [challengeId, factor.id],
        )
      ).rows[0]
    : undefined;
  if (!challenge) {
    throw unprocessable(
      "mfa_factor_not_found",
      "MFA factor with the provided challenge ID not found",
    );
  }
  if (challenge.verified_at || challenge.ip_address !== clientIp(req)) {
    throw unprocessable("mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch.");
  }
  const now = deps.now();
  if (now.getTime() > challenge.created_at.getTime() + deps.timings.mfaChallengeExpiry * 1000) {
    await deps.db.query(`delete from auth.mfa_challenges where id = $1`, [challenge.id]);
    throw unprocessable(
      "mfa_challenge_expired",
      `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`,
    );
  }
  if (!factor.secret || !verifyTotp(factor.secret, code, now)) {
    await audit(deps.db, req, caller.user, "verification_attempted", {
      factor_id: factor.id,
      challenge_id: challenge.id,
      factor_type: factor.factor_type,
      success: false,
    });
    throw unprocessable("mfa_verification_failed", "Invalid TOTP code entered");
  }
  const out = await withTransaction(deps.db, async (tx) => {
    await audit(tx, req, caller.user, "verification_attempted", {
      factor_id: factor.id,
      challenge_id: challenge.id,
      factor_type: factor.factor_type,
      success: true,
    });
    await tx.query(`update auth.mfa_challenges set verified_at = $2 where id = $1`, [
      challenge.id,
      now,
    ]);
    await tx.query(
      `update auth.mfa_factors set status = 'verified', updated_at = $2 where id = $1 and status <> 'verified'`,
      [factor.id, now],
    );
    await addAmrClaim(tx, sessionId, "totp", now);
    await tx.query(
      `update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = $3 where id = $1`,
      [sessionId, factor.id, now],
    );
    const active = await tx.query<{ id: string; token: string }>(
      `select id::text, token from auth.refresh_tokens
        where session_id = $1 and revoked = false order by id desc limit 1 for update`,
      [sessionId],
    );
    const parent = active.rows[0];
    if (parent) {
      await tx.query(
        `update auth.refresh_tokens set revoked = true, updated_at = $2 where id = $1`,
        [parent.id, now],
      );
    }
    const token = newRefreshToken();
    await tx.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
       values ('00000000-0000-0000-0000-000000000000', $1, $2, false, $3, $3, $4, $5)`,
      [token, caller.user.id, now, parent?.token ?? null, sessionId],
    );
    await tx.query(
      `delete from auth.sessions where user_id = $1 and id <> $2 and (aal is null or aal < 'aal2')`,
      [caller.user.id, sessionId],
    );
    await tx.query(
      `delete from auth.mfa_factors where user_id = $1 and factor_type = 'totp' and status = 'unverified'`,
      [caller.user.id],
    );
    return accessTokenResponse(deps, tx, caller.user.id, sessionId, token);
  });
  sendJson(res, 200, out);
}

/** DELETE /factors/:id (`UnenrollFactor`): a verified factor needs an aal2 session. */
export async function handleUnenroll(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  factorId: string,
) {
  const caller = await requireUser(deps, req);
  const factor = await loadFactor(deps, caller, factorId);
  if (!caller.sessionId) {
    throw new AuthError(
      500,
      "unexpected_failure",
      "A valid session and factor are required to unenroll a factor",
    );
  }
  if (factor.status === "verified" && (await currentAal(deps.db, caller.sessionId)) !== "aal2") {
    throw unprocessable("insufficient_aal", "AAL2 required to unenroll verified factor");
  }
  await withTransaction(deps.db, async (tx) => {
    const sessions = await tx.query<{ id: string }>(
      `select id from auth.sessions where factor_id = $1`,
      [factor.id],
    );
    await tx.query(`delete from auth.mfa_factors where id = $1`, [factor.id]);
    await audit(tx, req, caller.user, "factor_unenrolled", {
      factor_id: factor.id,
      factor_status: factor.status,
      session_id: caller.sessionId,
    });
    for (const s of sessions.rows) {
      await tx.query(`update auth.sessions set aal = 'aal1', factor_id = null where id = $1`, [
        s.id,
      ]);
      await tx.query(
        `delete from auth.mfa_amr_claims where session_id = $1 and authentication_method = 'totp'`,
        [s.id],
      );
    }
  });
  sendJson(res, 200, { id: factor.id });
}
