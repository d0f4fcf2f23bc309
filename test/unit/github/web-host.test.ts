import { describe, expect, it } from "vitest";
import { GITHUB_COM_WEB_URL, gitHubWebUrl, isGitHubCom, repoWebUrl } from "../../../src/github/web-host.js";

describe("gitHubWebUrl", () => {
  it.each([
    ["nothing set", {}, "https://github.com"],
    ["GHE_HOST", { GHE_HOST: "ghe.example.test" }, "https://ghe.example.test"],
    ["GHE_HOST with a port and spaces", { GHE_HOST: " ghe.example.test:8443 " }, "https://ghe.example.test:8443"],
    ["GHE_HOST in capitals", { GHE_HOST: "GHE.Example.Test" }, "https://ghe.example.test"],
    ["GHE_HOST with GHE_PROTOCOL=http", { GHE_HOST: "127.0.0.1:3000", GHE_PROTOCOL: "http" }, "http://127.0.0.1:3000"],
    ["GHE_PROTOCOL=HTTPS", { GHE_HOST: "ghe.example.test", GHE_PROTOCOL: "HTTPS" }, "https://ghe.example.test"],
    ["an empty GHE_PROTOCOL (Probot's default https)", { GHE_HOST: "ghe.example.test", GHE_PROTOCOL: "" }, "https://ghe.example.test"],
    ["GHE_PROTOCOL alone (Probot ignores it without GHE_HOST)", { GHE_PROTOCOL: "http" }, "https://github.com"],
    ["GITHUB_SERVER_URL (Actions)", { GITHUB_SERVER_URL: "https://ghe.example.test" }, "https://ghe.example.test"],
    ["GITHUB_SERVER_URL with a trailing slash", { GITHUB_SERVER_URL: "https://ghe.example.test/" }, "https://ghe.example.test"],
    ["GITHUB_SERVER_URL on github.com", { GITHUB_SERVER_URL: "https://github.com" }, "https://github.com"],
    ["GHE_HOST before GITHUB_SERVER_URL", { GHE_HOST: "ghe.example.test", GITHUB_SERVER_URL: "https://github.com" }, "https://ghe.example.test"],
    ["a blank GHE_HOST", { GHE_HOST: "  ", GITHUB_SERVER_URL: "https://ghe.example.test" }, "https://ghe.example.test"],
  ])("%s", (_name, env, expected) => {
    expect(gitHubWebUrl(env)).toBe(expected);
  });

  it.each([
    [{ GHE_HOST: "https://ghe.example.test" }, /^GHE_HOST: expected the GitHub Enterprise Server's host name, such as ghe\.example\.org .*got "https:\/\/ghe\.example\.test"$/],
    [{ GHE_HOST: "ghe.example.test/api/v3" }, /^GHE_HOST: .*no https:\/\/, no path\), got "ghe\.example\.test\/api\/v3"$/],
    [{ GHE_HOST: "ghe example" }, /^GHE_HOST: .*got "ghe example"$/],
    [{ GHE_HOST: "ghe.example.test:99999" }, /^GHE_HOST: .*got "ghe\.example\.test:99999"$/],
    [{ GHE_HOST: "ghe.example.test", GHE_PROTOCOL: "ftp" }, /^GHE_PROTOCOL: expected "https" or "http", got "ftp"$/],
    [{ GITHUB_SERVER_URL: "ghe.example.test" }, /^GITHUB_SERVER_URL: expected the GitHub server's web address, such as https:\/\/github\.com .*not a URL$/],
    [{ GITHUB_SERVER_URL: "ftp://ghe.example.test" }, /^GITHUB_SERVER_URL: .*got "ftp:\/\/ghe\.example\.test"$/],
    [{ GITHUB_SERVER_URL: "https://ghe.example.test/github" }, /^GITHUB_SERVER_URL: .*no path, query or fragment\), got "https:\/\/ghe\.example\.test\/github"$/],
    [{ GITHUB_SERVER_URL: "https://ghe.example.test/?x=1" }, /^GITHUB_SERVER_URL: .*got "https:\/\/ghe\.example\.test\/\?x=1"$/],
  ])("refuses %j with an error naming the variable", (env, message) => {
    expect(() => gitHubWebUrl(env)).toThrow(message);
  });

  it("never repeats credentials put in a variable", () => {
    for (const env of [{ GHE_HOST: "user:s3cret@ghe.example.test" }, { GITHUB_SERVER_URL: "https://user:s3cret@ghe.example.test" }]) {
      let message = "";
      try {
        gitHubWebUrl(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^(GHE_HOST|GITHUB_SERVER_URL): .*must not hold credentials$/);
      expect(message).not.toContain("s3cret");
    }
  });
});

describe("repoWebUrl and isGitHubCom", () => {
  it("joins the web host and the repository, with or without a trailing slash", () => {
    expect(repoWebUrl(GITHUB_COM_WEB_URL, { owner: "nodejs", repo: "security-wg" })).toBe("https://github.com/nodejs/security-wg");
    expect(repoWebUrl("https://ghe.example.test/", { owner: "acme", repo: "tsc" })).toBe("https://ghe.example.test/acme/tsc");
  });

  it("tells github.com from any other host", () => {
    expect(isGitHubCom("https://github.com")).toBe(true);
    expect(isGitHubCom("https://GitHub.com/")).toBe(true);
    expect(isGitHubCom("https://ghe.example.test")).toBe(false);
    expect(isGitHubCom("https://github.com.example.test")).toBe(false);
  });
});
