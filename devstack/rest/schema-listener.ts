import pg from "pg";

/**
 * LISTEN pgrst on a dedicated connection (same settings as the admin pool): `NOTIFY pgrst,
 * 'reload schema'` (or an empty payload) reloads the schema cache, as PostgREST does. Reconnects
 * after a lost connection until stopped, and reloads then.
 */
export class SchemaListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: (line: string) => void,
    private readonly onReload: () => void,
  ) {}

  async start(): Promise<void> {
    const options = (this.pool as unknown as { options: pg.ClientConfig }).options;
    const client = new pg.Client(options);
    let lost = false;
    client.on("error", (e) => {
      // A dying connection can report more than one error; reconnect once.
      if (this.stopped || lost) return;
      lost = true;
      client.end().catch(() => {});
      this.log(`rest: schema listener lost its connection: ${e.message}`);
      this.client = undefined;
      this.scheduleRetry();
    });
    client.on("notification", (msg) => {
      if (msg.channel !== "pgrst") return;
      const payload = (msg.payload ?? "").trim();
      // "reload config" too: the in-database pgrst.* settings are read with the cache.
      if (payload === "" || payload === "reload schema" || payload === "reload config") {
        this.onReload();
      }
    });
    await client.connect();
    await client.query("listen pgrst");
    this.client = client;
    // Notifications sent while the connection was down are lost: reload once after a reconnect.
    if (this.started) this.onReload();
    this.started = true;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.start().catch(() => this.scheduleRetry());
    }, 1000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
