/**
 * public.code_vocabularies (supabase/migrations/20261208100000_code_vocabularies.sql) in the
 * shape `supabase gen types typescript` produces; `database.types.ts` puts it into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";

export type CodeVocabularyRow = {
  id: string;
  organization_id: string;
  repository_id: string;
  bridge: Json;
  commit_pairs: Json;
  commits_read: number;
  pairs_from_commits: number;
  pairs_from_corrections: number;
  commit_learned_at: string | null;
  learned_at: string;
  created_at: string;
  updated_at: string;
};

export type CodeVocabularyTables = {
  code_vocabularies: {
    Row: CodeVocabularyRow;
    Insert: Pick<CodeVocabularyRow, "organization_id" | "repository_id"> &
      Partial<CodeVocabularyRow>;
    Update: Partial<Omit<CodeVocabularyRow, "id" | "organization_id" | "repository_id">>;
    Relationships: Array<{
      foreignKeyName: string;
      columns: string[];
      isOneToOne: boolean;
      referencedRelation: string;
      referencedColumns: string[];
    }>;
  };
};
