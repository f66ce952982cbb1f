import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { PhotoField } from "./nodes";

describe("PhotoField", () => {
  it("keeps what is being typed when the photo is refreshed meanwhile", () => {
    const onSave = vi.fn();
    const { rerender } = render(<PhotoField label="Credit" value="From EXIF" onSave={onSave} />);
    const input = screen.getByLabelText("Photo credit");
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "Ana Ruiz" } });
    // A save elsewhere brings the photo back with its stored credit.
    rerender(<PhotoField label="Credit" value="From EXIF (stored)" onSave={onSave} />);
    expect(input).toHaveValue("Ana Ruiz");
    fireEvent.blur(input);
    expect(onSave).toHaveBeenCalledWith("Ana Ruiz");
  });

  it("follows a new value when the field is not in use", () => {
    const { rerender } = render(<PhotoField label="Alt text" value="" onSave={() => {}} />);
    rerender(<PhotoField label="Alt text" value="Boats on a beach" onSave={() => {}} />);
    expect(screen.getByLabelText("Photo alt text")).toHaveValue("Boats on a beach");
  });
});
