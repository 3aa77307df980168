/**
 * The pieces of PostgREST's URL grammar shared by select, filters and order: identifiers, quoted
 * identifiers and JSON paths (`data->a->>b`, `arr->0`).
 */

export interface JsonStep {
  /** `->` keeps JSON, `->>` yields text. */
  op: "->" | "->>";
  /** A key, or an array index when the step was written as an integer. */
  key: string | number;
}

export interface Field {
  name: string;
  json: JsonStep[];
}

/** Thrown by the cursor; the caller wraps it into PGRST100 naming the parameter. */
export class GrammarError extends Error {}

const identChar = /[\p{L}\p{N}_ $]/u;

/** A cursor over one query-parameter value. */
export class Cursor {
  pos = 0;
  constructor(readonly src: string) {}

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  peek(n = 0): string {
    return this.src[this.pos + n] ?? "";
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s: string, what = `"${s}"`): void {
    if (!this.eat(s)) this.fail(what);
  }

  fail(expecting: string): never {
    const got = this.done ? "end of input" : `"${this.peek()}"`;
    throw new GrammarError(`unexpected ${got} expecting ${expecting}`);
  }

  /** An unquoted identifier: letters, digits, `_`, `$`, spaces, and `-` not starting `->`. */
  identifier(): string {
    const start = this.pos;
    while (!this.done) {
      const c = this.peek();
      if (identChar.test(c)) this.pos++;
      else if (c === "-" && this.peek(1) !== ">" && this.pos > start) this.pos++;
      else break;
    }
    if (this.pos === start) this.fail("identifier");
    return this.src.slice(start, this.pos);
  }

  /** A double-quoted identifier (may hold any character but `"`), or an unquoted one. */
  name(): string {
    if (this.peek() === '"') {
      const end = this.src.indexOf('"', this.pos + 1);
      if (end < 0) this.fail('closing "\\""');
      const v = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      if (v === "") this.fail("identifier");
      return v;
    }
    return this.identifier();
  }

  /** Zero or more `->key` / `->>key` steps. */
  jsonPath(): JsonStep[] {
    const steps: JsonStep[] = [];
    for (;;) {
      let op: "->" | "->>";
      if (this.eat("->>")) op = "->>";
      else if (this.eat("->")) op = "->";
      else return steps;
      const m = /^-?\d+/.exec(this.src.slice(this.pos));
      const after = m ? this.src[this.pos + m[0].length] : undefined;
      if (m && (after === undefined || !identChar.test(after))) {
        this.pos += m[0].length;
        steps.push({ op, key: Number(m[0]) });
      } else {
        steps.push({ op, key: this.name() });
      }
    }
  }

  field(): Field {
    const name = this.name();
    return { name, json: this.jsonPath() };
  }
}

/** The name PostgREST gives a JSON-path column in the output: the last key, else the column. */
export function fieldOutputName(f: Field): string {
  const last = f.json[f.json.length - 1];
  if (!last) return f.name;
  return typeof last.key === "number" ? f.name : last.key;
}
