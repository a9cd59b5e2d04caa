import { configure } from "@testing-library/react";

// Polling runs on real timers at 20 ms; under a loaded CI machine a flow can take longer than
// waitFor's default second, so give it more room (passing tests do not wait for it).
configure({ asyncUtilTimeout: 5_000 });
