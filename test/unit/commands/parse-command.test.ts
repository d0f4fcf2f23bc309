import { describe, expect, it } from "vitest";
import { CommandUsageError, parseChairCommand, parseMinutesArgs } from "../../../src/commands/parse-command.js";

const YT = "https://www.youtube.com/watch?v=g4s439-Lfmw";

describe("parseChairCommand", () => {
  it.each([
    ["plain", "/minutes", { name: "minutes", args: "" }],
    ["with a recording URL", `/minutes ${YT}`, { name: "minutes", args: YT }],
    ["trailing spaces and a tab", `/minutes\t ${YT}  `, { name: "minutes", args: YT }],
    ["after text lines", `Thanks everyone!\nGreat meeting.\n/minutes ${YT}`, { name: "minutes", args: YT }],
    ["up to three leading spaces", "   /minutes", { name: "minutes", args: "" }],
    ["CRLF line ends", `Thanks!\r\n\r\n/minutes ${YT}\r\n`, { name: "minutes", args: YT }],
    ["uppercase, as phones type it", "/Minutes", { name: "minutes", args: "" }],
    ["all caps", "/MINUTES", { name: "minutes", args: "" }],
    ["after a closed fence", "```\n/minutes old\n```\n/minutes new", { name: "minutes", args: "new" }],
    ["after a quote and a blank line", "> /minutes old\n\n/minutes new", { name: "minutes", args: "new" }],
    ["first command wins", `/minutes ${YT}\n/minutes https://example.com/other`, { name: "minutes", args: YT }],
    ["unknown commands before it are text", "/shrug\n/cc @someone\n/minutes", { name: "minutes", args: "" }],
    ["after a closed code span", "see `this`\n/minutes", { name: "minutes", args: "" }],
  ])("finds it: %s", (_, body, expected) => {
    expect(parseChairCommand(body)).toEqual(expected);
  });

  it.each([
    ["no command", "Thanks everyone, see you in two weeks."],
    ["empty", ""],
    ["in a block quote", "> /minutes"],
    ["in a quote, indented", "  > /minutes https://x.test/"],
    ["in a ``` fence", "Run this:\n```\n/minutes\n```"],
    ["in a ```` fence closed by a longer one", "````md\n/minutes\n`````"],
    ["in a ~~~ fence", "~~~\n/minutes\n~~~"],
    ["in an unclosed fence", "```\n/minutes"],
    ["a ``` line inside a ~~~ fence does not close it", "~~~\n```\n/minutes\n~~~"],
    ["in indented code", "Example:\n\n    /minutes"],
    ["in tab-indented code", "\t/minutes"],
    ["in inline code", "Type `/minutes` when done"],
    ["inline code at the start of the line", "`/minutes`"],
    ["in a code span across lines", "Type `\n/minutes\n` when done"],
    ["in an HTML comment", "<!--\n/minutes\n-->"],
    ["/minutesX is another word", "/minutesX"],
    ["/minutes: is not the command", "/minutes: soon"],
    ["a path", "/minutes/2022-07-21.md"],
    ["not at the start of the line", "please /minutes"],
    ["in a list item", "* /minutes"],
  ])("ignores it: %s", (_, body) => {
    expect(parseChairCommand(body)).toBeNull();
  });

  it("knows other commands when told", () => {
    expect(parseChairCommand("/cancel because of the holiday", ["minutes", "cancel"])).toEqual({ name: "cancel", args: "because of the holiday" });
  });
});

describe("parseMinutesArgs", () => {
  it.each([
    ["", null],
    ["   ", null],
    [YT, YT],
    [`<${YT}>`, YT],
    ["http://example.com/rec", "http://example.com/rec"],
    ["https://YouTu.be/abc", "https://youtu.be/abc"],
    ["https://example.com/a?q=<b>", "https://example.com/a?q=%3Cb%3E"],
  ])("%j → %j", (args, recording) => {
    expect(parseMinutesArgs(args)).toEqual({ recording });
  });

  it.each([
    ["not a URL", "soon"],
    ["another scheme", "javascript:alert(1)"],
    ["ftp", "ftp://example.com/rec.mp4"],
    ["two URLs", `${YT} https://example.com/other`],
    ["with credentials", "https://user:secret@example.com/rec"],
  ])("rejects %s with the expected form", (_, args) => {
    expect(() => parseMinutesArgs(args)).toThrow(CommandUsageError);
    expect(() => parseMinutesArgs(args)).toThrow("/minutes [recording URL]");
  });
});
