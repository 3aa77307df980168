import { randomUUID } from "node:crypto";
import { asSuperuser, buildWorld, type World } from "./db";

/**
 * A world (workspace A with every role, workspace B of the outsider) with pipeline rows in both:
 * per workspace a Zendesk and a GitHub integration, one repository with a ready code index, one
 * ticket with two messages, one bug in review linked to it with one location and one open
 * review item, and gate settings. Written as the superuser (the jobs' writes are the service
 * role's; RLS tests judge what clients may do with the rows).
 */

export interface PipelineRows {
  integrationId: string;
  repositoryId: string;
  ticketId: string;
  bugId: string;
  locationId: string;
  reviewItemId: string;
  codeIndexId: string;
}

export interface PipelineWorld extends World {
  a: PipelineRows;
  b: PipelineRows;
}

export const SHA = "0123456789abcdef0123456789abcdef01234567";

async function one<R>(sql: string, params: unknown[]): Promise<R> {
  const [row] = await asSuperuser<R>(sql, params);
  if (!row) throw new Error(`fixture not created: ${sql.slice(0, 60)}`);
  return row;
}

async function rowsFor(organizationId: string, tag: string): Promise<PipelineRows> {
  const unique = `${tag}${randomUUID().slice(0, 8)}`;
  const { id: integrationId } = await one<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'zendesk', $2) returning id`,
    [organizationId, `zd-${unique}`],
  );
  const { id: githubId } = await one<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'github', $2) returning id`,
    [organizationId, `${Date.now() % 1_000_000_000}${Math.floor(Math.random() * 1000)}`],
  );
  const { id: repositoryId } = await one<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, 7, $3, 'main', true) returning id`,
    [organizationId, githubId, `acme-${unique}/shop`],
  );
  const { id: codeIndexId } = await one<{ id: string }>(
    `insert into public.code_indexes
       (organization_id, repository_id, repository_full_name, branch, commit_sha, status,
        files_done, files_total, files_count, functions_count, index_data, index_bytes)
     values ($1, $2, $3, 'main', $4, 'ready', 3, 3, 3, 12, '{"files":[]}', 12) returning id`,
    [organizationId, repositoryId, `acme-${unique}/shop`, SHA],
  );
  const { id: ticketId } = await one<{ id: string }>(
    `insert into public.tickets
       (organization_id, integration_id, provider, external_id, subject, provider_created_at,
        status, classification, language)
     values ($1, $2, 'zendesk', $3, 'Checkout total is wrong', now(), 'review', 'bug', 'en')
     returning id`,
    [organizationId, integrationId, `t-${unique}`],
  );
  await asSuperuser(
    `insert into public.ticket_messages
       (organization_id, ticket_id, external_id, author_role, position, body, created_at)
     values ($1, $2, 'c1', 'customer', 0, 'The total is off by a cent', now()),
            ($1, $2, 'c2', 'agent', 1, 'Thanks, looking', now())`,
    [organizationId, ticketId],
  );
  const { id: bugId } = await one<{ id: string }>(
    `insert into public.bugs
       (organization_id, title, severity, extraction_confidence, mapping_confidence, status,
        source_ticket_id)
     values ($1, 'Checkout total off by a cent', 'medium', 0.8, 0.4, 'review', $2) returning id`,
    [organizationId, ticketId],
  );
  await asSuperuser(
    `insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)`,
    [organizationId, bugId, ticketId],
  );
  const { id: locationId } = await one<{ id: string }>(
    `insert into public.bug_locations
       (organization_id, bug_id, repository_id, repository_full_name, commit_sha, path,
        function_name, start_line, end_line, confidence, explanation, rank)
     values ($1, $2, $3, $4, $5, 'src/cart.ts', 'cartTotal', 10, 20, 0.4, 'words of the title', 1)
     returning id`,
    [organizationId, bugId, repositoryId, `acme-${unique}/shop`, SHA],
  );
  const { id: reviewItemId } = await one<{ id: string }>(
    `insert into public.review_items (organization_id, bug_id, ticket_id, gate, reason)
     values ($1, $2, $3, 'mapping', 'mapping confidence 0.40 is below the gate 0.70') returning id`,
    [organizationId, bugId, ticketId],
  );
  await asSuperuser(
    `insert into public.pipeline_settings (organization_id, extraction_threshold, mapping_threshold)
     values ($1, 0.7, 0.7)`,
    [organizationId],
  );
  return { integrationId, repositoryId, ticketId, bugId, locationId, reviewItemId, codeIndexId };
}

/** Builds the world and the pipeline rows of both workspaces. */
export async function buildPipelineWorld(label: string): Promise<PipelineWorld> {
  const world = await buildWorld(label);
  const a = await rowsFor(world.orgA.id, "a");
  const b = await rowsFor(world.orgB.id, "b");
  return { ...world, a, b };
}
