import type { LanguageId } from "./types";

/**
 * Vue and Svelte single-file components: markup, styles and one or more `<script>` blocks in one
 * file. The scripts are JavaScript or TypeScript and are chunked by that grammar; the rest is
 * indexed as text at file level. Both parts keep their places in the file (everything outside a
 * part becomes spaces, newlines stay), so every chunk's lines are the component's own lines.
 */
export interface ComponentParts {
  script: string;
  language: Extract<LanguageId, "typescript" | "tsx" | "javascript">;
  markup: string;
}

const COMPONENT = /\.(vue|svelte)$/i;
const SCRIPT = /(<script\b[^>]*>)([\s\S]*?)<\/script\s*>/gi;

export function isComponentPath(path: string): boolean {
  return COMPONENT.test(path);
}

/** Blank every character outside the given ranges, keeping newlines. */
function keepOnly(text: string, ranges: readonly [number, number][]): string {
  const out = text.replace(/[^\n]/g, " ").split("");
  for (const [from, to] of ranges) for (let i = from; i < to; i++) out[i] = text[i] as string;
  return out.join("");
}

/** The component's script and markup, or undefined when it has no `<script>` block. */
export function splitComponent(text: string): ComponentParts | undefined {
  const scripts: [number, number][] = [];
  const markup: [number, number][] = [];
  let language: ComponentParts["language"] = "javascript";
  let last = 0;
  for (const m of text.matchAll(SCRIPT)) {
    const open = m[1] ?? "";
    const start = (m.index ?? 0) + open.length;
    const end = start + (m[2] ?? "").length;
    markup.push([last, m.index ?? 0]);
    scripts.push([start, end]);
    last = (m.index ?? 0) + m[0].length;
    const lang = /\blang\s*=\s*["']?(ts|tsx|typescript)\b/i.exec(open)?.[1]?.toLowerCase();
    if (lang === "tsx") language = "tsx";
    else if (lang && language !== "tsx") language = "typescript";
  }
  if (scripts.length === 0) return undefined;
  markup.push([last, text.length]);
  return { script: keepOnly(text, scripts), language, markup: keepOnly(text, markup) };
}
