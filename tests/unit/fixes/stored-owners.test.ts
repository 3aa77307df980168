import { describe, expect, it } from "vitest";
import { type CommitRecord, suggestedOwners, synthesizeOwners } from "@/lib/fixes/owner-synthesis";
import {
  fromStoredOwners,
  STORED_OWNERS_PER_PATH,
  toStoredOwners,
} from "@/lib/fixes/owners/stored";

const NOW = new Date("2026-12-06T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function commit(i: number, login: string, files: string[], age = 10): CommitRecord {
  return {
    sha: i.toString(16).padStart(40, "0"),
    authoredAt: daysAgo(age),
    author: { name: login, email: `${login}@acme.test`, login },
    message: "fix: something",
    files,
  };
}

describe("stored owners (public.repository_owners.owners)", () => {
  it("round-trips through JSON and suggests the same owners as the live result", () => {
    const live = synthesizeOwners(
      [
        commit(1, "ana", ["src/cart/total.ts", "src/cart/tax.ts"], 5),
        commit(2, "ana", ["src/cart/total.ts"], 30),
        commit(3, "bo", ["src/cart/total.ts"], 200),
        commit(4, "cy", ["docs/readme.md"], 1),
      ],
      { now: NOW },
    );
    const stored = fromStoredOwners(JSON.parse(JSON.stringify(toStoredOwners(live))));
    expect(stored).not.toBeNull();
    if (!stored) return;
    for (const path of ["src/cart/total.ts", "src/cart/new-file.ts", "lib/elsewhere.ts"]) {
      expect(suggestedOwners(stored, path).map((o) => o.id)).toEqual(
        suggestedOwners(live, path).map((o) => o.id),
      );
    }
    expect(suggestedOwners(stored, "src/cart/new-file.ts")[0]?.login).toBe("ana");
  });

  it("keeps only the heaviest owners of each path", () => {
    const commits = Array.from({ length: 9 }, (_, i) => commit(i + 1, `dev${i}`, ["a.ts"], i));
    const stored = toStoredOwners(synthesizeOwners(commits, { now: NOW })) as Record<
      string,
      Array<{ id: string }>
    >;
    expect(stored["a.ts"]?.map((o) => o.id)).toEqual(
      ["@dev0", "@dev1", "@dev2", "@dev3", "@dev4"].slice(0, STORED_OWNERS_PER_PATH),
    );
  });

  it("refuses a value that is not in the stored shape", () => {
    expect(fromStoredOwners({ "a.ts": [{ id: "" }] })).toBeNull();
    expect(fromStoredOwners([])).toBeNull();
    expect(fromStoredOwners({})?.byPath.size).toBe(0);
  });
});
