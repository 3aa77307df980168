-- Rotation of a workspace's Zendesk webhook signing secret: while Zendesk may still deliver
-- (or retry) with the old secret, webhook intake accepts it too, until it expires. The old value
-- is kept as keyring ciphertext like every secret (AAD column `previous_webhook_secret_enc`).

alter table public.integrations
  add column previous_webhook_secret_enc text
    check (previous_webhook_secret_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  add column previous_webhook_secret_expires_at timestamptz,
  add constraint integrations_previous_secret_expires check (
    (previous_webhook_secret_enc is null) = (previous_webhook_secret_expires_at is null)
  ),
  add constraint integrations_disconnected_holds_no_previous_secret check (
    status <> 'disconnected' or previous_webhook_secret_enc is null
  );

comment on column public.integrations.previous_webhook_secret_enc is
  'Keyring ciphertext of the webhook signing secret replaced by the last rotation, accepted by webhook intake until previous_webhook_secret_expires_at. Never granted to clients.';
comment on column public.integrations.previous_webhook_secret_expires_at is
  'When webhook intake stops accepting previous_webhook_secret_enc (set to rotation time + 24 h).';

-- Not added to the authenticated column grant of 20261206100000: clients never read secrets.
