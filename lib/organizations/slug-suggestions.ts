import { organizationSlugSchema, slugify } from "@/lib/auth/schemas";

/** Alternatives to offer when a slug is taken or reserved, best first, all valid. */
export function slugSuggestions(base: string, taken: ReadonlySet<string> = new Set()): string[] {
  const root = slugify(base).slice(0, 30).replace(/-+$/g, "") || "workspace";
  const candidates = [`${root}-team`, `${root}-hq`, `${root}-app`];
  for (let n = 2; n < 10; n++) candidates.push(`${root}-${n}`);
  return candidates
    .filter((c) => organizationSlugSchema.safeParse(c).success && !taken.has(c))
    .slice(0, 3);
}
