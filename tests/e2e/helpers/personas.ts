import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The personas the setup project creates (test-results/.auth/): each with a confirmed account,
 * a workspace of their own and a saved, signed-in browser state.
 */
export interface Persona {
  email: string;
  password: string;
  workspace: { name: string; slug: string };
  storageState: string;
}

export const AUTH_DIR = path.resolve("test-results/.auth");
export const PERSONAS_FILE = path.join(AUTH_DIR, "personas.json");

export type PersonaName = "owner" | "outsider";

/** Where a persona's signed-in browser state is saved (known before the setup has run). */
export function storageStateOf(name: PersonaName): string {
  return path.join(AUTH_DIR, `${name}.json`);
}

export function persona(name: PersonaName): Persona {
  const all = JSON.parse(readFileSync(PERSONAS_FILE, "utf8")) as Record<PersonaName, Persona>;
  return all[name];
}
