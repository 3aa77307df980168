import { z } from "zod";
import { zendeskSubdomain } from "./zendesk/client-config";

/** Inputs of the Settings → Integrations forms (server actions parse them; pages share them). */

export const connectZendeskInput = z.object({
  subdomain: z
    .string()
    .trim()
    .toLowerCase()
    // people paste the whole host; keep only the account name
    .transform((v) => v.replace(/^https?:\/\//, "").replace(/\.zendesk\.com\/?.*$/, ""))
    .pipe(zendeskSubdomain),
});

export const noInput = z.object({});

export const providerInput = z.object({ provider: z.enum(["zendesk", "intercom", "github"]) });

export const repositorySelectionInput = z.object({
  repository_ids: z
    .union([z.uuid(), z.array(z.uuid()).max(1000)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const intercomTeamInput = z.object({
  team_id: z.string().trim().min(1, "Pick a team").max(100),
});

/** The query of the OAuth callbacks (Zendesk, Intercom): a code or the provider's error. */
export const oauthCallbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
});

/** The query GitHub sends to the App's setup URL. */
export const githubSetupQuery = z.object({
  installation_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  setup_action: z.enum(["install", "update", "request"]).optional(),
  state: z.string().max(2048).optional(),
});
