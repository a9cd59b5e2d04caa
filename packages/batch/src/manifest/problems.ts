/** One thing wrong with a manifest row. */
export interface ManifestProblem {
  /** 1-based line of the manifest file (the header is line 1 of a CSV). */
  line: number;
  /** The column / key at fault (`id`, `video`, `query_face_threshold` …), or `row`. */
  field: string;
  message: string;
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
        .map((p) => `  line ${p.line}, ${p.field}: ${p.message}`)
        .join("\n")}`,
    );
  }
}
