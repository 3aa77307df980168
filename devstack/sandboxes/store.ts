import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SandboxState } from "./state";

const MAX_DELIVERIES = 500;

function emptyState(): SandboxState {
  // The GitHub App's key pair: the app signs its JWTs with the private half (GITHUB_APP_PRIVATE_KEY).
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    version: 1,
    seq: 1000,
    tokens: [],
    codes: [],
    deliveries: [],
    targets: {},
    zendesk: {},
    github: {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      repos: [],
      installations: [],
      pulls: [],
      deployments: [],
    },
    intercom: { conversations: [] },
    razorpay: { subscriptions: [], payments: [] },
  };
}

/**
 * The sandboxes' state in memory, written to `<DEVSTACK_HOME>/sandboxes/state.json` (mode 0600:
 * it holds the GitHub App key and issued tokens) shortly after each change.
 */
export class SandboxStore {
  readonly state: SandboxState;
  readonly dir: string;
  private readonly file: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(home: string, opts: { reset: boolean }) {
    this.dir = path.join(home, "sandboxes");
    this.file = path.join(this.dir, "state.json");
    if (opts.reset) rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    let loaded: SandboxState | undefined;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as SandboxState;
      if (parsed.version === 1) loaded = parsed;
    } catch {
      loaded = undefined;
    }
    this.state = loaded ?? emptyState();
    this.flush();
  }

  /** A new numeric id, unique across every provider (ticket, comment, repository, pull…). */
  nextId(): number {
    this.state.seq += 1;
    this.changed();
    return this.state.seq;
  }

  /** Marks the state changed; it is written within 100 ms. */
  changed(): void {
    if (this.state.deliveries.length > MAX_DELIVERIES) {
      this.state.deliveries.splice(0, this.state.deliveries.length - MAX_DELIVERIES);
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 100);
    this.timer.unref();
  }

  /** Writes now (at stop, and once at start so the file exists). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
