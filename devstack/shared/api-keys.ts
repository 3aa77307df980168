import { SignJWT } from "jose";

/**
 * The anon and service-role API keys, derived from the JWT secret the way the Supabase CLI makes
 * them: HS256 over `{iss:"supabase-demo", role, exp:1983812996}`. With the CLI's default secret this
 * yields the well-known demo keys.
 */
export async function deriveApiKeys(
  secret: string,
): Promise<{ anon: string; serviceRole: string }> {
  const key = new TextEncoder().encode(secret);
  const sign = (role: string) =>
    new SignJWT({ iss: "supabase-demo", role, exp: 1983812996 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(key);
  return { anon: await sign("anon"), serviceRole: await sign("service_role") };
}
