/** One thing wrong with a manifest row. */
export interface ManifestProblem {
  /** 1-based line of the manifest file (the header is line 1 of a CSV). */
  line: number;
  /** The column / key at fault (`id`, `video`, `query_face_threshold` …), or `row`. */
  field: string;
  message: string;
  /** The row's `id` when it has one, so the report reads `line 1234 (id "x"), video: …`. */
  id?: string | undefined;
}

/** `line 1234 (id "x")`, or `line 1234` for a row without an id. */
function rowLabel(problem: ManifestProblem): string {
  return problem.id === undefined ? `line ${problem.line}` : `line ${problem.line} (id ${JSON.stringify(problem.id)})`;
}

/** A manifest with bad rows: nothing was uploaded or created. Lists every problem. */
export class ManifestError extends Error {
  override name = "ManifestError";
  constructor(
    readonly path: string,
    readonly problems: ManifestProblem[],
  ) {
    super(
      `${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems
        .map((p) => `  ${rowLabel(p)}, ${p.field}: ${p.message}`)
        .join("\n")}`,
    );
  }
}
