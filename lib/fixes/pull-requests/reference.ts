import { z } from "zod";

/**
 * What a person types to link a pull request: its URL (GitHub's, or any web base ending in
 * `/{owner}/{repo}/pull/{n}`, as the sandbox serves), `owner/repo#n`, or a number (`12`, `#12`)
 * with the repository chosen beside it.
 */

export interface PullRequestReference {
  repository: string | null;
  number: number;
}

const NAME = "[A-Za-z0-9_.-]{1,100}";
const URL_PATH = new RegExp(`/(${NAME})/(${NAME})/pulls?/(\\d{1,9})(?:/[^?#]*)?$`);
const SHORT = new RegExp(`^(${NAME}/${NAME})#(\\d{1,9})$`);
const NUMBER = /^#?(\d{1,9})$/;

export function parsePullRequestReference(text: string): PullRequestReference | null {
  const value = text.trim();
  const number = NUMBER.exec(value);
  if (number) return { repository: null, number: Number(number[1]) };
  const short = SHORT.exec(value);
  if (short) return { repository: short[1] ?? null, number: Number(short[2]) };
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    const m = URL_PATH.exec(url.pathname.replace(/\/+$/, ""));
    if (m) return { repository: `${m[1]}/${m[2]}`, number: Number(m[3]) };
  }
  return null;
}

export const linkPullRequestInput = z
  .object({
    bugId: z.uuid(),
    reference: z
      .string()
      .trim()
      .min(1, "Enter the pull request's URL or number.")
      .max(500, "That is too long for a pull request URL."),
    repository: z
      .string()
      .trim()
      .max(201)
      .optional()
      .transform((v) => (v ? v : undefined)),
  })
  .transform((input, ctx) => {
    const ref = parsePullRequestReference(input.reference);
    if (!ref || ref.number < 1) {
      ctx.addIssue({
        code: "custom",
        path: ["reference"],
        message: "Enter a pull request URL (…/owner/repo/pull/12), owner/repo#12, or a number.",
      });
      return z.NEVER;
    }
    const repository = ref.repository ?? input.repository;
    if (!repository) {
      ctx.addIssue({
        code: "custom",
        path: ["repository"],
        message: `Choose the repository of pull request #${ref.number}.`,
      });
      return z.NEVER;
    }
    return { bugId: input.bugId, repository, number: ref.number };
  });
export type LinkPullRequestInput = z.infer<typeof linkPullRequestInput>;

export const unlinkPullRequestInput = z.object({ bugId: z.uuid(), pullRequestId: z.uuid() });
