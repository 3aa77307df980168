import type { RankerWeights } from "../mapping/features";

/**
 * Prior weights, set by hand on general grounds before any fitting: words matter, structural
 * evidence (a path, a stack frame, a defined symbol) matters more, and a function's file
 * matters. Fitting starts here and is pulled back here by the ridge penalty.
 */
export const PRIOR_WEIGHTS: RankerWeights = {
  file: {
    lexical: 1,
    lex_path: 0,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    best_function: 0.6,
    function_sum: 0,
    lex_title: 0,
    lex_code: 0,
    neighbour: 0,
    message: 1,
    path: 1.2,
    stack_frame: 0.6,
    symbol: 0.8,
    basename: 0.5,
    size: 0,
    hub: 0,
    name_cover: 0,
    // Product code first: a bundled library, build script, tooling or declaration file that the
    // report does not point at ranks below product code with the same evidence.
    peripheral: -0.8,
    // Code terms that fixes of reports with these words change: weaker than the words themselves.
    bridge: 0.3,
    // Tests whose names and descriptions match the report exercise this file: like the bridge,
    // evidence one step removed from the code's own words.
    tests: 0.3,
    // A function the report matches calls into this file (or is called from it): the call graph
    // carries the caller's word match one step, like the bridge, weaker than direct evidence.
    calls: 0.3,
    // The report and the file as one word-vector cosine: fix history's vocabulary generalised
    // through shared contexts; like the bridge, weaker than the words themselves.
    embedding: 0.3,
  },
  function: {
    lexical: 1,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    lex_title: 0,
    lex_code: 0,
    symbol: 0.9,
    stack_frame: 1.2,
    message: 1,
    file_score: 0.6,
    file_top: 0,
    within_file: 0,
    file_chunk: -0.3,
    container: -0.2,
    size: 0,
    coverage: 0,
    bridge: 0.2,
    tests: 0.2,
    calls: 0.3,
    embedding: 0.2,
  },
};
