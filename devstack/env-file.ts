import { rm, writeFile } from "node:fs/promises";

/**
 * Writes the connection facts `supabase status -o env` would print, plus the names the app reads,
 * so `.devstack/env` can be sourced by the app, the tests and a shell alike.
 */
export async function writeEnvFile(file: string, facts: Record<string, string>): Promise<void> {
  const body = Object.entries(facts)
    .map(([k, v]) => `${k}="${v.replaceAll('"', '\\"')}"`)
    .join("\n");
  await writeFile(file, `${body}\n`, { mode: 0o600 });
}

export async function removeEnvFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
