import { Inngest } from "inngest";

/**
 * The one Inngest client of the app. Everything it needs comes from the environment, read by the
 * SDK itself, so production and the devstack differ only in configuration:
 * - production (Inngest Cloud): `INNGEST_SIGNING_KEY` (+ `_FALLBACK` while rotating) and
 *   `INNGEST_EVENT_KEY`; no `INNGEST_DEV`, so the SDK runs in cloud mode and verifies signatures;
 * - devstack: `INNGEST_DEV` and `INNGEST_BASE_URL` from `.devstack/env`, pointing at the local
 *   executor (`devstack/executor`).
 * `lib/env.ts` validates these variables at boot.
 */
export const inngest = new Inngest({ id: "patchline" });
