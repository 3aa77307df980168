/**
 * A small subset of CEL, enough for the expressions Inngest functions declare: trigger `if`,
 * `waitForEvent` `if`/`match`, `cancelOn`, and flow-control keys (`event.data.organizationId`).
 *
 * Supported: member access (`a.b`, `a["b"]`), string (single or double quoted), number, boolean
 * and null literals, `== != < <= > >=`, `&& || !`, `+` (numbers and strings), parentheses.
 * A missing field evaluates to null, so comparisons against it are false rather than errors.
 */

type Token =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "id"; v: string }
  | { t: "op"; v: string };

type Node =
  | { k: "lit"; v: unknown }
  | { k: "id"; name: string }
  | { k: "member"; obj: Node; prop: Node }
  | { k: "unary"; op: string; arg: Node }
  | { k: "bin"; op: string; l: Node; r: Node };

export class CelError extends Error {}

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", ".", "[", "]", "+"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) {
          const n = src[j + 1] as string;
          s += n === "n" ? "\n" : n === "t" ? "\t" : n;
          j += 2;
        } else {
          s += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new CelError(`unterminated string in: ${src}`);
      out.push({ t: "str", v: s });
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelError(`unexpected "${c}" in: ${src}`);
    out.push({ t: "op", v: op });
    i += op.length;
  }
  return out;
}

const PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
};

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parse(): Node {
    const node = this.expr(0);
    if (this.pos < this.tokens.length) throw new CelError(`unexpected token in: ${this.src}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === "op" && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isOp(v)) throw new CelError(`expected "${v}" in: ${this.src}`);
    this.pos++;
  }

  private expr(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t !== "op") break;
      const prec = PRECEDENCE[t.v];
      if (prec === undefined || prec <= minPrec) break;
      this.pos++;
      const right = this.expr(prec);
      left = { k: "bin", op: t.v, l: left, r: right };
    }
    return left;
  }

  private unary(): Node {
    if (this.isOp("!")) {
      this.pos++;
      return { k: "unary", op: "!", arg: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    let n = node;
    for (;;) {
      if (this.isOp(".")) {
        this.pos++;
        const t = this.peek();
        if (t?.t !== "id") throw new CelError(`expected a field name in: ${this.src}`);
        this.pos++;
        n = { k: "member", obj: n, prop: { k: "lit", v: t.v } };
      } else if (this.isOp("[")) {
        this.pos++;
        const prop = this.expr(0);
        this.expect("]");
        n = { k: "member", obj: n, prop };
      } else {
        return n;
      }
    }
  }

  private primary(): Node {
    const t = this.peek();
    if (!t) throw new CelError(`unexpected end of: ${this.src}`);
    this.pos++;
    if (t.t === "num" || t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "id") {
      if (t.v === "true") return { k: "lit", v: true };
      if (t.v === "false") return { k: "lit", v: false };
      if (t.v === "null") return { k: "lit", v: null };
      return { k: "id", name: t.v };
    }
    if (t.v === "(") {
      const inner = this.expr(0);
      this.expect(")");
      return inner;
    }
    throw new CelError(`unexpected "${t.v}" in: ${this.src}`);
  }
}

const cache = new Map<string, Node>();

/** Parses (and caches) an expression; throws CelError on syntax outside the supported subset. */
export function compileCel(src: string): Node {
  let node = cache.get(src);
  if (!node) {
    node = new Parser(tokenize(src), src).parse();
    if (cache.size > 1000) cache.clear();
    cache.set(src, node);
  }
  return node;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const bothNum = typeof a === "number" && typeof b === "number";
  const bothStr = typeof a === "string" && typeof b === "string";
  if (!bothNum && !bothStr) return false;
  const x = a as number | string;
  const y = b as number | string;
  if (op === "<") return x < y;
  if (op === "<=") return x <= y;
  if (op === ">") return x > y;
  return x >= y;
}

function evaluate(node: Node, vars: Record<string, unknown>): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "id":
      return node.name in vars ? vars[node.name] : null;
    case "member": {
      const obj = evaluate(node.obj, vars);
      const prop = evaluate(node.prop, vars);
      if (obj === null || typeof obj !== "object") return null;
      const v = (obj as Record<string, unknown>)[String(prop)];
      return v === undefined ? null : v;
    }
    case "unary":
      return !truthy(evaluate(node.arg, vars));
    case "bin": {
      if (node.op === "&&") return truthy(evaluate(node.l, vars)) && truthy(evaluate(node.r, vars));
      if (node.op === "||") return truthy(evaluate(node.l, vars)) || truthy(evaluate(node.r, vars));
      const l = evaluate(node.l, vars);
      const r = evaluate(node.r, vars);
      if (node.op === "==") return equal(l, r);
      if (node.op === "!=") return !equal(l, r);
      if (node.op === "+") {
        if (typeof l === "number" && typeof r === "number") return l + r;
        if (typeof l === "string" && typeof r === "string") return l + r;
        return null;
      }
      return compare(node.op, l, r);
    }
  }
}

function truthy(v: unknown): boolean {
  return v === true;
}

/** Evaluates an expression to a value (used for keys such as `event.data.organizationId`). */
export function evalCel(src: string, vars: Record<string, unknown>): unknown {
  return evaluate(compileCel(src), vars);
}

/** Evaluates an expression as a condition: true only when it yields boolean true. */
export function matchCel(src: string, vars: Record<string, unknown>): boolean {
  return truthy(evalCel(src, vars));
}
