import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `vite build` writes dist/, which server.mjs serves next to the proxy and webhook handlers.
// There is no dev-server setup on purpose: the page needs /config and /api/videoretalk, which
// only server.mjs provides (`pnpm start` rebuilds and serves).
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
