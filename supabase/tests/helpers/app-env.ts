import { devstackEnv } from "@/tests/helpers/devstack-env";

/**
 * Points the app's modules (lib/env.ts) at the running devstack, as `npm run dev` does, so they
 * can be exercised in-process by integration tests. Call before the first use of a module.
 */
export function useDevstackAppEnv(): void {
  const env = devstackEnv();
  Object.assign(process.env, {
    NEXT_PUBLIC_SUPABASE_URL: env.API_URL,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: env.ANON_KEY,
    NEXT_PUBLIC_SITE_URL: "http://localhost:3000",
    SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
    MAIL_TRANSPORT: "mailbox",
    MAILBOX_URL: env.MAILBOX_URL,
  });
}

/** Latest mailbox message to `to`, waiting briefly for it to arrive. */
export async function latestMailTo(
  to: string,
): Promise<{ subject: string; text?: string; html?: string }> {
  const base = devstackEnv().MAILBOX_URL;
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${base}/api/v1/messages?to=${encodeURIComponent(to)}`);
    const body = (await res.json()) as {
      messages: Array<{ subject: string; text?: string; html?: string }>;
    };
    if (body.messages[0]) return body.messages[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}
