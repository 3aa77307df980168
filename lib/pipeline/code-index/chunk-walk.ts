import type { Node, Tree, TreeCursor } from "web-tree-sitter";
import { addString, addTerms, dropEmptyFields, fileChunk } from "./chunk-terms";
import { type DefInfo, type LanguageSpec, TRANSPARENT } from "./languages";
import { tokenize } from "./tokenize";
import type { Chunk, ChunkKind, ParseStatus } from "./types";

/**
 * One walk of a syntax tree with a cursor: definitions become chunks (qualified by the scopes
 * around them), comments go to the definition they precede or sit in, identifiers and string
 * literals to the innermost chunk, import statements to the file's imports. What a node means
 * comes from the file's language (`languages/`); this walk knows no language by name.
 */

export interface WalkedFile {
  status: ParseStatus;
  imports: string[];
  chunks: Chunk[];
}

interface Context {
  chunk: number;
  /** Name that qualifies definitions inside (class, impl type, namespace, function). */
  qualifier: string;
  depth: number;
  kind: ChunkKind | "scope";
}

interface PendingComment {
  chunk: number;
  terms: string[];
  endRow: number;
}

function endLineOf(node: {
  startPosition: { row: number };
  endPosition: { row: number; column: number };
}): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}

function signatureText(node: Node): string {
  const body = node.childForFieldName("body");
  const text = node.text;
  const end = body ? Math.max(0, body.startIndex - node.startIndex) : text.indexOf("\n");
  return text.slice(0, end < 0 ? 400 : Math.min(end, 400));
}

class ChunkWalk {
  private readonly chunks: Chunk[];
  private readonly imports = new Set<string>();
  private readonly stack: Context[] = [{ chunk: 0, qualifier: "", depth: -1, kind: "file" }];
  /** Comments not yet given to a chunk: the next definition takes them if they touch it. */
  private pending: PendingComment[] = [];
  private readonly cursor: TreeCursor;
  private depth = 0;
  /** Chunk index → names it calls (`Chunk.calls`). */
  private readonly calls = new Map<number, Set<string>>();

  constructor(
    private readonly tree: Tree,
    private readonly spec: LanguageSpec,
    lines: number,
  ) {
    this.chunks = [fileChunk(lines)];
    this.cursor = tree.walk();
  }

  run(): WalkedFile {
    try {
      for (;;) {
        const descend = this.visit();
        if (descend && this.cursor.gotoFirstChild()) {
          this.depth++;
          continue;
        }
        if (!this.next()) break;
      }
    } finally {
      this.cursor.delete();
    }
    this.flushPending();
    for (const c of this.chunks) dropEmptyFields(c);
    for (const [k, names] of this.calls) {
      const chunk = this.chunks[k];
      if (chunk && names.size > 0) chunk.calls = [...names].sort();
    }
    return {
      status: this.tree.rootNode.hasError ? "syntax-errors" : "parsed",
      imports: [...this.imports].sort(),
      chunks: this.chunks,
    };
  }

  /** Move to the next sibling, climbing out of finished nodes; false at the end of the tree. */
  private next(): boolean {
    for (;;) {
      const top = this.current();
      if (top.depth === this.depth && this.stack.length > 1) this.stack.pop();
      if (this.cursor.gotoNextSibling()) return true;
      if (!this.cursor.gotoParent()) return false;
      this.depth--;
    }
  }

  private current(): Context {
    return this.stack[this.stack.length - 1] as Context;
  }

  private currentChunk(): Chunk {
    return this.chunks[this.current().chunk] as Chunk;
  }

  private flushPending(into?: number): void {
    for (const p of this.pending) addTerms(this.chunks[into ?? p.chunk] as Chunk, "doc", p.terms);
    this.pending = [];
  }

  /** Take in the node under the cursor; returns whether to walk its children. */
  private visit(): boolean {
    const cursor = this.cursor;
    if (!cursor.nodeIsNamed) return true;
    const type = cursor.nodeType;
    if (type.includes("comment")) {
      this.pending.push({
        chunk: this.current().chunk,
        terms: tokenize(cursor.nodeText),
        endRow: cursor.endPosition.row,
      });
      return false;
    }
    const loads = this.spec.moduleLoads;
    const load = loads?.types.has(type) ? loads.read(cursor.currentNode) : undefined;
    if (load) for (const target of load.targets) this.imports.add(target);
    if (load && !load.walk) return false;
    const entered = this.enterDefinition(type);
    if (!entered && !TRANSPARENT.has(type) && this.pending.length > 0) this.flushPending();
    if (this.spec.imports.has(type)) {
      for (const target of this.spec.importTargets(cursor.nodeText)) this.imports.add(target);
      return false;
    }
    if (this.spec.calls?.has(type)) this.addCall(cursor.currentNode);
    if (this.spec.strings.has(type)) {
      addString(this.currentChunk(), cursor.nodeText);
      return false;
    }
    if (type.includes("identifier") && cursor.currentDepth >= 0) {
      const text = cursor.nodeText;
      if (text.length <= 100 && !/\s/.test(text))
        addTerms(this.currentChunk(), "id", tokenize(text));
      return (
        type === "scoped_identifier" ||
        type === "qualified_identifier" ||
        type === "scoped_type_identifier"
      );
    }
    return true;
  }

