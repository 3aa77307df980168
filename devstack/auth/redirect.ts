import type { DevstackConfig } from "../config";

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else {
        re += "[^/.]*";
      }
    } else if (c === "?") {
      re += "[^/.]";
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * GoTrue's `IsRedirectURLValid`: a URL on the site URL's host, or one matching an entry of the
 * allow list (globs: `*` within a segment, `**` across), is honoured.
 */
export function isRedirectAllowed(config: DevstackConfig, url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  try {
    if (new URL(config.siteUrl).hostname === target.hostname) return true;
  } catch {
    // an invalid site URL allows nothing by host
  }
  const normalized = target.toString();
  return config.additionalRedirectUrls.some(
    (entry) =>
      entry === url || globToRegExp(entry).test(url) || globToRegExp(entry).test(normalized),
  );
}

/** GoTrue's `GetReferrer`: the requested redirect when allowed, otherwise the site URL. */
export function resolveRedirect(
  config: DevstackConfig,
  requested: string | null | undefined,
): string {
  if (requested && isRedirectAllowed(config, requested)) return requested;
  return config.siteUrl;
}
