/**
 * Every operation of the spec has a contract test: an `<operationId>.contract.test.ts` file, or
 * (for the Files API, whose paths carry their own `servers`) filesApi.contract.test.ts.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allOperations } from "./spec-helpers.js";

function contractFileFor(operationId: string, hasOwnServers: boolean): string {
  return hasOwnServers ? "filesApi.contract.test.ts" : `${operationId}.contract.test.ts`;
}

describe("contract coverage of the spec", () => {
  it.each(allOperations().map((entry) => [entry.operation.operationId, entry] as const))(
    "%s has a contract test file",
    (operationId, entry) => {
      const file = contractFileFor(operationId, entry.servers !== undefined);
      expect(existsSync(new URL(`./${file}`, import.meta.url)), `missing test/contract/${file}`).toBe(true);
    },
  );
});
