import type { CodeIndex } from "./types";

/** JSON with object keys sorted at every level, so equal values give equal bytes. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Serialise an index deterministically. */
export function serializeIndex(index: CodeIndex): string {
  return stableStringify(index);
}

/** Read an index written by `serializeIndex`. */
export function deserializeIndex(text: string): CodeIndex {
  const parsed = JSON.parse(text) as CodeIndex;
  if (typeof parsed !== "object" || parsed === null || !Array.isArray(parsed.files)) {
    throw new Error("not a code index");
  }
  return parsed;
}
