import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/**
 * `supabase/config.toml`, read the way `supabase start` reads it (supabase/cli pkg/config):
 * - the CLI's own template supplies every key the file leaves out (its `mergeDefaultValues`);
 * - a string value that is exactly `env(NAME)` becomes `$NAME` when that variable is set and
 *   non-empty, and stays as written otherwise (the CLI's `LoadEnvHook`, which only warns);
 * - `SUPABASE_<SECTION>_<KEY>` overrides a key (viper's AutomaticEnv with prefix SUPABASE and "."
 *   replaced by "_", e.g. SUPABASE_AUTH_SITE_URL); lists in such a variable are comma-separated.
 * Only the settings the devstack serves are read; the rest of the file is left to the real CLI.
 */

/** A JSON Web Key as `supabase gen signing-key` writes it (private part included). */
export type SigningJwk = Record<string, unknown> & { kty: string; kid?: string; alg?: string };

/**
 * The CLI's built-in signing key (`NewConfig` in pkg/config/config.go): without
 * `signing_keys_path`, `supabase start` hands GoTrue this ES256 key, so every local project signs
 * access tokens with it. It is public on purpose, like the demo JWT secret.
 */
export const CLI_DEFAULT_SIGNING_KEY: SigningJwk = {
  kty: "EC",
  kid: "b81269f1-21d8-4f2e-b719-c2240a840d90",
  use: "sig",
  key_ops: ["sign", "verify"],
  alg: "ES256",
  ext: true,
  crv: "P-256",
  x: "M5Sjqn5zwC9Kl1zVfUUGvv9boQjCGd45G8sdopBExB4",
  y: "P6IXMvA2WYXSHSOMTBH2jsw_9rrzGy89FjPf6oOsIxQ",
  d: "dIhR8wywJlqlua4y_yMq2SLhlFXDZJBCvFrY1DCHyVU",
};

export type PasswordRequirements =
  | ""
  | "letters_digits"
  | "lower_upper_letters_digits"
  | "lower_upper_letters_digits_symbols";

const PASSWORD_REQUIREMENTS: readonly PasswordRequirements[] = [
  "",
  "letters_digits",
  "lower_upper_letters_digits",
  "lower_upper_letters_digits_symbols",
];

export interface ExternalProvider {
  enabled: boolean;
  clientId: string;
  secret: string;
  redirectUri: string;
  url: string;
  skipNonceCheck: boolean;
}

/** The settings of config.toml the devstack serves, with the CLI's defaults filled in. */
export interface SupabaseProjectConfig {
  /** Where the file was read from, or null when there was none (defaults only). */
  source: string | null;
  api: { schemas: string[]; extraSearchPath: string[]; maxRows: number };
  auth: {
    siteUrl: string;
    additionalRedirectUrls: string[];
    jwtExpiry: number;
    enableRefreshTokenRotation: boolean;
    refreshTokenReuseInterval: number;
    enableSignup: boolean;
    enableAnonymousSignIns: boolean;
    minimumPasswordLength: number;
    passwordRequirements: PasswordRequirements;
    /** Absolute path of `signing_keys_path`, or null. */
    signingKeysPath: string | null;
    /** The keys GoTrue gets (`GOTRUE_JWT_KEYS`): the file's, or the CLI's built-in key. */
    signingKeys: SigningJwk[];
    rateLimit: {
      emailSent: number;
      smsSent: number;
      anonymousUsers: number;
      tokenRefresh: number;
      signInSignUps: number;
      tokenVerifications: number;
    };
    email: {
      enableSignup: boolean;
      doubleConfirmChanges: boolean;
      enableConfirmations: boolean;
      securePasswordChange: boolean;
      /** Seconds. */
      maxFrequency: number;
      otpLength: number;
      otpExpiry: number;
    };
    sms: { enableSignup: boolean; enableConfirmations: boolean };
    mfa: {
      maxEnrolledFactors: number;
      totp: { enrollEnabled: boolean; verifyEnabled: boolean };
      phone: { enrollEnabled: boolean; verifyEnabled: boolean };
      webAuthn: { enrollEnabled: boolean; verifyEnabled: boolean };
    };
    external: Record<string, ExternalProvider>;
  };
  /**
   * Hosted settings config.toml has no key for (the real CLI refuses unknown keys), read from
   * `devstack.toml` beside it: `[auth] password_hibp_enabled` is the dashboard's "Prevent use of
   * leaked passwords" (GoTrue's GOTRUE_PASSWORD_HIBP_ENABLED), off by default as in GoTrue.
   */
  devstack: { source: string | null; passwordHibpEnabled: boolean };
}

