/**
 * Every encrypted column in the schema, by table: what key rotation re-encrypts and what the
 * secrets helpers accept. Add a table here when a migration adds a `*_enc` column.
 */
export const ENCRYPTED_COLUMNS = {
  integrations: [
    "access_token_enc",
    "refresh_token_enc",
    "webhook_secret_enc",
    // the Zendesk signing secret replaced by a rotation, accepted until it expires (lib/webhooks)
    "previous_webhook_secret_enc",
  ],
  // a workspace's own LLM provider key (lib/pipeline/llm/workspace-settings.ts)
  llm_settings: ["api_key_enc"],
  // a workspace's Slack bot token (lib/notifications/slack/connection.ts)
  slack_connections: ["bot_token_enc"],
} as const;

export type EncryptedTable = keyof typeof ENCRYPTED_COLUMNS;
export type EncryptedColumn<T extends EncryptedTable = EncryptedTable> =
  (typeof ENCRYPTED_COLUMNS)[T][number];
export type IntegrationSecretColumn = EncryptedColumn<"integrations">;
