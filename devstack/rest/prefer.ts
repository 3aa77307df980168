/**
 * The `Prefer` header(s). postgrest-js appends values, so several arrive comma-joined
 * (`count=exact, missing=default, return=representation`). Unknown values are ignored, as
 * PostgREST does without `handling=strict`.
 */
export interface Preferences {
  return?: "minimal" | "representation" | "headers-only";
  count?: "exact" | "planned" | "estimated";
  resolution?: "merge-duplicates" | "ignore-duplicates";
  missing?: "default" | "null";
  tx?: "commit" | "rollback";
  handling?: "strict" | "lenient";
  maxAffected?: number;
  /** The recognised values, for `Preference-Applied`. */
  applied: string[];
}

const allowed: Record<string, readonly string[]> = {
  return: ["minimal", "representation", "headers-only"],
  count: ["exact", "planned", "estimated"],
  resolution: ["merge-duplicates", "ignore-duplicates"],
  missing: ["default", "null"],
  tx: ["commit", "rollback"],
  handling: ["strict", "lenient"],
};

/** Parses every Prefer header value (string or repeated header array). */
export function parsePrefer(header: string | string[] | undefined): Preferences {
  const out: Preferences = { applied: [] };
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const v of values) {
    for (const part of v.split(",")) {
      const p = part.trim();
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim();
      const val = p.slice(eq + 1).trim();
      if (key === "max-affected") {
        const n = Number(val);
        if (Number.isInteger(n) && n >= 0) {
          out.maxAffected = n;
          out.applied.push(`max-affected=${n}`);
        }
        continue;
      }
      const ok = allowed[key];
      if (!ok?.includes(val)) continue;
      if (key === "return") out.return = val as Preferences["return"];
      else if (key === "count") out.count = val as Preferences["count"];
      else if (key === "resolution") out.resolution = val as Preferences["resolution"];
      else if (key === "missing") out.missing = val as Preferences["missing"];
      else if (key === "tx") out.tx = val as Preferences["tx"];
      else if (key === "handling") out.handling = val as Preferences["handling"];
      out.applied.push(`${key}=${val}`);
    }
  }
  return out;
}

/** Which request a Preference-Applied header answers (PostgREST's `responsePreferences`). */
export type PreferenceScope = "read" | "insert" | "update" | "delete" | "rpc";

/**
 * The `Preference-Applied` value PostgREST sends: the honoured preferences that apply to this
 * kind of request, in PostgREST's order; undefined when none. `resolution` applies to inserts
 * that have a conflict target (a primary key or on_conflict).
 */
export function preferenceApplied(
  p: Preferences,
  scope: PreferenceScope,
  hasConflictTarget = false,
): string | undefined {
  const write = scope === "insert" || scope === "update" || scope === "delete";
  const vals: string[] = [];
  if (p.resolution && scope === "insert" && hasConflictTarget)
    vals.push(`resolution=${p.resolution}`);
  if (p.missing && (scope === "insert" || scope === "update")) vals.push(`missing=${p.missing}`);
  if (p.return && write) vals.push(`return=${p.return}`);
  if (p.count) vals.push(`count=${p.count}`);
  if (p.tx) vals.push(`tx=${p.tx}`);
  if (p.handling) vals.push(`handling=${p.handling}`);
  if (
    p.maxAffected !== undefined &&
    (scope === "update" || scope === "delete" || scope === "rpc")
  ) {
    vals.push(`max-affected=${p.maxAffected}`);
  }
  return vals.length ? vals.join(", ") : undefined;
}
