import "server-only";
import { inngest } from "@/inngest/client";
import {
  type BugStatusChangedData,
  bugStatusChanged,
  type IntegrationDisconnectedData,
  integrationDisconnected,
} from "@/inngest/events";
import { log } from "@/lib/log";

const emitLog = log.child({ module: "notifications.emit" });

/**
 * The one-line hooks the owning modules call where something notifiable happens outside a job
 * (a server action, a token refresh). Best effort: the change itself is already saved, and a
 * notification that could not be queued must not undo it or fail the person's action, so a
 * failure is logged (ids only) and swallowed. Jobs send their events with `step.sendEvent`.
 */

export async function emitBugStatusChanged(data: BugStatusChangedData): Promise<void> {
  await emit(
    "bug/status.changed",
    bugStatusChanged.create(data, {
      id: `bug-status-changed:${data.bugId}:${data.to}:${data.changedAt}`,
    }),
    data.organizationId,
  );
}

export async function emitIntegrationDisconnected(
  data: IntegrationDisconnectedData,
): Promise<void> {
  await emit(
    "integration/connection.lost",
    integrationDisconnected.create(data, {
      id: `integration-disconnected:${data.integrationId}:${data.at}`,
    }),
    data.organizationId,
  );
}

async function emit(
  name: string,
  event: Parameters<typeof inngest.send>[0],
  organizationId: string,
): Promise<void> {
  try {
    await inngest.send(event);
  } catch (error) {
    emitLog.warn({ event: name, organizationId, err: error }, "notification event not queued");
  }
}
