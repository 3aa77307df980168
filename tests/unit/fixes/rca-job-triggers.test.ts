import { describe, expect, it, vi } from "vitest";
import { matchCel } from "@/devstack/executor/cel";
import { plainTextToHtml } from "@/lib/fixes/rca-jobs/post-to-ticket";

vi.mock("server-only", () => ({}));

/**
 * Which GitHub deliveries start deploy detection and RCA drafting: the intake names a GitHub
 * delivery `<event>.<action>` (deployment_status.created, pull_request.closed), and a trigger
 * written for the bare event name would never fire.
 */

const [{ githubDeploymentStatus }, { draftRca }] = await Promise.all([
  import("@/inngest/functions/github-deployment-status"),
  import("@/inngest/functions/draft-rca"),
]);

type Fn = { opts: { triggers?: Array<{ event?: unknown; if?: string }> } };

function starts(fn: unknown, provider: string, eventType: string): boolean {
  const triggers = (fn as Fn).opts.triggers ?? [];
  const event = { name: "webhook/delivery.received", data: { provider, eventType } };
  return triggers.some((t) => {
    const name = typeof t.event === "string" ? t.event : (t.event as { name: string }).name;
    return name === event.name && (!t.if || matchCel(t.if, { event }));
  });
}

describe("fix-loop consumers of webhook deliveries", () => {
  it.each([
    ["github", "deployment_status.created", true, false],
    ["github", "pull_request.closed", false, true],
    ["github", "pull_request.opened", false, false],
    ["github", "deployment.created", false, false],
    ["github", "push", false, false],
    ["zendesk", "zen:event-type:ticket.created", false, false],
  ] as const)("%s %s: deploy detection %s, drafting %s", (provider, type, deploy, draft) => {
    expect(starts(githubDeploymentStatus, provider, type)).toBe(deploy);
    expect(starts(draftRca, provider, type)).toBe(draft);
  });
});

describe("plainTextToHtml (Intercom replies)", () => {
  it("makes paragraphs and line breaks, and escapes markup", () => {
    expect(plainTextToHtml('Hello,\n\nFirst <b>line</b>\nsecond & "third"')).toBe(
      "<p>Hello,</p><p>First &lt;b&gt;line&lt;/b&gt;<br>second &amp; &quot;third&quot;</p>",
    );
  });
});
