import { ProviderRefusedError, ProviderUnavailableError } from "../provider-errors";
import { appOctokit, type GitHubAppConfig, installationOctokit } from "./app";

/**
 * The GitHub App's connect and disconnect calls, through octokit: the install URL, verifying an
 * installation id with the app JWT (a setup redirect's `installation_id` is only a claim until
 * GitHub confirms it), the repositories an installation token sees, and uninstalling.
 */

export function githubInstallUrl(webBase: string, slug: string, state: string): string {
  const url = new URL(`${webBase}/apps/${encodeURIComponent(slug)}/installations/new`);
  url.searchParams.set("state", state);
  return url.toString();
}

/** Where a person changes which repositories the installation may see (GitHub's own page). */
export function githubInstallationSettingsUrl(
  webBase: string,
  installationId: string,
  state: string,
): string {
  const url = new URL(`${webBase}/settings/installations/${encodeURIComponent(installationId)}`);
  url.searchParams.set("state", state);
  return url.toString();
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/** The installation as GitHub knows it (app JWT); refuses an id that is not ours. */
export async function verifyInstallation(
  config: GitHubAppConfig,
  installationId: number,
): Promise<{ id: number; accountLogin: string; repositorySelection: string }> {
  try {
    const { data } = await appOctokit(config).rest.apps.getInstallation({
      installation_id: installationId,
    });
    const account = data.account as { login?: string; slug?: string } | null;
    return {
      id: data.id,
      accountLogin: account?.login ?? account?.slug ?? "unknown",
      repositorySelection: data.repository_selection,
    };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 401 || status === 403) {
      throw new ProviderRefusedError(`GitHub does not know this installation (HTTP ${status}).`);
    }
    throw new ProviderUnavailableError("GitHub installation lookup failed", { cause: error });
  }
}

export interface GitHubRepository {
  githubRepositoryId: number;
  fullName: string;
  defaultBranch: string | null;
  private: boolean;
}

/** Every repository the installation token may see (paginated). */
export async function listInstallationRepositories(
  apiBaseUrl: string,
  token: string,
): Promise<GitHubRepository[]> {
  try {
    const octokit = installationOctokit(apiBaseUrl, token);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    return repos.map((r) => ({
      githubRepositoryId: r.id,
      fullName: r.full_name,
      defaultBranch: r.default_branch ?? null,
      private: r.private,
    }));
  } catch (error) {
    throw new ProviderUnavailableError("GitHub repository listing failed", { cause: error });
  }
}

/**
 * Disconnect: revokes the installation token we hold, then uninstalls the App from the account,
 * so Patchline keeps no access at all. Both tolerate "already gone" (401/404).
 */
export async function uninstallGitHubApp(
  config: GitHubAppConfig,
  installationId: number,
  token: string | null,
): Promise<void> {
  if (token) {
    try {
      await installationOctokit(config.apiBaseUrl, token).rest.apps.revokeInstallationAccessToken();
    } catch (error) {
      const status = statusOf(error);
      if (status !== 401 && status !== 404) {
        throw new ProviderUnavailableError("GitHub token revocation failed", { cause: error });
      }
    }
  }
  try {
    await appOctokit(config).rest.apps.deleteInstallation({ installation_id: installationId });
  } catch (error) {
    if (statusOf(error) !== 404) {
      throw new ProviderUnavailableError("GitHub uninstall failed", { cause: error });
    }
  }
}
