import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * The CI and review columns of public.pull_requests (migration 20261206240000): members read
 * them with the row; no client writes them (insert or update), whatever their role: only the
 * webhook consumer and the link action's state write (service role) do. The jsonb columns stay
 * bounded arrays.
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("pra");
});
afterAll(closeDb);
const w = () => world;

describe("rls: pull_requests activity columns", () => {
  matrix(
    w,
    "read a PR's reviews, comments and state time",
    (x) => ({
      text: "select reviews, comments, state_at, closed_at from public.pull_requests where id = $1",
      params: [x.fa.linkedPrId],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "ok:1",
      viewer: "ok:1",
      outsider: "ok:0",
      anonymous: "error:42501",
    },
  );
  matrix(
    w,
    "link a PR claiming it is approved",
    (x) => ({
      text: `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url, reviews)
             values ($1, $2, $3, 14, 'https://github.com/acme/shop/pull/14',
                     '[{"login":"x","state":"approved","id":1,"at":"2026-12-06T00:00:00Z"}]')`,
      params: [x.orgA.id, x.fa.bug2Id, x.a.repositoryId],
    }),
    everyone("error:42501"),
  );
  matrix(
    w,
    "rewrite a PR's reviews or comments",
    (x) => ({
      text: "update public.pull_requests set reviews = '[]', comments = '[]', state_at = now() where id = $1",
      params: [x.fa.linkedPrId],
    }),
    everyone("error:42501"),
  );

  it("the service role's writes stay bounded arrays", async () => {
    const id = world.fa.linkedPrId;
    await expect(
      asSuperuser("update public.pull_requests set reviews = '{}' where id = $1", [id]),
    ).rejects.toMatchObject({ code: "23514" });
    const many = JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ id: i })));
    await expect(
      asSuperuser("update public.pull_requests set comments = $2 where id = $1", [id, many]),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
