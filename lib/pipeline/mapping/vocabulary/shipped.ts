import { fromBridgeJson } from "./table";
import type { BridgeTable } from "./types";

/**
 * The shipped public bridge table (`public-bridge.json.gz`, written by
 * `npm run train:vocabulary`): read once, on first use, and kept for the process. A missing file
 * is an empty table (the bridge then adds nothing), so a checkout without it still maps.
 */

export const SHIPPED_BRIDGE_FILE = "public-bridge.json.gz";

const EMPTY: BridgeTable = { version: 1, source: "none", pairs: 0, words: new Map() };
let cached: BridgeTable | undefined;

// Node's own modules reached at run time, as the parser does (`code-index/parser.ts`): webpack
// must not try to bundle them, and the mapping runtime imports no file-system module statically.
function shippedPath(): string | undefined {
  const fs = process.getBuiltinModule("node:fs");
  const path = process.getBuiltinModule("node:path");
  const url = process.getBuiltinModule("node:url");
  const candidates = [
    path.join(process.cwd(), "lib/pipeline/mapping/vocabulary", SHIPPED_BRIDGE_FILE),
  ];
  try {
    candidates.unshift(url.fileURLToPath(new URL(SHIPPED_BRIDGE_FILE, import.meta.url)));
  } catch {
    // Bundled code may have no file URL of its own; the working directory is the fallback.
  }
  return candidates.find((p) => fs.existsSync(p));
}

/** A bridge table from gzipped (or plain) JSON bytes. */
export function bridgeFromBytes(bytes: Uint8Array): BridgeTable {
  const zlib = process.getBuiltinModule("node:zlib");
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = new TextDecoder().decode(gz ? zlib.gunzipSync(bytes) : bytes);
  return fromBridgeJson(JSON.parse(text));
}

/** The shipped table, loaded on first call. */
export function shippedBridge(): BridgeTable {
  if (cached) return cached;
  const file = shippedPath();
  cached = file ? bridgeFromBytes(process.getBuiltinModule("node:fs").readFileSync(file)) : EMPTY;
  return cached;
}
