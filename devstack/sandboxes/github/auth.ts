import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from "jose";
import type { SandboxContext } from "../context";
import { bearerToken, type SandboxRequest } from "../http";
import type { GithubInstallation, GithubRepo } from "../state";
import { liveToken } from "../tokens";
import { findRepo, ghError, installationRepos, notFound } from "./common";

/** Installation tokens live one hour, as GitHub's do. */
export const INSTALLATION_TOKEN_TTL_SECONDS = 3600;

let cachedKey: { pem: string; key: CryptoKey } | undefined;

/**
 * Verifies an App JWT as GitHub does: RS256 signed with the App's private key, `iss` the App id,
 * `exp` at most ten minutes ahead, `iat` not in the future (some clock drift allowed).
 */
export async function requireAppJwt(ctx: SandboxContext, req: SandboxRequest): Promise<void> {
  const token = bearerToken(req);
  if (!token) throw ghError(401, "A JSON web token could not be decoded");
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw ghError(401, "A JSON web token could not be decoded");
  }
  if (header.alg !== "RS256") throw ghError(401, "A JSON web token could not be decoded");
  if (String(claims.iss) !== ctx.credentials.GITHUB_APP_ID) {
    throw ghError(401, `'Issuer' claim ('iss') must be an Integer`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== "number" || claims.iat > now + 60) {
    throw ghError(
      401,
      "'Issued at' claim ('iat') must be an Integer representing a time in the past",
    );
  }
  // GitHub's rule: `exp` at most ten minutes ahead (clients commonly send iat = now − 60 and
  // exp = now + 600); 30 s of drift allowed.
  if (typeof claims.exp !== "number" || claims.exp > now + 600 + 30) {
    throw ghError(401, "'Expiration time' claim ('exp') is too far in the future");
  }
  const pem = ctx.state.github.publicKeyPem;
  if (cachedKey?.pem !== pem) cachedKey = { pem, key: await importSPKI(pem, "RS256") };
  try {
    await jwtVerify(token, cachedKey.key, { algorithms: ["RS256"], clockTolerance: 60 });
  } catch (err) {
    const expired = (err as { code?: string }).code === "ERR_JWT_EXPIRED";
    throw ghError(
      401,
      expired
        ? "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
        : "A JSON web token could not be decoded",
    );
  }
}

/** The installation an installation token belongs to, or GitHub's 401 "Bad credentials". */
export function requireInstallation(ctx: SandboxContext, req: SandboxRequest): GithubInstallation {
  const t = liveToken(ctx, bearerToken(req), "github", ["installation"]);
  const inst = t && ctx.state.github.installations.find((i) => String(i.id) === t.account);
  if (!inst || inst.suspended) throw ghError(401, "Bad credentials");
  return inst;
}

/**
 * A repository the request's installation token may see. Another installation's repository is a
 * 404, as on GitHub (existence is not disclosed).
 */
export function requireRepo(
  ctx: SandboxContext,
  req: SandboxRequest,
  owner: string,
  name: string,
): GithubRepo {
  const inst = requireInstallation(ctx, req);
  const repo = findRepo(ctx, owner, name);
  if (!installationRepos(ctx, inst).some((r) => r.id === repo.id)) throw notFound();
  return repo;
}
