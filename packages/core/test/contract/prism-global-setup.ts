import type { TestProject } from "vitest/node";
// @ts-expect-error -- plain ESM helper shared with the demo; it has no type declarations.
import { startPrismMock } from "../../../../tools/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

/** Starts `prism mock --errors` from spec/ once for the contract suite and stops it afterwards. */
export default async function setup(project: TestProject) {
  const prism = (await startPrismMock()) as { url: string; stop: () => Promise<void> };
  project.provide("prismUrl", prism.url);
  return async () => {
    await prism.stop();
  };
}
