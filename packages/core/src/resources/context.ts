import type { LoadFailurePath } from "../failure-loader.js";
import type { Transport } from "../transport.js";

/** What every resource needs from its client. */
export interface ResourceContext {
  transport: Transport;
  baseUrl: string;
  secrets: readonly string[];
  now: () => number;
  /** Loads the code that describes failures; default: `import()` on the first failure. */
  failures?: LoadFailurePath | undefined;
}