type Table = Record<string, unknown>;

/** GoTrue's `GOTRUE_RATE_LIMIT_EMAIL_SENT` default (emails per hour), used without custom SMTP. */
const GOTRUE_DEFAULT_EMAIL_SENT = 30;

const ENV_PATTERN = /^env\((.*)\)$/;

/** The CLI's LoadEnvHook, applied to every string (and every string in a list). */
function substituteEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") {
    const m = ENV_PATTERN.exec(value);
    const name = m?.[1];
    if (name !== undefined) {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => substituteEnv(v, env));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Table = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env);
    return out;
  }
  return value;
}

const UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go's time.ParseDuration ("1m0s", "1s", "1h30m", "500ms"), in seconds. */
export function parseGoDuration(text: string): number {
  const s = text.trim();
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== s.length) throw new Error(`invalid duration "${text}"`);
  return total;
}

class Reader {
  constructor(
    private readonly root: Table,
    private readonly env: Record<string, string | undefined>,
    private readonly file: string,
  ) {}

  /** The raw value at a dotted path: SUPABASE_* override first, then the file. */
  private raw(key: string): unknown {
    const envName = `SUPABASE_${key.replace(/\./g, "_").toUpperCase()}`;
    const fromEnv = this.env[envName];
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    let node: unknown = this.root;
    for (const part of key.split(".")) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
      node = (node as Table)[part];
    }
    return node;
  }

  private fail(key: string, expected: string, value: unknown): never {
    throw new Error(`${this.file}: ${key} must be ${expected}, got ${JSON.stringify(value)}`);
  }

  str(key: string, fallback: string): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== "string") this.fail(key, "a string", v);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === "boolean") return v;
    if (v === "true") return true;
    if (v === "false") return false;
    this.fail(key, "true or false", v);
  }

  uint(key: string, fallback: number): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
      this.fail(key, "a non-negative integer", v);
    }
    return n;
  }

  list(key: string, fallback: string[]): string[] {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === "string") return v.split(",").filter((x) => x !== "");
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      this.fail(key, "a list of strings", v);
    }
    return v as string[];
  }

  seconds(key: string, fallback: string): number {
    const v = this.str(key, fallback);
    try {
      return parseGoDuration(v);
    } catch {
      this.fail(key, 'a duration like "1m0s"', v);
    }
  }

  table(key: string): Table {
    const v = this.raw(key);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Table) : {};
  }
}

