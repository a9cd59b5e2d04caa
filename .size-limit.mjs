// Size budgets for `pnpm size` (size-limit 12 + @size-limit/preset-small-lib): min+gzip with
// dependencies, peers excluded. The table is scripts/lib/size-entries.mjs, shared with `pnpm bench`.
import { sdkChecks } from "./scripts/lib/size-entries.mjs";

export default sdkChecks();