  /** The name a call site calls, kept for the innermost chunk (its children are still walked). */
  private addCall(node: Node): void {
    const callee = node.childForFieldName("function") ?? node.childForFieldName("name");
    if (!callee) return;
    const name = calleeName(callee.text);
    if (!name) return;
    const k = this.current().chunk;
    let names = this.calls.get(k);
    if (!names) {
      names = new Set();
      this.calls.set(k, names);
    }
    names.add(name);
  }

  /** Open a chunk or a naming scope when the node is a definition; returns whether it was. */
  private enterDefinition(type: string): boolean {
    const spec = this.spec;
    const kind = spec.defs[type];
    // `const utils = { merge: function () {…} }`: the object names what is defined in it.
    const objectName = spec.objectScope?.types.has(type)
      ? spec.objectScope.name(this.cursor.currentNode)
      : undefined;
    const isScope = spec.scopes.has(type) || objectName !== undefined;
    if (!kind && !isScope) return false;
    const node = this.cursor.currentNode;
    const def = objectName !== undefined ? { name: objectName } : spec.definition(node);
    if (!def) return false;
    if (isScope) {
      this.flushPending();
      this.stack.push({
        chunk: this.current().chunk,
        qualifier: def.name,
        depth: this.depth,
        kind: "scope",
      });
    } else {
      this.openChunk(node, kind as ChunkKind, def);
    }
    return true;
  }

  private openChunk(node: Node, kind: ChunkKind, def: DefInfo): void {
    const parent = this.current();
    const startRow = node.startPosition.row;
    const quals = this.stack.map((c) => c.qualifier).filter((q) => q !== "");
    if (def.ownQualifier) quals.push(def.ownQualifier);
    let chunkKind = kind;
    if (
      chunkKind === "function" &&
      (def.ownQualifier !== undefined ||
        parent.kind === "class" ||
        parent.kind === "impl" ||
        parent.kind === "type")
    ) {
      chunkKind = "method";
    }
    const qname =
      def.displayName && !def.ownQualifier
        ? def.displayName
        : [...quals, def.name].join(this.spec.separator);
    const chunk: Chunk = {
      name: def.name,
      qname,
      kind: chunkKind,
      startLine: startRow + 1,
      endLine: endLineOf(node),
      parent: parent.chunk,
      fields: {},
    };
    const index = this.chunks.push(chunk) - 1;
    // A comment ending on the line above (or the lines of a comment block) documents this chunk.
    const last = this.pending[this.pending.length - 1];
    if (last && last.endRow >= startRow - 1) this.flushPending(index);
    else this.flushPending();
    addTerms(chunk, "name", tokenize(def.name));
    if (def.ownQualifier) addTerms(chunk, "name", tokenize(def.ownQualifier));
    addTerms(chunk, "sig", tokenize(signatureText(node)));
    this.stack.push({
      chunk: index,
      qualifier: def.innerQualifier ?? def.name,
      depth: this.depth,
      kind: chunkKind,
    });
  }
}

/**
 * The name a callee expression calls: its last identifier, without generic arguments or a
 * turbofish (`a.b.parse` → `parse`, `Foo::new` → `new`, `f::<T>` → `f`, `obj->run` → `run`,
 * `(*p).f` → `f`); undefined for a callee that ends in no name (`f()()`, `arr[0]()`).
 */
export function calleeName(text: string): string | undefined {
  const tail = text.length > 200 ? text.slice(-200) : text;
  const clean = tail.replace(/(::)?<[^<>()]*>\s*$/, "").trimEnd();
  const m = /([A-Za-z_$][\w$]*)$/.exec(clean);
  return m?.[1];
}

/** Chunks, imports and parse status of a parsed file. */
export function walkTree(tree: Tree, spec: LanguageSpec, lines: number): WalkedFile {
  return new ChunkWalk(tree, spec, lines).run();
}
