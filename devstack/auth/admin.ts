import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hash } from "bcryptjs";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import { validateEmail } from "./email";
import { badRequest, notFound, sendJson, unprocessable } from "./errors";
import { requireAdmin } from "./guard";
import { parseBody } from "./http";
import { checkPasswordStrength } from "./password-policy";
import { createEmailUser } from "./signup";
import { mergeMetadata } from "./user";
import {
  factorsOf,
  findUserByEmail,
  findUserById,
  identitiesOf,
  isUuid,
  loadUserJson,
  type UserRow,
  userJson,
} from "./users";

/** The audit actor of admin calls: GoTrue logs the token's role as the actor. */
export const ADMIN_ACTOR = { id: "00000000-0000-0000-0000-000000000000", email: "service_role" };
export const DUPLICATE_EMAIL = "A user with this email address has already been registered";

const UserParams = z.object({
  id: z.string().nullish(),
  aud: z.string().nullish(),
  role: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  password_hash: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  phone_confirm: z.boolean().nullish(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  ban_duration: z.string().nullish(),
});

/** Go's time.ParseDuration for the units ban_duration uses ("24h", "90m", "1h30m", "none"). */
export function parseBanDuration(value: string): number {
  if (value === "none") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (unit[m[2] ?? ""] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== value.length) {
    throw badRequest(
      "validation_failed",
      `invalid format for ban duration: time: invalid duration "${value}"`,
    );
  }
  return total;
}

/** The user of an admin route, or GoTrue's 404s. */
export async function loadTarget(deps: AuthDeps, id: string): Promise<UserRow> {
  if (!isUuid(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(deps.db, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

/** GET /admin/users?page&per_page: `{users, aud}` with X-Total-Count and Link headers. */
export async function handleListUsers(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  await requireAdmin(deps, req);
  const rawPage = url.searchParams.get("page") ?? "";
  const rawPer = url.searchParams.get("per_page") ?? "";
  const page = rawPage === "" ? 1 : Number(rawPage);
  const perPage = rawPer === "" ? 50 : Number(rawPer);
  if (!Number.isInteger(page) || page < 0 || !Number.isInteger(perPage) || perPage < 1) {
    throw badRequest("validation_failed", "Bad Pagination Parameters: invalid syntax");
  }
  const filter = url.searchParams.get("filter") ?? "";
  const where = `aud = 'authenticated' and ($1 = '' or email ilike '%' || $1 || '%'
    or coalesce(raw_user_meta_data->>'full_name', '') ilike '%' || $1 || '%')`;
  const count = await deps.db.query<{ n: string }>(
    `select count(*) as n from auth.users where ${where}`,
    [filter],
  );
  const total = Number(count.rows[0]?.n ?? 0);
  const ids = await deps.db.query<{ id: string }>(
    `select id from auth.users where ${where} order by created_at desc, id limit $2 offset $3`,
    [filter, perPage, (Math.max(page, 1) - 1) * perPage],
  );
  const users = [];
  for (const { id } of ids.rows) users.push(await loadUserJson(deps.db, id));
  const totalPages = Math.ceil(total / perPage);
  const link = (p: number) => {
    const q = new URLSearchParams(url.searchParams);
    q.set("page", String(p));
    const sorted = new URLSearchParams([...q].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `</admin/users?${sorted.toString()}>`;
  };
  let header = "";
  if (totalPages > page) header += `${link(page + 1)}; rel="next", `;
  header += `${link(totalPages)}; rel="last"`;
  res.setHeader("Link", header);
  res.setHeader("X-Total-Count", String(total));
  sendJson(res, 200, { users, aud: "authenticated" });
}

/** POST /admin/users (`adminUserCreate`). */
export async function handleCreateUser(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  await requireAdmin(deps, req);
  const p = await parseBody(req, UserParams);
  if (!p.email && !p.phone) {
    throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  }
  if (!p.email) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  const email = validateEmail(p.email);
  if (await findUserByEmail(deps.db, email)) throw unprocessable("email_exists", DUPLICATE_EMAIL);
  if (p.password && p.password_hash) {
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  }
  if (p.id && !isUuid(p.id))
    throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
  let passwordHash: string | null = null;
  if (p.password) {
    checkPasswordStrength(p.password, deps.policy);
    passwordHash = await hash(p.password, 10);
  } else if (p.password_hash) {
    if (!/^\$2[aby]\$\d{2}\$/.test(p.password_hash)) {
      throw badRequest("validation_failed", "Invalid password hash format");
    }
    passwordHash = p.password_hash;
  }
  const banMs = p.ban_duration ? parseBanDuration(p.ban_duration) : undefined;
  const now = deps.now();
  const id = await withTransaction(deps.db, async (tx) => {
    const userId = await createEmailUser(tx, {
      id: p.id ?? undefined,
      email,
      passwordHash,
      userMetadata: p.user_metadata ?? {},
      confirmedAt: p.email_confirm ? now : null,
      now,
      role: p.role ?? undefined,
    });
    if (p.app_metadata) {
      const current = await findUserById(tx, userId);
      await tx.query(`update auth.users set raw_app_meta_data = $2 where id = $1`, [
        userId,
        JSON.stringify(mergeMetadata(current?.raw_app_meta_data ?? {}, p.app_metadata)),
      ]);
    }
    if (banMs !== undefined) {
      await tx.query(`update auth.users set banned_until = $2 where id = $1`, [
        userId,
        banMs > 0 ? new Date(now.getTime() + banMs) : null,
      ]);
    }
    await audit(tx, req, ADMIN_ACTOR, "user_signedup", {
      user_id: userId,
      user_email: email,
      provider: "email",
    });
    return userId;
  });
  sendJson(res, 200, await loadUserJson(deps.db, id));
}

/** GET /admin/users/:id. */
export async function handleGetUserAdmin(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) {
  await requireAdmin(deps, req);
  const user = await loadTarget(deps, id);
  sendJson(res, 200, userJson(user, await identitiesOf(deps.db, id), await factorsOf(deps.db, id)));
}

/** PUT /admin/users/:id (`adminUserUpdate`). */
export async function handleUpdateUserAdmin(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) {
  await requireAdmin(deps, req);
  const user = await loadTarget(deps, id);
  const p = await parseBody(req, UserParams);
  const email = p.email ? validateEmail(p.email) : "";
  if (email && email !== user.email) {
    const other = await findUserByEmail(deps.db, email);
    if (other && other.id !== user.id) throw unprocessable("email_exists", DUPLICATE_EMAIL);
  }
  const banMs = p.ban_duration ? parseBanDuration(p.ban_duration) : undefined;
  let passwordHash: string | undefined;
  if (p.password !== undefined && p.password !== null) {
    checkPasswordStrength(p.password, deps.policy);
    passwordHash = await hash(p.password, 10);
  }
  const now = deps.now();
  await withTransaction(deps.db, async (tx) => {
    if (p.role) await tx.query(`update auth.users set role = $2 where id = $1`, [id, p.role]);
    if (p.email_confirm) {
      await tx.query(
        `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, $2), confirmation_token = '' where id = $1`,
        [id, now],
      );
    }
    if (passwordHash !== undefined) {
      await tx.query(
        `update auth.users set encrypted_password = $2, recovery_token = '', confirmation_token = '',
            email_change_token_current = '', email_change_token_new = '' where id = $1`,
        [id, passwordHash],
      );
      await tx.query(`delete from auth.one_time_tokens where user_id = $1`, [id]);
      await tx.query(`delete from auth.sessions where user_id = $1`, [id]);
      deps.lockout.clear(user.email ?? "");
    }
    if (email && email !== user.email) {
      await tx.query(`update auth.users set email = $2 where id = $1`, [id, email]);
      const identityPatch = JSON.stringify({ email, email_verified: p.email_confirm === true });
      const upd = await tx.query(
        `update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = $3
          where user_id = $1 and provider = 'email'`,
        [id, identityPatch, now],
      );
      if (upd.rowCount === 0) {
        await tx.query(
          `insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
           values ($1, $2::text, $2::uuid, $3, 'email', $4, $4)`,
          [
            randomUUID(),
            id,
            JSON.stringify({ sub: id, email, email_verified: p.email_confirm === true }),
            now,
          ],
        );
      }
    }
    if (p.user_metadata) {
      await tx.query(`update auth.users set raw_user_meta_data = $2 where id = $1`, [
        id,
        JSON.stringify(mergeMetadata(user.raw_user_meta_data, p.user_metadata)),
      ]);
    }
    if (p.app_metadata) {
      await tx.query(`update auth.users set raw_app_meta_data = $2 where id = $1`, [
        id,
        JSON.stringify(mergeMetadata(user.raw_app_meta_data, p.app_metadata)),
      ]);
    }
    if (banMs !== undefined) {
      await tx.query(`update auth.users set banned_until = $2 where id = $1`, [
        id,
        banMs > 0 ? new Date(now.getTime() + banMs) : null,
      ]);
      if (banMs > 0) await tx.query(`delete from auth.sessions where user_id = $1`, [id]);
    }
    await tx.query(`update auth.users set updated_at = $2 where id = $1`, [id, now]);
    await audit(tx, req, ADMIN_ACTOR, "user_modified", { user_id: id, user_email: user.email });
  });
  sendJson(res, 200, await loadUserJson(deps.db, id));
}

/** DELETE /admin/users/:id with `{should_soft_delete}` → 200 `{}`. */
export async function handleDeleteUser(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) {
  await requireAdmin(deps, req);
  const user = await loadTarget(deps, id);
  const body = await parseBody(req, z.object({ should_soft_delete: z.boolean().nullish() }));
  await withTransaction(deps.db, async (tx) => {
    await audit(tx, req, ADMIN_ACTOR, "user_deleted", { user_id: id, user_email: user.email });
    if (body.should_soft_delete) {
      // GoTrue's SoftDeleteUser: obfuscate identifiers, keep the row, end every session.
      await tx.query(
        `update auth.users set deleted_at = now(), email = null, phone = null, encrypted_password = '',
            raw_app_meta_data = '{}', raw_user_meta_data = '{}', confirmation_token = '',
            recovery_token = '', email_change = '', email_change_token_current = '',
            email_change_token_new = '' where id = $1`,
        [id],
      );
      await tx.query(`delete from auth.identities where user_id = $1`, [id]);
      await tx.query(`delete from auth.mfa_factors where user_id = $1`, [id]);
      await tx.query(`delete from auth.sessions where user_id = $1`, [id]);
    } else {
      await tx.query(`delete from auth.users where id = $1`, [id]);
    }
  });
  sendJson(res, 200, {});
}
