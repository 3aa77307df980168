/**
 * `npm run rotate-keys [-- --organization <uuid>] [--batch-size <n>]`: asks the background jobs
 * to re-encrypt every secret still on an old key (inngest/functions/rotate-encryption-keys.ts).
 *
 * Rotating a key: put the new key first in ENCRYPTION_KEYS (keep the old ones), deploy, run this,
 * read the counts in the run's output (Inngest dashboard, or the devstack executor's UI), and drop
 * an old key only after a run reports `failed: 0` and a second run rotates 0.
 *
 * Sends the event through the app's Inngest client, configured from the environment like the app
 * (INNGEST_EVENT_KEY in production; INNGEST_DEV / INNGEST_BASE_URL from the devstack env file).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { secretsRotationRequested, secretsRotationRequestedData } from "@/inngest/events";

function loadDevstackEnv(): void {
  if (process.env.INNGEST_EVENT_KEY || process.env.INNGEST_BASE_URL) return;
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  try {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^(INNGEST_[A-Z_]+)=(.*)$/.exec(line.trim());
      if (m?.[1] && process.env[m[1]] === undefined) {
        process.env[m[1]] = (m[2] ?? "").replace(/^"|"$/g, "");
      }
    }
  } catch {
    // no devstack: the Inngest client's own environment applies
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      organization: { type: "string" },
      "batch-size": { type: "string" },
    },
  });
  const data = secretsRotationRequestedData.parse({
    requestedBy: "script",
    ...(values.organization ? { organizationId: values.organization } : {}),
    ...(values["batch-size"] ? { batchSize: Number(values["batch-size"]) } : {}),
  });
  loadDevstackEnv();
  // imported after the environment is complete: the client reads it when it is built
  const { inngest } = await import("@/inngest/client");
  const { ids } = await inngest.send(secretsRotationRequested.create(data));
  console.log(
    `secrets/rotation.requested sent (event ${ids.join(", ")}); counts are in the run's output.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
