/**
 * `npm run sandbox -- github check|status|review|request-review|comment`: act as a CI system or
 * a reviewer on a pull request of the GitHub sandbox (docs/sandboxes.md). Kept apart from
 * scripts/sandbox.ts, which dispatches here.
 */

export const GITHUB_PR_HELP = `  github check --repo owner/name --pr N [--name ci] [--conclusion success|failure|…] [--run ID]
                 no --conclusion: the run starts (in progress); --run ID completes that run
  github status --repo owner/name --pr N --state success|failure|pending|error [--context ci/x]
  github review --repo owner/name --pr N --event approve|request-changes|comment [--reviewer login] [--body "…"]
  github request-review --repo owner/name --pr N --reviewer login… [--remove]
  github comment --repo owner/name --pr N --body "…" [--author login]`;

/** Flags these commands add to the CLI's parseArgs options. */
export const GITHUB_PR_FLAGS = {
  conclusion: { type: "string" },
  run: { type: "string" },
  context: { type: "string" },
  event: { type: "string" },
  reviewer: { type: "string", multiple: true },
  remove: { type: "boolean" },
  author: { type: "string" },
  sha: { type: "string" },
} as const;

export const GITHUB_PR_COMMANDS = [
  "github check",
  "github status",
  "github review",
  "github request-review",
  "github comment",
] as const;

interface DeliveryRef {
  id: string;
  url: string;
  event?: string;
}
type Flags = Record<string, string | boolean | string[] | undefined>;
type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const str = (flags: Flags, name: string) => {
  const v = flags[name];
  return typeof v === "string" && v ? v : undefined;
};
const need = (flags: Flags, name: string) => {
  const v = str(flags, name);
  if (!v) throw new Error(`--${name} is required (npm run sandbox -- --help)`);
  return v;
};
const target = (flags: Flags) => ({
  repo: need(flags, "repo"),
  ...(str(flags, "sha") ? { sha: str(flags, "sha") } : { pr: need(flags, "pr") }),
});

/** Runs one of GITHUB_PR_COMMANDS; returns the deliveries it caused, for the CLI to report. */
export async function runGithubPrCommand(
  key: string,
  flags: Flags,
  call: Call,
): Promise<DeliveryRef[]> {
  const reviewers = Array.isArray(flags.reviewer) ? flags.reviewer : [];
  switch (key) {
    case "github check": {
      const out = await call<{
        check_run: { id: number; name: string; status: string; conclusion: string | null };
        deliveries: DeliveryRef[];
      }>("POST", "/github/check", {
        ...target(flags),
        name: str(flags, "name") ?? "ci",
        conclusion: str(flags, "conclusion"),
        check_run_id: str(flags, "run"),
      });
      const c = out.check_run;
      console.log(
        `Check run ${c.id} "${c.name}" on ${flags.repo}${flags.pr ? `#${flags.pr}` : ""}: ${c.conclusion ?? c.status}`,
      );
      return out.deliveries;
    }
    case "github status": {
      const out = await call<{
        status: { context: string; state: string };
        deliveries: DeliveryRef[];
      }>("POST", "/github/status", {
        ...target(flags),
        state: need(flags, "state"),
        ...(str(flags, "context") ? { context: str(flags, "context") } : {}),
      });
      console.log(`Commit status "${out.status.context}": ${out.status.state}`);
      return out.deliveries;
    }
    case "github review": {
      const event = need(flags, "event").toUpperCase().replace("-", "_");
      const out = await call<{
        review: { id: number; state: string; user: { login: string } };
        deliveries: DeliveryRef[];
      }>("POST", "/github/review", {
        repo: need(flags, "repo"),
        pr: need(flags, "pr"),
        event: event === "APPROVED" ? "APPROVE" : event,
        ...(reviewers[0] ? { reviewer: reviewers[0] } : {}),
        ...(str(flags, "body") ? { body: str(flags, "body") } : {}),
      });
      console.log(
        `Review ${out.review.id} by ${out.review.user.login} on ${flags.repo}#${flags.pr}: ${out.review.state}`,
      );
      return out.deliveries;
    }
    case "github request-review": {
      if (reviewers.length === 0) throw new Error("--reviewer is required (one or more)");
      const out = await call<{ requested_reviewers: string[]; deliveries: DeliveryRef[] }>(
        "POST",
        "/github/request-review",
        {
          repo: need(flags, "repo"),
          pr: need(flags, "pr"),
          reviewers,
          remove: flags.remove === true,
        },
      );
      console.log(
        `Review requested on ${flags.repo}#${flags.pr} from: ${out.requested_reviewers.join(", ") || "nobody"}`,
      );
      return out.deliveries;
    }
    case "github comment": {
      const out = await call<{ comment: { id: number }; deliveries: DeliveryRef[] }>(
        "POST",
        "/github/comment",
        {
          repo: need(flags, "repo"),
          pr: need(flags, "pr"),
          body: need(flags, "body"),
          ...(str(flags, "author") ? { author: str(flags, "author") } : {}),
        },
      );
      console.log(`Comment ${out.comment.id} on ${flags.repo}#${flags.pr}`);
      return out.deliveries;
    }
    default:
      throw new Error(`unknown command "${key}"`);
  }
}
