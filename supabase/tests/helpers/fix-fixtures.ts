import { randomUUID } from "node:crypto";
import { asSuperuser } from "./db";
import {
  buildPipelineWorld,
  type PipelineRows,
  type PipelineWorld,
  SHA,
} from "./pipeline-fixtures";

/**
 * The pipeline world plus the fix rows of both workspaces: a second repository and a second bug,
 * a drafted PR (bug 1, repository 1) and a linked PR (bug 1, repository 2), a successful
 * production deployment, a draft RCA of bug 1 with one publication to its ticket, and fix
 * settings. Written as the superuser (the jobs' writes are the service role's).
 */

export interface FixRows {
  repository2Id: string;
  bug2Id: string;
  draftedPrId: string;
  linkedPrId: string;
  deploymentId: string;
  rcaId: string;
  publicationId: string;
}

export interface FixWorld extends PipelineWorld {
  fa: FixRows;
  fb: FixRows;
}

export const MERGE_SHA = "fedcba9876543210fedcba9876543210fedcba98";
export const HASH = "a".repeat(64);

export const SECTIONS = {
  customer_impact: "Some totals at checkout were one cent too high.",
  timeline: "First reported on 1 December; fixed on 3 December.",
  root_cause: "Prices were rounded before the discount was applied.",
  fix: "Totals are now rounded once, after discounts.",
  prevention: "We added tests for every discount type.",
};

async function one<R>(sql: string, params: unknown[]): Promise<R> {
  const [row] = await asSuperuser<R>(sql, params);
  if (!row) throw new Error(`fixture not created: ${sql.slice(0, 60)}`);
  return row;
}

async function fixRowsFor(organizationId: string, rows: PipelineRows): Promise<FixRows> {
  const unique = randomUUID().slice(0, 8);
  const { integration_id: githubId } = await one<{ integration_id: string }>(
    "select integration_id from public.integration_repositories where id = $1",
    [rows.repositoryId],
  );
  const { id: repository2Id } = await one<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, 8, $3, 'main', true) returning id`,
    [organizationId, githubId, `acme-${unique}/api`],
  );
  const { id: bug2Id } = await one<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     values ($1, 'Refund email missing', 'high', 0.9, 'dismissed') returning id`,
    [organizationId],
  );
  const { id: draftedPrId } = await one<{ id: string }>(
    `insert into public.pull_requests
       (organization_id, bug_id, repository_id, number, url, origin, head_branch, state,
        checks_state, checks, review_state, merge_sha, merged_at)
     values ($1, $2, $3, 41, 'https://github.com/acme/shop/pull/41', 'drafted',
             'patchline/fix-cart', 'merged', 'passing', '[{"name":"ci","conclusion":"success"}]',
             'approved', $4, now())
     returning id`,
    [organizationId, rows.bugId, rows.repositoryId, MERGE_SHA],
  );
  const { id: linkedPrId } = await one<{ id: string }>(
    `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url, origin)
     values ($1, $2, $3, 7, 'https://github.com/acme/api/pull/7', 'linked') returning id`,
    [organizationId, rows.bugId, repository2Id],
  );
  const { id: deploymentId } = await one<{ id: string }>(
    `insert into public.deployments
       (organization_id, repository_id, github_deployment_id, environment, sha, state, state_at)
     values ($1, $2, 900, 'production', $3, 'success', now()) returning id`,
    [organizationId, rows.repositoryId, SHA],
  );
  const { id: rcaId } = await one<{ id: string }>(
    `insert into public.rcas (organization_id, bug_id, sections) values ($1, $2, $3) returning id`,
    [organizationId, rows.bugId, JSON.stringify(SECTIONS)],
  );
  const { id: publicationId } = await one<{ id: string }>(
    `insert into public.rca_publications
       (organization_id, rca_id, ticket_id, version, version_hash, language, status, sent_at)
     values ($1, $2, $3, 1, $4, 'en', 'sent', now()) returning id`,
    [organizationId, rcaId, rows.ticketId, HASH],
  );
  await asSuperuser(
    `insert into public.fix_settings (organization_id, auto_fix_threshold) values ($1, 0.9)`,
    [organizationId],
  );
  return { repository2Id, bug2Id, draftedPrId, linkedPrId, deploymentId, rcaId, publicationId };
}

/** Builds the pipeline world and the fix rows of both workspaces. */
export async function buildFixWorld(label: string): Promise<FixWorld> {
  const world = await buildPipelineWorld(label);
  const fa = await fixRowsFor(world.orgA.id, world.a);
  const fb = await fixRowsFor(world.orgB.id, world.b);
  return { ...world, fa, fb };
}
