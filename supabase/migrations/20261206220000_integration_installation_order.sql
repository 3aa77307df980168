-- GitHub can deliver an installation's webhooks out of order (retries, redeliveries, parallel
-- sends): a `suspend` that arrives after the `unsuspend` that followed it must not suspend the
-- integration again. The consumer (lib/integrations/github/installation-events.ts) keeps the
-- installation's own `updated_at` of the newest delivery it applied and sets an older one aside.
-- Service role only: not in the column grant of `authenticated` (20261206100000_integrations.sql),
-- so members never read it (the RLS matrix checks the column).

alter table public.integrations add column installation_updated_at timestamptz;
comment on column public.integrations.installation_updated_at is
  'GitHub only: the installation''s updated_at carried by the newest installation / installation_repositories delivery applied; an older delivery arriving later is not applied over it. Written by the service role; not granted to clients.';
