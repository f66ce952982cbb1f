import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ApiContext, defaultApi } from "./api";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { ToastProvider } from "./components/Toasts";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApiContext.Provider value={defaultApi()}>
      <ToastProvider>
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </ToastProvider>
    </ApiContext.Provider>
  </StrictMode>,
);
