import * as Sentry from "@sentry/nextjs";
import { sentryDsn } from "@/lib/env";
import { scrubSentryEvent } from "@/lib/log";

/** Sentry in the browser; only when NEXT_PUBLIC_SENTRY_DSN is set. No replays, no PII. */
const dsn = sentryDsn();
if (dsn) {
  Sentry.init({
    dsn,
    sendDefaultPii: false,
    tracesSampleRate: 0.1,
    beforeSend: (event) => scrubSentryEvent(event),
    beforeSendTransaction: (event) => scrubSentryEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubSentryEvent(breadcrumb),
  });
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
