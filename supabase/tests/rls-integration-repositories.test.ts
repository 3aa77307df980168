import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.integration_repositories: every member (bugs.read) reads the repositories of
 * their workspace's GitHub installation; writes are the service role's only.
 */

let world: World;
let integrationA: string;
let integrationB: string;
let repositoryA: string;
const suffix = randomUUID().slice(0, 8);
const installation = (n: number) => `${n}${Date.now() % 1_000_000_000}`;

beforeAll(async () => {
  world = await buildWorld("repos");
  const [a] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'github', $2) returning id`,
    [world.orgA.id, installation(1)],
  );
  const [b] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'github', $2) returning id`,
    [world.orgB.id, installation(2)],
  );
  if (!a || !b) throw new Error("fixtures not created");
  integrationA = a.id;
  integrationB = b.id;
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, 101, $3, 'main', true), ($1, $2, 102, $4, 'main', false) returning id`,
    [world.orgA.id, integrationA, `acme-${suffix}/web`, `acme-${suffix}/api`],
  );
  await asSuperuser(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name)
     values ($1, $2, 201, $3)`,
    [world.orgB.id, integrationB, `other-${suffix}/app`],
  );
  if (!repo) throw new Error("fixtures not created");
  repositoryA = repo.id;
});
afterAll(closeDb);
const w = () => world;

describe("rls: integration_repositories", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's repositories",
      (x) => ({
        text: "select id, full_name, selected from public.integration_repositories where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:2",
        admin: "ok:2",
        member: "ok:2",
        viewer: "ok:2",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "select every repository without a filter",
      () => ({ text: "select id from public.integration_repositories" }),
      {
        owner: "ok:2",
        admin: "ok:2",
        member: "ok:2",
        viewer: "ok:2",
        outsider: "ok:1",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "add a repository directly",
      (x) => ({
        text: `insert into public.integration_repositories
                 (organization_id, integration_id, github_repository_id, full_name)
               values ($1, $2, 999, 'evil/repo')`,
        params: [x.orgA.id, integrationA],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "change the repository selection directly",
      () => ({
        text: "update public.integration_repositories set selected = false where id = $1",
        params: [repositoryA],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "remove a repository directly",
      () => ({
        text: "delete from public.integration_repositories where id = $1",
        params: [repositoryA],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a repository cannot claim another workspace than its integration's", async () => {
      await expect(
        asSuperuser(
          `insert into public.integration_repositories
             (organization_id, integration_id, github_repository_id, full_name)
           values ($1, $2, 301, 'mixed/up')`,
          [world.orgA.id, integrationB],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });

    it("one row per repository and installation", async () => {
      await expect(
        asSuperuser(
          `insert into public.integration_repositories
             (organization_id, integration_id, github_repository_id, full_name)
           values ($1, $2, 101, 'dup/licate')`,
          [world.orgA.id, integrationA],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });
  });
});
