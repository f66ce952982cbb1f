import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { ApiContext } from "../api";
import type { Api } from "../api/types";
import { ToastProvider } from "../components/Toasts";

export function renderWithApi(ui: ReactElement, api: Api) {
  const wrap = (el: ReactElement) => (
    <ApiContext.Provider value={api}>
      <ToastProvider>{el}</ToastProvider>
    </ApiContext.Provider>
  );
  const r = render(wrap(ui));
  return { ...r, rerenderWith: (el: ReactElement) => r.rerender(wrap(el)) };
}
