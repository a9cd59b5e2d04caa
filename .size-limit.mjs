// Size budgets for `pnpm size` (size-limit 12 + @size-limit/preset-small-lib): min+gzip with
// dependencies, peers excluded, of the initial load (esbuild with code splitting; chunks behind
// `import()` are built but not counted). The table is tools/lib/size-entries.mjs, shared with
// `pnpm bench`, which also prints the size with every lazy chunk inlined.
import { sdkChecks } from "./tools/lib/size-entries.mjs";

export default sdkChecks();
