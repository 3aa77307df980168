"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { secretsRotationRequested } from "@/inngest/events";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { isSecureSite } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { beginConnect, ConnectRefusedError } from "@/lib/integrations/connect-flow";
import { githubInstallationSettingsUrl, githubInstallUrl } from "@/lib/integrations/github/connect";
import { intercomAuthorizeUrl } from "@/lib/integrations/intercom/connect";
import {
  disconnectIntegration,
  setIntercomTeam,
  setRepositorySelection,
} from "@/lib/integrations/manage";
import type { OAuthProvider } from "@/lib/integrations/oauth-state";
import { listLiveIntegrations } from "@/lib/integrations/overview";
import {
  githubAppConfig,
  intercomConfig,
  redirectUri,
  zendeskConfig,
} from "@/lib/integrations/provider-config";
import {
  connectZendeskInput,
  intercomTeamInput,
  noInput,
  providerInput,
  repositorySelectionInput,
} from "@/lib/integrations/schemas";
import { zendeskAuthorizeUrl } from "@/lib/integrations/zendesk/connect";
import { ZENDESK_SUBDOMAIN_COOKIE } from "@/lib/integrations/zendesk/subdomain-cookie";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

const manage = "integrations.manage" as const;

/** One support tool per workspace: refuse before sending the person to the provider. */
async function assertFree(
  supabase: ServerSupabaseClient,
  organizationId: string,
  provider: OAuthProvider,
): Promise<void> {
  const live = await listLiveIntegrations(supabase, organizationId);
  const support = (p: string) => p === "zendesk" || p === "intercom";
  const taken = live.find((i) =>
    provider === "github" ? i.provider === "github" : support(i.provider),
  );
  if (taken) {
    throw new AppError(
      "conflict",
      taken.provider === provider
        ? "Already connected. Disconnect it first to connect another account."
        : "This workspace already has a support tool connected. Disconnect it first.",
    );
  }
}

async function stateFor(context: Parameters<typeof beginConnect>[0]): Promise<string> {
  try {
    return await beginConnect(context);
  } catch (error) {
    if (error instanceof ConnectRefusedError) throw new AppError("unauthenticated");
    throw error;
  }
}

/** Zendesk, step 1: the subdomain; then off to Zendesk's consent page. */
export const connectZendesk = orgAction(
  { permission: manage, schema: connectZendeskInput },
  async ({ org, user, input, supabase }) => {
    await assertFree(supabase, org.id, "zendesk");
    const config = zendeskConfig();
    const state = await stateFor({ supabase, user, org, provider: "zendesk" });
    // the callback URL is fixed, so the account name travels beside the flow, for this browser
    // only; the state (signed, single use) is what authorizes the callback, not this cookie
    (await cookies()).set(ZENDESK_SUBDOMAIN_COOKIE, input.subdomain, {
      httpOnly: true,
      sameSite: "lax",
      secure: isSecureSite(),
      path: "/api/integrations/zendesk",
      maxAge: 600,
    });
    redirect(
      zendeskAuthorizeUrl(config, input.subdomain, { redirectUri: redirectUri("zendesk"), state }),
    );
  },
);

/** Intercom: straight to Intercom's consent page; the team is picked after the callback. */
export const connectIntercom = orgAction(
  { permission: manage, schema: noInput },
  async ({ org, user, supabase }) => {
    await assertFree(supabase, org.id, "intercom");
    const config = intercomConfig();
    const state = await stateFor({ supabase, user, org, provider: "intercom" });
    redirect(intercomAuthorizeUrl(config, { redirectUri: redirectUri("intercom"), state }));
  },
);

/** GitHub: the App's installation page; GitHub returns to the setup URL with the installation. */
export const connectGitHub = orgAction(
  { permission: manage, schema: noInput },
  async ({ org, user, supabase }) => {
    await assertFree(supabase, org.id, "github");
    const config = githubAppConfig();
    const state = await stateFor({ supabase, user, org, provider: "github" });
    redirect(githubInstallUrl(config.webBase, config.slug, state));
  },
);

/** GitHub's own page for the installation's repository access; it returns to the setup URL. */
export const changeGitHubAccess = orgAction(
  { permission: manage, schema: noInput },
  async ({ org, user, supabase }) => {
    const github = (await listLiveIntegrations(supabase, org.id)).find(
      (i) => i.provider === "github",
    );
    if (!github) throw new AppError("not_found", "GitHub is not connected.");
    const config = githubAppConfig();
    const state = await stateFor({ supabase, user, org, provider: "github" });
    redirect(githubInstallationSettingsUrl(config.webBase, github.externalAccountId, state));
  },
);

const LABEL: Record<OAuthProvider, string> = {
  zendesk: "Zendesk",
  intercom: "Intercom",
  github: "GitHub",
};

/** Revokes at the provider, deletes the credentials; tickets and bugs stay. */
export const disconnect = orgAction(
  { permission: manage, schema: providerInput },
  async ({ org, user, input }) => {
    await disconnectIntegration({ organizationId: org.id, userId: user.id }, input.provider);
    revalidatePath(orgRoutes(org.slug).integrations);
    return {
      status: "success" as const,
      data: undefined,
      message: `${LABEL[input.provider]} disconnected.`,
    };
  },
);

/** Which repositories Patchline maps bugs into. */
export const saveRepositories = orgAction(
  { permission: manage, schema: repositorySelectionInput },
  async ({ org, user, input }) => {
    const { selected, indexing } = await setRepositorySelection(
      { organizationId: org.id, userId: user.id },
      input.repository_ids,
    );
    revalidatePath(orgRoutes(org.slug).integrations);
    revalidatePath(orgRoutes(org.slug).codebase);
    return {
      status: "success" as const,
      data: undefined,
      message:
        indexing > 0
          ? `Repository selection saved (${selected} selected). Indexing ${indexing === 1 ? "1 repository" : `${indexing} repositories`}: follow it on the Codebase page.`
          : `Repository selection saved (${selected} selected).`,
    };
  },
);

/** The Intercom team whose conversations reach Patchline. */
export const chooseIntercomTeam = orgAction(
  { permission: manage, schema: intercomTeamInput },
  async ({ org, user, input }) => {
    const name = await setIntercomTeam({ organizationId: org.id, userId: user.id }, input.team_id);
    revalidatePath(orgRoutes(org.slug).integrations);
    return {
      status: "success" as const,
      data: undefined,
      message: `Reading ${name}’s conversations.`,
    };
  },
);

/**
 * Re-encrypts this workspace's secrets still on an old key (the rotation job, on demand). The
 * job reports its counts in the audit log; the card shows the last ones.
 */
export const rotateKeys = orgAction(
  { permission: manage, schema: noInput },
  async ({ org, user }) => {
    const { inngest } = await import("@/inngest/client");
    await inngest.send(
      secretsRotationRequested.create({ organizationId: org.id, requestedBy: user.id }),
    );
    return {
      status: "success" as const,
      data: undefined,
      message: "Key rotation started. Reload in a moment to see its counts.",
    };
  },
);
