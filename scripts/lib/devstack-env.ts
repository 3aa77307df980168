import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Read by the bench scripts and by the tests (through tests/helpers/devstack-env.ts): it lives
 * with the scripts, because scripts must not import from tests/.
 */

/** The connection facts a running devstack wrote to `<DEVSTACK_HOME>/env` (default `.devstack/env`). */
export interface DevstackEnv {
  API_URL: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
  JWT_SECRET: string;
  DB_URL: string;
  MAILBOX_URL: string;
  INNGEST_BASE_URL: string;
  [key: string]: string;
}

let cached: DevstackEnv | undefined;

/**
 * Reads the env file of the devstack the tests run against. Fails with one clear line when no
 * devstack is running, instead of letting every test time out.
 */
export function devstackEnv(): DevstackEnv {
  if (cached) return cached;
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(
      `No devstack env at ${file}: start one with \`npm run devstack\` (or run \`npm test\`).`,
    );
  }
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = (m[2] ?? "").replace(/^"|"$/g, "");
  }
  for (const key of [
    "API_URL",
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
    "JWT_SECRET",
    "DB_URL",
    "MAILBOX_URL",
  ]) {
    if (!out[key]) throw new Error(`devstack env ${file} lacks ${key}`);
  }
  cached = out as DevstackEnv;
  return cached;
}
