import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { VideoRetalkProvider } from "@videoretalk/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import "./styles.css";

// The app's own QueryClient (it also loads /config); VideoRetalkProvider uses it instead of
// creating a second one. StrictMode doubles effects in development builds: the hooks are built
// so that this still creates one task per click.
const queryClient = new QueryClient();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {/* The browser talks only to this origin's proxy; server.mjs adds the API key. */}
      <VideoRetalkProvider proxyUrl="/api/videoretalk">
        <App />
      </VideoRetalkProvider>
    </QueryClientProvider>
  </StrictMode>,
);
