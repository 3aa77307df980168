import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery, devstackEnv } from "./helpers/devstack";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Issue 13, "End to end with the sandboxes": a workspace connects Zendesk, a ticket is created
 * with the sandbox CLI (`npm run sandbox -- zendesk ticket-created`, a child process against the
 * same devstack), and it shows on the Tickets page within seconds; the Zendesk delivery log in
 * Settings → Integrations lists it. The sandbox then redelivers the very same request (its
 * control API, like Zendesk's retry): the app answers "duplicate" and nothing changes — same
 * tickets, messages and ledger rows.
 */

const run = promisify(execFile);

interface SandboxDelivery {
  id: string;
  url: string;
  event: string;
  body: string;
  state: string;
  attempts: Array<{ status?: number; error?: string; responseBody?: string }>;
}

async function control<T>(method: string, path: string): Promise<T> {
  const res = await fetch(`${devstackEnv("SANDBOX_URL")}/_control${path}`, { method });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function counts(slug: string) {
  const [row] = await dbQuery<{ tickets: number; messages: number; deliveries: number }>(
    `select (select count(*)::int from public.tickets t where t.organization_id = o.id) as tickets,
            (select count(*)::int from public.ticket_messages m where m.organization_id = o.id) as messages,
            (select count(*)::int from public.webhook_deliveries d where d.organization_id = o.id) as deliveries
       from public.organizations o where o.slug = $1`,
    [slug],
  );
  return row;
}

test("a Zendesk ticket from the sandbox CLI reaches the Tickets page; its redelivery changes nothing", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const email = uniqueEmail(testInfo, "intake");
  await createConfirmedUser(email);
  await signIn(page, email);
  const slug = uniqueSlug("intake");
  await createWorkspace(page, "Intake Co", slug);

  // connect Zendesk as a person would: subdomain, the sandbox's consent page, back connected
  const subdomain = `intake-${randomBytes(3).toString("hex")}`;
  await page.goto(`/${slug}/settings/integrations`);
  await page.getByTestId("zendesk-subdomain").fill(subdomain);
  await page.getByTestId("zendesk-connect").click();
  await page.getByTestId("sandbox-allow").click();
  await expect(page.getByTestId("zendesk-status")).toHaveText("Connected");
  await expect(page.getByTestId("zendesk-deliveries-empty")).toBeVisible();
  await expect(page.getByTestId("zendesk-last-event")).toHaveText("None yet");
  await expectAccessible(page);
  await snap(page, testInfo, "delivery-log-empty");

  // the CLI, as a developer runs it, against this devstack
  const subject = `Coupon applied twice ${randomBytes(3).toString("hex")}`;
  const cli = await run(
    "npm",
    [
      "run",
      "--silent",
      "sandbox",
      "--",
      "zendesk",
      "ticket-created",
      "--subdomain",
      subdomain,
      "--subject",
      subject,
      "--body",
      "I used SAVE10 and the discount was applied twice at checkout.",
      "--email",
      "customer@example.com",
    ],
    { env: { ...process.env, DEVSTACK_HOME: process.env.DEVSTACK_HOME ?? ".devstack" } },
  );
  const ticketNumber = /Zendesk ticket #(\d+)/.exec(cli.stdout)?.[1];
  expect(ticketNumber, cli.stdout).toBeTruthy();
  // the CLI waits for the app's first answer and prints it
  expect(cli.stdout).toMatch(/webhook .*→ \S+\/api\/webhooks\/zendesk: 200 \(delivered\)/);

  // on the Tickets page within seconds (the pipeline runs in the executor, not in the request)
  const started = Date.now();
  await expect(async () => {
    await page.goto(`/${slug}/tickets`);
    await expect(page.getByTestId("ticket-link").filter({ hasText: subject })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000, intervals: [500, 1_000] });
  const seconds = (Date.now() - started) / 1000;
  testInfo.annotations.push({ type: "ticket visible after", description: `${seconds}s` });
  const row = page.getByTestId("ticket-row").filter({ hasText: subject });
  await expect(row).toContainText(`#${ticketNumber}`);
  await expectAccessible(page);
  await snap(page, testInfo, "tickets-after-cli");

  // the delivery, as the sandbox recorded it: one attempt, answered 200
  const { deliveries } = await control<{ deliveries: SandboxDelivery[] }>(
    "GET",
    "/deliveries?provider=zendesk&event=zen:event-type:ticket.created&limit=200",
  );
  const delivery = deliveries.find((d) => d.body.includes(subject));
  expect(delivery?.attempts.map((a) => a.status)).toEqual([200]);
  const eventId = (JSON.parse(delivery?.body ?? "{}") as { id?: string }).id;
  expect(eventId).toBeTruthy();

  // wait for the ledger to settle (processed), then take the counts the redelivery must keep
  await expect
    .poll(
      async () =>
        (
          await dbQuery<{ status: string }>(
            "select status from public.webhook_deliveries where provider = 'zendesk' and provider_event_id = $1",
            [eventId],
          )
        )[0]?.status,
      { timeout: 20_000 },
    )
    .toBe("processed");
  const before = await counts(slug);
  expect(before).toMatchObject({ tickets: 1, deliveries: 1 });
  expect(before?.messages).toBeGreaterThan(0);

  // the sandbox sends the very same bytes and headers again
  await control("POST", `/deliveries/${delivery?.id}/redeliver`);
  await expect
    .poll(
      async () =>
        (await control<{ delivery: SandboxDelivery }>("GET", `/deliveries/${delivery?.id}`))
          .delivery.attempts.length,
      { timeout: 15_000 },
    )
    .toBe(2);
  const again = (await control<{ delivery: SandboxDelivery }>("GET", `/deliveries/${delivery?.id}`))
    .delivery;
  const answer = again.attempts.at(-1);
  expect(answer?.status).toBe(200);
  expect(JSON.parse(answer?.responseBody ?? "{}")).toEqual({ received: true, duplicate: true });

  // nothing changed, also after the executor would have run a second event
  await page.waitForTimeout(3_000);
  expect(await counts(slug)).toEqual(before);
  await page.goto(`/${slug}/tickets`);
  await expect(page.getByTestId("ticket-row")).toHaveCount(1);

  // Settings → Integrations: last event received and the one delivery, processed
  await page.goto(`/${slug}/settings/integrations`);
  await expect(page.getByTestId("zendesk-last-event").locator("time")).toBeVisible();
  const log = page.getByTestId("zendesk-deliveries");
  await expect(log.getByTestId("delivery-row")).toHaveCount(1);
  const logged = log.locator(`[data-testid="delivery-row"][data-delivery-id="${eventId}"]`);
  await expect(logged.getByTestId("delivery-event")).toHaveText("zen:event-type:ticket.created");
  await expect(logged.getByTestId("delivery-verdict")).toHaveText("Processed");
  // the log shows bookkeeping only: not the ticket's text
  await expect(log).not.toContainText(subject);
  await expect(log).not.toContainText("SAVE10");
  await expectAccessible(page);
  await log.scrollIntoViewIfNeeded();
  await snap(page, testInfo, "delivery-log");
});
