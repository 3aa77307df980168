import type { Db } from "./deps";

/** A row of auth.users with the columns the service reads. */
export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string;
  confirmation_sent_at: Date | null;
  recovery_token: string;
  recovery_sent_at: Date | null;
  email_change_token_new: string;
  email_change: string;
  email_change_sent_at: Date | null;
  email_change_token_current: string;
  email_change_confirm_status: number;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  email: string | null;
}

export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: "unverified" | "verified";
  created_at: Date;
  updated_at: Date;
  secret: string | null;
  phone: string | null;
  last_challenged_at: Date | null;
}

const USER_COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
  coalesce(confirmation_token, '') as confirmation_token, confirmation_sent_at,
  coalesce(recovery_token, '') as recovery_token, recovery_sent_at,
  coalesce(email_change_token_new, '') as email_change_token_new,
  coalesce(email_change, '') as email_change, email_change_sent_at,
  coalesce(email_change_token_current, '') as email_change_token_current,
  coalesce(email_change_confirm_status, 0)::int as email_change_confirm_status,
  last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, phone,
  phone_confirmed_at, confirmed_at, banned_until, deleted_at, is_anonymous`;

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [id]);
  return r.rows[0];
}

/** Emails are stored lower-cased, like GoTrue's `validateEmail` leaves them. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const r = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users
      where lower(email) = lower($1) and is_sso_user = false and aud = 'authenticated'`,
    [email],
  );
  return r.rows[0];
}

/** The user whose current or pending (email_change) address is the email. */
export async function findUserForEmailChange(db: Db, email: string): Promise<UserRow | undefined> {
  const r = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users
      where (lower(email) = lower($1) or lower(email_change) = lower($1)) and is_sso_user = false
      limit 1`,
    [email],
  );
  return r.rows[0];
}

/** Finds the user holding a token in the given auth.users column. */
export async function findUserByToken(
  db: Db,
  column:
    | "confirmation_token"
    | "recovery_token"
    | "email_change_token_new"
    | "email_change_token_current",
  token: string,
): Promise<UserRow | undefined> {
  if (!token) return undefined;
  const r = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where ${column} = $1 limit 1`,
    [token],
  );
  return r.rows[0];
}

export async function identitiesOf(db: Db, userId: string): Promise<IdentityRow[]> {
  const r = await db.query<IdentityRow>(
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at,
            updated_at, email
       from auth.identities where user_id = $1 order by created_at`,
    [userId],
  );
  return r.rows;
}

export async function factorsOf(db: Db, userId: string): Promise<FactorRow[]> {
  const r = await db.query<FactorRow>(
    `select id, user_id, friendly_name, factor_type::text as factor_type, status::text as status,
            created_at, updated_at, secret, phone, last_challenged_at
       from auth.mfa_factors where user_id = $1 order by created_at`,
    [userId],
  );
  return r.rows;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export function isBanned(user: UserRow, now: Date): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > now.getTime();
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** The JSON of an identity, with GoTrue's json tags (`identity_id` is the row id, `id` the provider's). */
export function identityJson(i: IdentityRow) {
  return {
    identity_id: i.id,
    id: i.provider_id,
    user_id: i.user_id,
    identity_data: i.identity_data,
    provider: i.provider,
    last_sign_in_at: iso(i.last_sign_in_at),
    created_at: i.created_at.toISOString(),
    updated_at: i.updated_at.toISOString(),
    email: i.email ?? undefined,
  };
}

export function factorJson(f: FactorRow) {
  return {
    id: f.id,
    friendly_name: f.friendly_name || undefined,
    factor_type: f.factor_type,
    status: f.status,
    created_at: f.created_at.toISOString(),
    updated_at: f.updated_at.toISOString(),
    last_challenged_at: f.last_challenged_at ? f.last_challenged_at.toISOString() : null,
    phone: f.phone ?? "",
  };
}

/** GoTrue's User JSON: omitempty fields are left out, `identities` is always an array. */
export function userJson(u: UserRow, identities: IdentityRow[], factors: FactorRow[]) {
  return {
    id: u.id,
    aud: u.aud,
    role: u.role,
    email: u.email ?? "",
    email_confirmed_at: iso(u.email_confirmed_at),
    invited_at: iso(u.invited_at),
    phone: u.phone ?? "",
    phone_confirmed_at: iso(u.phone_confirmed_at),
    confirmation_sent_at: iso(u.confirmation_sent_at),
    confirmed_at: iso(u.confirmed_at),
    recovery_sent_at: iso(u.recovery_sent_at),
    new_email: u.email_change || undefined,
    email_change_sent_at: iso(u.email_change_sent_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    factors: factors.length > 0 ? factors.map(factorJson) : undefined,
    identities: identities.map(identityJson),
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    banned_until: iso(u.banned_until),
    deleted_at: iso(u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
}

export type UserJson = ReturnType<typeof userJson>;

/** Loads a user with identities and factors and renders GoTrue's JSON. */
export async function loadUserJson(db: Db, id: string): Promise<UserJson | undefined> {
  const u = await findUserById(db, id);
  if (!u) return undefined;
  const [ids, factors] = await Promise.all([identitiesOf(db, id), factorsOf(db, id)]);
  return userJson(u, ids, factors);
}
