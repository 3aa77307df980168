import { describe, expect, it, vi } from "vitest";
import { NOTIFICATION_EVENT_TYPES } from "@/lib/notifications/catalog";
import {
  buildSlackMessage,
  contentHash,
  deliveryMetadata,
  escapeMrkdwn,
  type PullRequestState,
} from "@/lib/notifications/slack/message";

vi.mock("server-only", () => ({}));

/**
 * What a Slack message says: the bell's words, a link into the workspace, the fix PR's state for
 * a new bug, and nothing from the ticket (the payload is ids and small facts; a test payload
 * stuffed with a customer's name, address and ticket text must not leak any of it).
 */

const SITE = "https://app.patchline.dev";
const BUG = "3f0e8d1c-7b8a-4b8c-9a61-0d5d6f1e2a3b";

const pr = (over: Partial<PullRequestState> = {}): PullRequestState => ({
  repositoryFullName: "acme/storefront",
  number: 12,
  url: "https://github.com/acme/storefront/pull/12",
  state: "open",
  checksState: "pending",
  reviewState: "none",
  ...over,
});

describe("buildSlackMessage", () => {
  it("says what happened and links to the bug in the workspace", () => {
    const m = buildSlackMessage({
      type: "critical_bug",
      payload: { bugId: BUG, severity: "critical", status: "mapped" },
      workspaceSlug: "acme",
      site: SITE,
    });
    expect(m.text).toContain("Critical bug");
    expect(m.text).toContain(`${SITE}/acme/bugs/${BUG}`);
    expect(JSON.stringify(m.blocks)).toContain(`<${SITE}/acme/bugs/${BUG}|Critical bug>`);
  });

  it("shows each fix PR's CI and review state, so an edit changes only that line", () => {
    const pending = buildSlackMessage({
      type: "bug_created",
      payload: { bugId: BUG, severity: "high", status: "mapped" },
      workspaceSlug: "acme",
      site: SITE,
      pullRequests: [pr()],
    });
    const passing = buildSlackMessage({
      type: "bug_created",
      payload: { bugId: BUG, severity: "high", status: "mapped" },
      workspaceSlug: "acme",
      site: SITE,
      pullRequests: [pr({ checksState: "passing", reviewState: "approved" })],
    });
    expect(JSON.stringify(pending.blocks)).toContain(
      "acme/storefront#12> · open · :hourglass_flowing_sand: CI running · no review yet",
    );
    expect(JSON.stringify(passing.blocks)).toContain(":white_check_mark: CI passing · approved");
    expect(passing.text).toContain("acme/storefront#12: CI passing");
    expect(contentHash(pending)).not.toBe(contentHash(passing));
    expect(contentHash(passing)).toBe(
      contentHash(
        buildSlackMessage({
          type: "bug_created",
          payload: { bugId: BUG, severity: "high", status: "mapped" },
          workspaceSlug: "acme",
          site: SITE,
          pullRequests: [pr({ checksState: "passing", reviewState: "approved" })],
        }),
      ),
    );
  });

  it("never carries ticket text, customer names or addresses, whatever the payload holds", () => {
    const leaks = {
      customer: "Casey Customer",
      email: "casey@customer.example",
      title: "Checkout total wrong for Casey",
      summary: "Casey wrote: my card 4242 was charged twice",
    };
    for (const type of NOTIFICATION_EVENT_TYPES) {
      if (type === "daily_digest") continue; // email only, never posted to Slack
      const m = buildSlackMessage({
        type,
        payload: {
          bugId: BUG,
          severity: "critical",
          status: "mapped",
          ticketId: "t1",
          threshold: 80,
          provider: "zendesk",
          reason: "trial_ending",
          ...leaks,
        },
        workspaceSlug: "acme",
        site: SITE,
        pullRequests: [pr()],
      });
      const said = JSON.stringify(m).toLowerCase();
      for (const leak of ["casey", "customer.example", "4242", "charged twice"])
        expect(said, `${type} says ${leak}`).not.toContain(leak);
    }
  });

  it("escapes Slack's control characters in what it interpolates", () => {
    expect(escapeMrkdwn("a <b> & c")).toBe("a &lt;b&gt; &amp; c");
    const m = buildSlackMessage({
      type: "bug_created",
      payload: { bugId: BUG, severity: "high", status: "mapped" },
      workspaceSlug: "acme",
      site: SITE,
      pullRequests: [pr({ repositoryFullName: "acme/<!channel>" })],
    });
    expect(JSON.stringify(m.blocks)).not.toContain("<!channel>");
  });

  it("names its ledger row in the metadata, so a retry can find a post whose answer was lost", () => {
    expect(deliveryMetadata("row-1")).toEqual({
      event_type: "patchline_notification",
      event_payload: { delivery_id: "row-1" },
    });
  });
});
