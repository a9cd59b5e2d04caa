import { renderHook } from "@testing-library/react";
import { version as reactVersion, useId } from "react";
import { version as reactDomVersion } from "react-dom";
import { describe, expect, it } from "vitest";

// Each hook-test project must really run the React it claims to.
describe("React under test", () => {
  const major = process.env.EXPECTED_REACT_MAJOR;

  it("react and react-dom are the expected major version", () => {
    expect(major).toMatch(/^1[89]$/);
    expect(reactVersion.split(".")[0]).toBe(major);
    expect(reactDomVersion.split(".")[0]).toBe(major);
  });

  it("renders hooks with that React (one copy of React in the graph)", () => {
    const { result } = renderHook(() => useId());
    expect(typeof result.current).toBe("string");
  });
});
