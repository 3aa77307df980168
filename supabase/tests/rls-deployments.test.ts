import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";
import { SHA } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.deployments: members read their repositories' deployments (bugs.read); only the
 * webhook intake and jobs (service role) write them, so nobody can fake a production deploy.
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("deploys");
});
afterAll(closeDb);
const w = () => world;

describe("rls: deployments", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's deployments",
      (x) => ({
        text: "select id, environment, sha, state from public.deployments where organization_id = $1",
        params: [x.orgA.id],
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
  });

  describe("insert", () => {
    matrix(
      w,
      "record a production deploy directly",
      (x) => ({
        text: `insert into public.deployments
                 (organization_id, repository_id, github_deployment_id, environment, sha, state, state_at)
               values ($1, $2, 901, 'production', $3, 'success', now())`,
        params: [x.orgA.id, x.a.repositoryId, SHA],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "turn a deploy into a success directly",
      (x) => ({
        text: "update public.deployments set state = 'success' where id = $1",
        params: [x.fa.deploymentId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a deploy",
      (x) => ({
        text: "delete from public.deployments where id = $1",
        params: [x.fa.deploymentId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("one row per GitHub deployment and repository, in the repository's workspace", async () => {
      await expect(
        asSuperuser(
          `insert into public.deployments
             (organization_id, repository_id, github_deployment_id, environment, sha, state, state_at)
           values ($1, $2, 900, 'production', $3, 'success', now())`,
          [world.orgA.id, world.a.repositoryId, SHA],
        ),
      ).rejects.toMatchObject({ code: "23505" });
      await expect(
        asSuperuser(
          `insert into public.deployments
             (organization_id, repository_id, github_deployment_id, environment, sha, state, state_at)
           values ($1, $2, 902, 'production', $3, 'success', now())`,
          [world.orgA.id, world.b.repositoryId, SHA],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });
  });
});
