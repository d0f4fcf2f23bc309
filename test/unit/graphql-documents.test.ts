import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { AGENDA_SEARCH } from "../../src/agenda/search-query.js";
import { REPO_CONFIG_DOCUMENTS } from "../../src/github/repo-config.js";

/** Every GraphQL document the App sends, validated against GitHub's published schema. */
const DOCUMENTS: Record<string, string> = { AGENDA_SEARCH, ...REPO_CONFIG_DOCUMENTS };

describe("GraphQL documents", () => {
  it.each(Object.entries(DOCUMENTS))("%s is valid against GitHub's schema", (_name, document) => {
    expect(validate(document).map((error) => error.message)).toEqual([]);
  });

  it.each(Object.entries(DOCUMENTS))("%s is a named operation (recognisable in logs and mocks)", (_name, document) => {
    expect(document).toMatch(/^\s*query [A-Z]\w+\(/);
  });
});
