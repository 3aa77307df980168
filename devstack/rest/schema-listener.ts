import pg from "pg";

/**
 * LISTEN pgrst on a dedicated connection (same settings as the admin pool): `NOTIFY pgrst,
 * 'reload schema'` (or an empty payload) reloads the schema cache, as PostgREST does. Reconnects
 * after a lost connection until stopped.
 */
export class SchemaListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: (line: string) => void,
    private readonly onReload: () => void,
  ) {}

  async start(): Promise<void> {
    const options = (this.pool as unknown as { options: pg.ClientConfig }).options;
    const client = new pg.Client(options);
    client.on("error", (e) => {
      if (this.stopped) return;
      this.log(`rest: schema listener lost its connection: ${e.message}`);
      this.client = undefined;
      this.retry = setTimeout(() => void this.start().catch(() => {}), 1000);
    });
    client.on("notification", (msg) => {
      if (msg.channel !== "pgrst") return;
      const payload = (msg.payload ?? "").trim();
      if (payload === "" || payload === "reload schema") this.onReload();
    });
    await client.connect();
    await client.query("listen pgrst");
    this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
