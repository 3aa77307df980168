// html-to-text 10 ships no type declarations (DefinitelyTyped's cover 9). This declares the part
// `lib/pipeline/tickets/html.ts` uses; the options are documented in the package's README.
declare module "html-to-text" {
  export interface HtmlToTextSelector {
    selector: string;
    format?: string;
    options?: Record<string, unknown>;
  }
  export interface HtmlToTextOptions {
    wordwrap?: number | false | null;
    limits?: { ellipsis?: string; maxInputLength?: number; maxDepth?: number };
    selectors?: HtmlToTextSelector[];
    formatters?: Record<
      string,
      (
        elem: { attribs?: Record<string, string>; children?: unknown[] },
        walk: (nodes: unknown[] | undefined, builder: unknown) => void,
        builder: {
          addInline: (text: string, options?: Record<string, unknown>) => void;
        },
        formatOptions: Record<string, unknown>,
      ) => void
    >;
  }
  export function convert(html: string, options?: HtmlToTextOptions): string;
}
