// Smoke programs for the consumer test (tools/consumer-test.mjs), one entry per package name.
//
// Every publishable package is covered without an entry: each of its exported subpaths is
// imported (ESM), required (CommonJS) and type-checked (node16 and bundler) from the packed
// tarball, and must export something. An entry adds a program that uses the package the way an
// app would. To add one, add a key below:
//
//   program       ESM source that is valid JavaScript and valid strict TypeScript (no type
//                 annotations; no top-level await, since it is also compiled as CommonJS).
//                 Only `import { a, b as c } from "x";` and `import * as m from "x";` lines are
//                 allowed: they are rewritten to `require` for the CommonJS project. It must
//                 finish with exit code 0; an uncaught error or rejection fails it.
//   typeProgram   optional TypeScript-only lines appended in the two TypeScript projects
//                 (type imports and compile-time assertions).
//   dependencies  optional npm packages the consumer project needs for this package, e.g. the
//                 `@types/*` of a peer: `{ "@types/react": "19.3.0" }`.
//   bins          optional commands run from the consumer project after install, as argument
//                 arrays whose first element is a bin name: `[["videoretalk", "--help"]]`.
//   domSubpaths   optional subpaths whose types need the DOM lib (e.g. because a peer's do): the
//                 no-DOM ts-node16 project leaves them out; every other project checks them.
//
// Peers are installed by npm itself (npm ≥ 7), and the SDK's own packages always resolve to the
// packed tarballs.

/** @type {Record<string, { program: string, typeProgram?: string, dependencies?: Record<string, string>, bins?: string[][], domSubpaths?: string[] }>} */
export const smokePrograms = {
  "@videoretalk/core": {
    // A client against a closed port: the request must reject with core's own error classes.
    program: `
import { APIConnectionError, VideoRetalkError, createVideoRetalk } from "@videoretalk/core";

const client = createVideoRetalk({ apiKey: "k", baseUrl: "http://127.0.0.1:1", maxRetries: 0 });
client.tasks.get("task-unified-1756817821-4x3rx6ny").then(
  () => {
    throw new Error("expected a connection error from http://127.0.0.1:1");
  },
  (error) => {
    if (!(error instanceof APIConnectionError) || !(error instanceof VideoRetalkError)) throw error;
    console.log("core ok:", error.name);
  },
);

// In the CommonJS project the static import above is a require (the CJS build) while import()
// loads the ESM build: an app that mixes both must still be able to rely on instanceof.
import("@videoretalk/core").then((esm) => {
  const fromThisBuild = new APIConnectionError("refused", { connected: false });
  if (!(fromThisBuild instanceof esm.APIConnectionError) || !(fromThisBuild instanceof esm.VideoRetalkError)) {
    throw new Error("an error from one build of core is not instanceof the other build's class");
  }
  if (fromThisBuild instanceof esm.APIError) throw new Error("instanceof matched an unrelated class");
  const fromOtherBuild = new esm.NotFoundError("404", { status: 404 });
  if (!(fromOtherBuild instanceof VideoRetalkError)) throw new Error("error identity fails the other way round");
  console.log("core ok: error identity holds across its ESM and CommonJS builds");
});
`,
    typeProgram: `
import type { Task, TaskStatus, VideoRetalkClient } from "@videoretalk/core";
const statusOf = (task: Task): TaskStatus => task.status;
const methods: Array<keyof VideoRetalkClient> = ["lipSync", "tasks", "files", "raw"];
void statusOf;
void methods;
`,
  },
  "@videoretalk/polling": {
    // polling peer-depends on core: its errors and core's must share one VideoRetalkError class.
    program: `
import { VideoRetalkError, createVideoRetalk } from "@videoretalk/core";
import { TaskFailedError, waitForTask } from "@videoretalk/polling";

if (!(TaskFailedError.prototype instanceof VideoRetalkError)) {
  throw new Error("TaskFailedError does not extend the installed core's VideoRetalkError: two copies of core?");
}
const client = createVideoRetalk({ apiKey: "k", baseUrl: "http://127.0.0.1:1", maxRetries: 0 });
waitForTask(client, "task-unified-1756817821-4x3rx6ny", { timeoutMs: 300 }).then(
  () => {
    throw new Error("expected the wait to fail against http://127.0.0.1:1");
  },
  (error) => {
    if (!(error instanceof VideoRetalkError)) throw error;
    console.log("polling ok:", error.name);
  },
);
`,
  },
  "@videoretalk/cli": {
    // Only a bin: it must start from the installed tarball, with its dependencies resolved.
    program: "",
    bins: [["videoretalk", "--help"]],
  },
  "@videoretalk/react": {
    // Rendering needs a DOM; the hooks are covered by the package's own tests. Here: the public
    // surface loads from both entry points, and the query key factory is the same function.
    program: `
import { VideoRetalkProvider, taskQueryKey, useLipSync, useTask } from "@videoretalk/react";
import { taskQueryKey as serverTaskQueryKey } from "@videoretalk/react/queries";

for (const hook of [VideoRetalkProvider, useLipSync, useTask]) {
  if (typeof hook !== "function") throw new Error("@videoretalk/react is missing a component or hook");
}
if (JSON.stringify(taskQueryKey("t")) !== JSON.stringify(serverTaskQueryKey("t"))) {
  throw new Error("the two entry points disagree on taskQueryKey");
}
`,
    // A React app always has React's types; the package's .d.ts files import from "react".
    dependencies: { "@types/react": "19.3.0" },
  },
  "@videoretalk/emulator": {
    // The generic checks load `@videoretalk/emulator/msw`, which needs its optional peer msw (npm
    // does not install optional peers). msw's own .d.ts files use DOM types, as MSW documents, so
    // that subpath is type-checked in ts-bundler (DOM lib) and left out of the no-DOM ts-node16.
    program: "",
    dependencies: { msw: "2.15.0" },
    domSubpaths: ["./msw"],
  },
  "@videoretalk/bullmq": {
    // ioredis's own .d.ts files import the untyped `redis-errors`; an app using ioredis with
    // `skipLibCheck: false` needs its @types package, so the consumer project installs it too.
    program: "",
    dependencies: { "@types/redis-errors": "1.2.3" },
  },
};
