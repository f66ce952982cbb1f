import { createContext, useContext } from "react";
import { MockBackend } from "./mock";
import { insideTauri, tauriApi } from "./tauri";
import type { Api } from "./types";

export * from "./types";
export { MockBackend } from "./mock";

/** The backend for this window: Tauri when inside the app, else the mock. */
export function defaultApi(): Api {
  if (insideTauri()) return tauriApi;
  const mock = new MockBackend({ latency: 40, stepDelay: 60 });
  const params = new URLSearchParams(window.location.search);
  // ?demo=1 seeds the demo blog, ?large=10000 a big one: for screenshots and perf checks.
  if (params.get("demo")) mock.seedDemo();
  const large = Number(params.get("large"));
  if (large > 0) mock.seedLarge(Math.min(large, 50000));
  (window as unknown as { __LIVELINE_MOCK__?: MockBackend }).__LIVELINE_MOCK__ = mock;
  return mock;
}

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiContext");
  return api;
}
