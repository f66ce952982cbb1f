import { describe, expect, it } from "vitest";
import { defaultLanguage } from "./CreateBlogDialog";

describe("defaultLanguage", () => {
  it("keeps a real language tag", () => {
    expect(defaultLanguage("en-GB")).toBe("en-GB");
    expect(defaultLanguage("fr")).toBe("fr");
    expect(defaultLanguage("zh-Hant-TW")).toBe("zh-Hant-TW");
  });
  it("falls back to English for POSIX locales and nothing", () => {
    expect(defaultLanguage("C")).toBe("en");
    expect(defaultLanguage("POSIX")).toBe("en");
    expect(defaultLanguage("")).toBe("en");
    expect(defaultLanguage(undefined)).toBe("en");
  });
});
