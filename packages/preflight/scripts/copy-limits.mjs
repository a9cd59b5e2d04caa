// Ships the limits table (spec/media-limits.json, the single source) as
// `@videoretalk/preflight/media-limits.json`, so other tools can read the rows this build checks.
import { copyFileSync } from "node:fs";

copyFileSync(
  new URL("../../../spec/media-limits.json", import.meta.url),
  new URL("../dist/media-limits.json", import.meta.url),
);
