import { fromWordVectorJson, type WordVectors } from "./wordvec";

/**
 * The shipped word vectors (`public-wordvec.json.gz`, written by `npm run train:wordvec`): read
 * once, on first use, and kept for the process. A missing file is no vectors (the `embedding`
 * rule then adds nothing), so a checkout without it still maps. Read only when the rule is on.
 */

export const SHIPPED_WORD_VECTORS_FILE = "public-wordvec.json.gz";

let cached: WordVectors | null | undefined;

// Node's own modules reached at run time, as `shipped.ts` does: webpack must not bundle them.
function shippedPath(): string | undefined {
  const fs = process.getBuiltinModule("node:fs");
  const path = process.getBuiltinModule("node:path");
  const url = process.getBuiltinModule("node:url");
  const candidates = [
    path.join(process.cwd(), "lib/pipeline/mapping/vocabulary", SHIPPED_WORD_VECTORS_FILE),
  ];
  try {
    candidates.unshift(url.fileURLToPath(new URL(SHIPPED_WORD_VECTORS_FILE, import.meta.url)));
  } catch {
    // Bundled code may have no file URL of its own; the working directory is the fallback.
  }
  return candidates.find((p) => fs.existsSync(p));
}

/** Word vectors from gzipped (or plain) JSON bytes. */
export function wordVectorsFromBytes(bytes: Uint8Array): WordVectors {
  const zlib = process.getBuiltinModule("node:zlib");
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = new TextDecoder().decode(gz ? zlib.gunzipSync(bytes) : bytes);
  return fromWordVectorJson(JSON.parse(text));
}

/** The shipped vectors, loaded on first call; null when the file is absent. */
export function shippedWordVectors(): WordVectors | null {
  if (cached !== undefined) return cached;
  const file = shippedPath();
  cached = file
    ? wordVectorsFromBytes(process.getBuiltinModule("node:fs").readFileSync(file))
    : null;
  return cached;
}
