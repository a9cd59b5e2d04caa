/**
 * MSW tests, loaded lazily: msw itself does not start in workerd (at import it builds a cookie
 * store on `localStorage`, which Workers lack), so the Worker bundle must not evaluate it.
 */
export const mswTests = [
  {
    name: "emulator/msw: the handlers run create → pending → processing → completed on a stepped clock",
    async run() {
      const { runMswFlow } = await import("./msw-flow.mjs");
      await runMswFlow();
    },
  },
];
