import { describe, expect, it } from "vitest";
import { parseAgendaFile } from "../../src/agenda/parse-agenda-file.js";

const item = { repository: "nodejs/security-wg", number: 812, title: "Slack", url: "https://github.com/nodejs/security-wg/issues/812", kind: "issue" };

describe("the --agenda file", () => {
  it("accepts the documented shape", () => {
    expect(parseAgendaFile(JSON.stringify([item, { ...item, number: 5, kind: "pull_request" }]))).toHaveLength(2);
  });

  it.each([
    ["not JSON", "{", "agenda.json: not valid JSON"],
    ["not an array", "{}", "agenda.json: expected a JSON array"],
    ["a bad kind", JSON.stringify([item, { ...item, kind: "pr" }]), 'agenda.json[1].kind: expected "issue" or "pull_request"'],
    ["a string number", JSON.stringify([{ ...item, number: "812" }]), "agenda.json[0].number: expected a positive integer"],
    ["a bare repository name", JSON.stringify([{ ...item, repository: "security-wg" }]), "agenda.json[0].repository: expected owner/name"],
    ["a javascript: url", JSON.stringify([{ ...item, url: "javascript:alert(1)" }]), "agenda.json[0].url: expected an http(s) URL"],
    ["a missing title", JSON.stringify([{ ...item, title: undefined }]), "agenda.json[0].title: expected a non-empty string"],
  ])("rejects %s, naming the entry and field", (_name, text, message) => {
    expect(() => parseAgendaFile(text, "agenda.json")).toThrow(message);
  });
});
