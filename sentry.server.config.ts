import * as Sentry from "@sentry/nextjs";
import { sentryDsn, sentryEnvironment } from "@/lib/env";
import { scrubSentryEvent } from "@/lib/log";

/** Sentry on the Node.js server; only when a DSN is set. Scrubs like the logger does. */
const dsn = sentryDsn();
if (dsn) {
  Sentry.init({
    dsn,
    environment: sentryEnvironment(),
    sendDefaultPii: false,
    tracesSampleRate: 0.1,
    beforeSend: (event) => scrubSentryEvent(event),
    beforeSendTransaction: (event) => scrubSentryEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubSentryEvent(breadcrumb),
  });
}
