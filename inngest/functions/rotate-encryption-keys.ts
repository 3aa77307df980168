import type { Inngest } from "inngest";
import { rotateAll, rotateBatch } from "@/lib/integrations/key-rotation";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { secretsRotationRequested } from "../events";

const rotationLog = log.child({ module: "inngest.rotate-encryption-keys" });

/**
 * Re-encrypts every `*_enc` value still on an old key, one step per batch (`<table>-batch-<n>`),
 * and returns the counts (scanned, rotated, failed). Idempotent (a second run rotates 0) and
 * resumable (the rows are the progress: a rerun after a kill finishes the rest). One rotation at
 * a time; each workspace touched gets a `secrets.rotated` audit entry per batch.
 */
export const rotateEncryptionKeys = defineRotateEncryptionKeys(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineRotateEncryptionKeys(client: Inngest) {
  return client.createFunction(
    {
      id: "rotate-encryption-keys",
      triggers: [secretsRotationRequested],
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ event, step }) => {
      const { organizationId, batchSize } = event.data;
      const totals = await rotateAll(
        (id, fn) => step.run(id, fn) as Promise<Awaited<ReturnType<typeof fn>>>,
        async (input) => {
          // server-only modules (keyring, admin client) load when a batch runs, not when the
          // function list is imported (the serve route's tests import it outside a server)
          const [{ getKeyring }, { databaseRotationStore }] = await Promise.all([
            import("@/lib/crypto"),
            import("@/lib/integrations/rotation-store"),
          ]);
          return rotateBatch(input, {
            keyring: getKeyring(),
            store: databaseRotationStore({ organizationId }),
          });
        },
        { limit: batchSize ?? 100 },
      );
      rotationLog.info(
        {
          event: "secrets.rotated",
          organizationId: organizationId ?? null,
          scanned: totals.scanned,
          rotated: totals.rotated,
          failed: totals.failed,
          batches: totals.batches,
        },
        "secret rotation finished",
      );
      return totals;
    },
  );
}