function readSigningKeys(file: string): SigningJwk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`failed to read signing keys ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new Error(
      `failed to decode signing keys ${file}: expected a non-empty JSON array of JWKs`,
    );
  }
  for (const k of parsed) {
    if (k === null || typeof k !== "object" || typeof (k as Table).kty !== "string") {
      throw new Error(`failed to decode signing keys ${file}: every entry must be a JWK`);
    }
  }
  return parsed as SigningJwk[];
}

/**
 * Reads config.toml (a missing file means "all defaults", as for the CLI) and returns the
 * settings the devstack serves. Throws with the file and key named when a value has the wrong type.
 */
export function readSupabaseConfig(
  file: string,
  env: Record<string, string | undefined> = process.env,
): SupabaseProjectConfig {
  const exists = existsSync(file);
  const root = exists ? (substituteEnv(parse(readFileSync(file, "utf8")), env) as Table) : {};
  const r = new Reader(root, env, path.basename(file));
  const dir = path.dirname(path.resolve(file));

  const requirements = r.str("auth.password_requirements", "");
  if (!PASSWORD_REQUIREMENTS.includes(requirements as PasswordRequirements)) {
    throw new Error(
      `${path.basename(file)}: auth.password_requirements must be one of ${PASSWORD_REQUIREMENTS.map((x) => JSON.stringify(x)).join(", ")}`,
    );
  }
  const minLength = r.uint("auth.minimum_password_length", 6);
  if (minLength < 6) {
    throw new Error(`${path.basename(file)}: auth.minimum_password_length must be at least 6`);
  }
  const keysPath = r.str("auth.signing_keys_path", "");
  const signingKeysPath = keysPath === "" ? null : path.resolve(dir, keysPath);

  const external: Record<string, ExternalProvider> = {};
  for (const name of Object.keys(r.table("auth.external"))) {
    const k = `auth.external.${name}`;
    external[name] = {
      enabled: r.bool(`${k}.enabled`, false),
      clientId: r.str(`${k}.client_id`, ""),
      secret: r.str(`${k}.secret`, ""),
      redirectUri: r.str(`${k}.redirect_uri`, ""),
      url: r.str(`${k}.url`, ""),
      skipNonceCheck: r.bool(`${k}.skip_nonce_check`, false),
    };
  }

  return {
    source: exists ? path.resolve(file) : null,
    api: {
      // The CLI's template adds graphql_public; the devstack has no pg_graphql, so only public.
      schemas: r.list("api.schemas", ["public"]),
      extraSearchPath: r.list("api.extra_search_path", ["public", "extensions"]),
      maxRows: r.uint("api.max_rows", 1000),
    },
    auth: {
      siteUrl: r.str("auth.site_url", "http://127.0.0.1:3000"),
      additionalRedirectUrls: r.list("auth.additional_redirect_urls", ["https://127.0.0.1:3000"]),
      jwtExpiry: r.uint("auth.jwt_expiry", 3600),
      enableRefreshTokenRotation: r.bool("auth.enable_refresh_token_rotation", true),
      refreshTokenReuseInterval: r.uint("auth.refresh_token_reuse_interval", 10),
      enableSignup: r.bool("auth.enable_signup", true),
      enableAnonymousSignIns: r.bool("auth.enable_anonymous_sign_ins", false),
      minimumPasswordLength: minLength,
      passwordRequirements: requirements as PasswordRequirements,
      signingKeysPath,
      signingKeys: signingKeysPath ? readSigningKeys(signingKeysPath) : [CLI_DEFAULT_SIGNING_KEY],
      rateLimit: {
        // The CLI hands GoTrue `email_sent` only with `[auth.email.smtp] enabled`; with its local
        // mail catcher GoTrue keeps its own default, 30 per hour. The devstack's mailbox is that
        // catcher, so the same; a SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT variable always applies.
        emailSent:
          r.bool("auth.email.smtp.enabled", false) ||
          (env.SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT ?? "") !== ""
            ? r.uint("auth.rate_limit.email_sent", 2)
            : GOTRUE_DEFAULT_EMAIL_SENT,
        smsSent: r.uint("auth.rate_limit.sms_sent", 30),
        anonymousUsers: r.uint("auth.rate_limit.anonymous_users", 30),
        tokenRefresh: r.uint("auth.rate_limit.token_refresh", 150),
        signInSignUps: r.uint("auth.rate_limit.sign_in_sign_ups", 30),
        tokenVerifications: r.uint("auth.rate_limit.token_verifications", 30),
      },
      email: {
        enableSignup: r.bool("auth.email.enable_signup", true),
        doubleConfirmChanges: r.bool("auth.email.double_confirm_changes", true),
        enableConfirmations: r.bool("auth.email.enable_confirmations", false),
        securePasswordChange: r.bool("auth.email.secure_password_change", false),
        maxFrequency: r.seconds("auth.email.max_frequency", "1s"),
        otpLength: r.uint("auth.email.otp_length", 6),
        otpExpiry: r.uint("auth.email.otp_expiry", 3600),
      },
      sms: {
        enableSignup: r.bool("auth.sms.enable_signup", false),
        enableConfirmations: r.bool("auth.sms.enable_confirmations", false),
      },
      mfa: {
        maxEnrolledFactors: r.uint("auth.mfa.max_enrolled_factors", 10),
        totp: {
          enrollEnabled: r.bool("auth.mfa.totp.enroll_enabled", false),
          verifyEnabled: r.bool("auth.mfa.totp.verify_enabled", false),
        },
        phone: {
          enrollEnabled: r.bool("auth.mfa.phone.enroll_enabled", false),
          verifyEnabled: r.bool("auth.mfa.phone.verify_enabled", false),
        },
        webAuthn: {
          enrollEnabled: r.bool("auth.mfa.web_authn.enroll_enabled", false),
          verifyEnabled: r.bool("auth.mfa.web_authn.verify_enabled", false),
        },
      },
      external,
    },
    devstack: readDevstackExtras(path.join(dir, "devstack.toml"), env),
  };
}

function readDevstackExtras(
  file: string,
  env: Record<string, string | undefined>,
): SupabaseProjectConfig["devstack"] {
  const exists = existsSync(file);
  const root = exists ? (substituteEnv(parse(readFileSync(file, "utf8")), env) as Table) : {};
  const r = new Reader(root, env, path.basename(file));
  return {
    source: exists ? file : null,
    passwordHibpEnabled: r.bool("auth.password_hibp_enabled", false),
  };
}
