import type { Store } from "../db/store.js";
import type { Product } from "../db/types.js";
import { searchTerms } from "./normalize.js";

export interface SearchHit {
  product: Product;
  score: number;
  highlights: string[];
}

interface Posting {
  productId: string;
  field: "title" | "tags" | "category" | "description";
}

const FIELD_WEIGHT: Record<Posting["field"], number> = {
  title: 4,
  tags: 2,
  category: 1.5,
  description: 1,
};

/**
 * An in-process inverted index over the active catalog. Rebuilt when products change (the
 * catalog is a few thousand products per merchant; a rebuild takes milliseconds).
 */
export class ProductSearch {
  private postings = new Map<string, Posting[]>();
  private products = new Map<string, Product>();

  static async fromStore(store: Store): Promise<ProductSearch> {
    const search = new ProductSearch();
    for (const product of await store.listProducts()) search.add(product);
    return search;
  }

  add(product: Product): void {
    if (!product.active) return;
    this.products.set(product.id, product);
    this.indexField(product.id, "title", product.title);
    this.indexField(product.id, "tags", product.tags.join(" "));
    this.indexField(product.id, "category", product.category);
    this.indexField(product.id, "description", product.description);
  }

  remove(productId: string): void {
    this.products.delete(productId);
    for (const [term, list] of this.postings) {
      const kept = list.filter((p) => p.productId !== productId);
      if (kept.length === 0) this.postings.delete(term);
      else this.postings.set(term, kept);
    }
  }

  /**
   * Every query term must match (AND), in any field; a term also matches longer words it
   * starts with once it has three letters, so "lant" finds "lantern" as the shopper types.
   */
  query(text: string, limit = 20): SearchHit[] {
    const terms = searchTerms(text);
    if (terms.length === 0) return [];
    let scores: Map<string, { score: number; highlights: Set<string> }> | undefined;
    for (const term of terms) {
      const matches = this.matchTerm(term);
      if (!scores) {
        scores = matches;
        continue;
      }
      for (const id of [...scores.keys()]) {
        const extra = matches.get(id);
        if (!extra) {
          scores.delete(id);
          continue;
        }
        const entry = scores.get(id)!;
        entry.score += extra.score;
        for (const h of extra.highlights) entry.highlights.add(h);
      }
    }
    return [...(scores ?? new Map()).entries()]
      .map(([id, { score, highlights }]) => ({
        product: this.products.get(id)!,
        score,
        highlights: [...highlights],
      }))
      .sort((a, b) => b.score - a.score || a.product.priceCents - b.product.priceCents)
      .slice(0, limit);
  }

  private matchTerm(term: string) {
    const found = new Map<string, { score: number; highlights: Set<string> }>();
    for (const [indexed, postings] of this.postings) {
      const exact = indexed === term;
      if (!exact && !(term.length >= 3 && indexed.startsWith(term))) continue;
      for (const posting of postings) {
        const entry = found.get(posting.productId) ?? { score: 0, highlights: new Set<string>() };
        entry.score += FIELD_WEIGHT[posting.field] * (exact ? 1 : 0.5);
        entry.highlights.add(indexed);
        found.set(posting.productId, entry);
      }
    }
    return found;
  }

  private indexField(productId: string, field: Posting["field"], text: string): void {
    for (const term of new Set(searchTerms(text))) {
      const list = this.postings.get(term) ?? [];
      list.push({ productId, field });
      this.postings.set(term, list);
    }
  }
}
