import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { DEFAULT_GATES } from "@/lib/pipeline/gates/settings";
import { GATE_TARGET, type GateCurve, gateFigures } from "@/lib/pipeline/mapping/gate-curve";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery } from "./helpers/devstack";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Settings → Pipeline gates (issue 19): the owner sees the default gates with what the held-out
 * gate curve measured at the mapping gate, live as it changes (a warning below 85% right),
 * saves new gates (stored and audited) and gets field errors for bad input; a viewer reads the
 * same card without controls.
 */

test.describe.configure({ mode: "serial" });

// read as a file: Playwright's ESM loader does not import JSON modules
const GATE_CURVE = JSON.parse(
  readFileSync("lib/pipeline/mapping/gate-curve.json", "utf8"),
) as GateCurve;

let owner: Page;
let slug: string;

const pct = (x: number | null): string => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

/** The highest threshold of the shipped curve below the default where fewer than 85% are right. */
const LOW = GATE_CURVE.points
  .filter(
    (p) =>
      p.threshold < DEFAULT_GATES.mapping && p.rightShare !== null && p.rightShare < GATE_TARGET,
  )
  .at(-1);

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "gates");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("gates");
  await createWorkspace(owner, "Gates Co", slug);
});

test("the owner sees the default gates with the measured figures, live as the mapping gate changes", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings`);
  const card = owner.getByTestId("gate-settings");
  await expect(card.getByRole("heading", { name: "Pipeline gates" })).toBeVisible();
  await expect(card.getByTestId("gate-extraction")).toHaveValue(String(DEFAULT_GATES.extraction));
  await expect(card.getByTestId("gate-mapping")).toHaveValue(String(DEFAULT_GATES.mapping));
  const atDefault = gateFigures(GATE_CURVE, DEFAULT_GATES.mapping);
  await expect(card.getByTestId("gate-right-share")).toHaveText(pct(atDefault.rightShare));
  await expect(card.getByTestId("gate-pass-share")).toHaveText(pct(atDefault.passShare));
  await expect(card.getByTestId("gate-provenance")).toContainText("each repository left out");
  await expect(card.getByTestId("gate-low-warning")).toHaveCount(0);
  await expect(card).toContainText("tickets processed from now on");
  await expectAccessible(owner);

  expect(LOW, "the shipped curve has a threshold below the target").toBeTruthy();
  await card.getByTestId("gate-mapping").fill(String(LOW?.threshold));
  await expect(card.getByTestId("gate-right-share")).toHaveText(pct(LOW?.rightShare ?? null));
  await expect(card.getByTestId("gate-pass-share")).toHaveText(pct(LOW?.passShare ?? 0));
  await expect(card.getByTestId("gate-low-warning")).toContainText("Below 85% right");
  await owner.setViewportSize({ width: 1280, height: 900 });
  await snap(owner, testInfo, "gate-settings-low-1280");
  await owner.setViewportSize({ width: 390, height: 844 });
  await card.scrollIntoViewIfNeeded();
  await snap(owner, testInfo, "gate-settings-low-390");
  await owner.setViewportSize({ width: 1280, height: 900 });
});

test("saving stores the gates for the workspace and audits the change; bad input is refused per field", async () => {
  await owner.goto(`/${slug}/settings`);
  const card = owner.getByTestId("gate-settings");
  // an empty gate is an error beside the field, not a gate of 0 that lets every bug through
  await card.getByTestId("gate-mapping").fill("");
  await card.getByTestId("gate-settings-save").click();
  await expect(owner.locator("#gate-mapping-error")).toHaveText("Enter a number from 0 to 1");
  await expect(card.getByTestId("gate-mapping")).toHaveAttribute("aria-invalid", "true");
  expect(
    await dbQuery(
      `select 1 from public.pipeline_settings p join public.organizations o on o.id = p.organization_id
        where o.slug = $1`,
      [slug],
    ),
  ).toEqual([]);
  await card.getByTestId("gate-mapping").fill("1.5");
  await card.getByTestId("gate-settings-save").click();
  await expect(owner.locator("#gate-mapping-error")).toContainText("Use a value between 0 and 1");

  await card.getByTestId("gate-extraction").fill("0.75");
  await card.getByTestId("gate-mapping").fill("0.9");
  await card.getByTestId("gate-settings-save").click();
  await expect(owner.getByText("Pipeline gates saved. New tickets use them.")).toBeVisible();
  const rows = await dbQuery<{ extraction: string; mapping: string }>(
    `select p.extraction_threshold::text as extraction, p.mapping_threshold::text as mapping
       from public.pipeline_settings p join public.organizations o on o.id = p.organization_id
      where o.slug = $1`,
    [slug],
  );
  expect(rows).toEqual([{ extraction: "0.75", mapping: "0.90" }]);
  const audit = await dbQuery<{ n: string }>(
    `select count(*)::text as n from public.audit_log a join public.organizations o on o.id = a.organization_id
      where o.slug = $1 and a.action = 'pipeline.gates_changed'`,
    [slug],
  );
  expect(audit[0]?.n).toBe("1");
  await owner.reload();
  await expect(card.getByTestId("gate-mapping")).toHaveValue("0.9");
  await expect(card.getByTestId("gate-extraction")).toHaveValue("0.75");
});

test("a viewer reads the gates and the figures without controls", async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "gates-viewer");
  await createConfirmedUser(email);
  await dbQuery(
    `insert into public.memberships (organization_id, user_id, role)
     select o.id, u.id, 'viewer' from public.organizations o, auth.users u
      where o.slug = $1 and u.email = $2`,
    [slug, email],
  );
  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, email);
  await viewer.goto(`/${slug}/settings`);
  const card = viewer.getByTestId("gate-settings");
  await expect(card.getByTestId("gate-mapping")).toHaveValue("0.9");
  await expect(card.getByTestId("gate-mapping")).toBeDisabled();
  await expect(card.getByTestId("gate-extraction")).toBeDisabled();
  await expect(card.getByTestId("gate-settings-save")).toHaveCount(0);
  const at90 = gateFigures(GATE_CURVE, 0.9);
  await expect(card.getByTestId("gate-right-share")).toHaveText(pct(at90.rightShare));
  await expect(card.getByTestId("gate-pass-count")).toHaveText(
    `${Math.round(at90.answers)} of ${GATE_CURVE.n} reports`,
  );
  // the shipped curve keeps fewer than 10 answers at 0.90: the card says the share is thin
  const note = expect(card.getByTestId("gate-provenance"));
  await (at90.answers < 10 ? note : note.not).toContainText("too few to trust");
  await snap(viewer, testInfo, "gate-settings-viewer-1280");
});
