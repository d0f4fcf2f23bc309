import { describe, expect, it } from "vitest";
import { docName, docRefUrl, formatDocRef, markerDocUrl, parseDocRef } from "../../../src/minutes-doc/doc-ref.js";
import { parseMarker, withMarker } from "../../../src/state/meeting-marker.js";

describe("the marker's doc field names the backend and the doc", () => {
  it("reads a bare id as a Google Doc: markers written before HackMD keep meaning what they meant", () => {
    expect(parseDocRef("1AbC-dEf_GhI")).toEqual({ kind: "google", id: "1AbC-dEf_GhI" });
    expect(formatDocRef({ kind: "google", id: "1AbC-dEf_GhI" })).toBe("1AbC-dEf_GhI");
  });

  it("writes a HackMD note with its workspace, hackmd:<id> (the token's own) or hackmd:<team>/<id>, and reads it back", () => {
    expect(formatDocRef({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA", team: null })).toBe("hackmd:k5zK8_yDRoKxKmEuVW0RvA");
    expect(parseDocRef("hackmd:k5zK8_yDRoKxKmEuVW0RvA")).toEqual({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA", team: null });
    expect(formatDocRef({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA", team: "nodejs-security" })).toBe("hackmd:nodejs-security/k5zK8_yDRoKxKmEuVW0RvA");
    expect(parseDocRef("hackmd:nodejs-security/k5zK8_yDRoKxKmEuVW0RvA")).toEqual({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA", team: "nodejs-security" });
  });

  it("survives the issue's marker unchanged", () => {
    const body = withMarker("body", { v: 1, series: "wg", at: "2026-12-10T17:00:00.000Z", date: "2026-12-10", doc: "hackmd:nodejs-security/k5zK8_yDRoKxKmEuVW0RvA" });
    expect(parseDocRef(parseMarker(body)!.doc!)).toEqual({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA", team: "nodejs-security" });
  });

  it("links each backend's doc at its address for people, without a client or config", () => {
    expect(docRefUrl({ kind: "google", id: "1AbC" })).toBe("https://docs.google.com/document/d/1AbC/edit");
    expect(docRefUrl({ kind: "hackmd", id: "k5zK8_yDRoKxKmEuVW0RvA" })).toBe("https://hackmd.io/k5zK8_yDRoKxKmEuVW0RvA");
    expect(markerDocUrl("1AbC")).toBe("https://docs.google.com/document/d/1AbC/edit");
    expect(markerDocUrl("hackmd:k5zK8_yDRoKxKmEuVW0RvA")).toBe("https://hackmd.io/k5zK8_yDRoKxKmEuVW0RvA");
    expect(markerDocUrl("hackmd:nodejs-security/k5zK8_yDRoKxKmEuVW0RvA")).toBe("https://hackmd.io/k5zK8_yDRoKxKmEuVW0RvA");
  });

  it("escapes an id that is not URL-safe (the marker is issue text anyone with write access can edit)", () => {
    expect(markerDocUrl("hackmd:team/../b?c")).toBe("https://hackmd.io/b%3Fc");
    expect(markerDocUrl("hackmd:a b#c")).toBe("https://hackmd.io/a%20b%23c");
    expect(markerDocUrl("x/../y")).toBe("https://docs.google.com/document/d/x%2F..%2Fy/edit");
  });

  it("names the doc for what it is: the doc's own backend once it exists, the series' before", () => {
    expect(docName("https://hackmd.io/k5zK8_yDRoKxKmEuVW0RvA", "google")).toBe("HackMD note");
    expect(docName("https://docs.google.com/document/d/1AbC/edit", "hackmd")).toBe("Google Doc");
    expect(docName(null, "hackmd")).toBe("HackMD note");
    expect(docName(null, "google")).toBe("Google Doc");
    // A look-alike host is not HackMD's.
    expect(docName("https://hackmd.io.example.org/x", "google")).toBe("Google Doc");
  });
});
