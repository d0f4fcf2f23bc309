import { describe, expect, it } from "vitest";
import { CHAIR_COMMANDS, CommandUsageError, parseChairCommand } from "../../../src/commands/parse-command.js";
import { parseMoveArgs } from "../../../src/commands/parse-move.js";

/**
 * Where a comment's text stops showing code and starts being a command again, at the edges the
 * Markdown rules draw (CommonMark): a command shown in code must never run, and one after the
 * code has ended must.
 */
describe("a command after something that looked like code", () => {
  it.each([
    ["after a one-line HTML comment", "<!-- note -->\n/minutes"],
    ["after an HTML comment that closed", "<!--\nhidden\n-->\n/minutes"],
    ["after a fence closed with trailing spaces", "```\n/cancel\n```   \n/minutes"],
    ["after a closed ~~~ fence", "~~~\n/cancel\n~~~\n/minutes"],
    ["after an escaped backtick (no code span opened)", "Use \\` with care\n/minutes"],
    ["after a code span closed by the same run", "a ``code `` b\n/minutes"],
    ["after a paragraph whose code span never closed, once a blank line ends it", "an open ` here\n\n/minutes"],
    ["after a lone carriage return (an old Mac line end)", "Thanks\r/minutes"],
    ["after single backticks that pair up across lines", "a `\n` b\n/minutes"],
    ["after a double-backtick span with a single backtick inside", "a `` b ` c ``\n/minutes"],
  ])("runs %s", (_name, body) => {
    expect(parseChairCommand(body)).toEqual({ name: "minutes", args: "" });
  });

  it.each([
    ["in a ~~~ fence whose info string has a backtick (allowed after tildes)", "~~~ `x`\n/minutes\n~~~"],
    ["in a ```` fence a shorter ``` does not close", "````\n```\n/minutes"],
    ["in a ~~~ fence a ``` does not close", "~~~\n```\n/minutes"],
    ["in a code span whose closing run is longer", "a `` b ```\n/minutes"],
    ["indented by three spaces and a tab", "   \t/minutes"],
    ["indented by four spaces", "    /minutes"],
    ["in an HTML comment opened after text on the line before", "x\n<!-- start\n/minutes\n-->"],
    ["in a fence that opens after a backtick line that was text", "```a`b\n```\n/minutes"],
    ["in an HTML comment still open after a line of text", "<!--\nhidden\n/minutes\n-->"],
  ])("does not run %s", (_name, body) => {
    expect(parseChairCommand(body)).toBeNull();
  });

  it("a backtick line with a backtick in its info string is no fence: the next line is inside a code span", () => {
    expect(parseChairCommand("```js `x`\n/minutes\n```\n")).toBeNull();
  });
});

describe("which names are commands", () => {
  it("by default only the chair commands; an unknown /word is text", () => {
    expect(CHAIR_COMMANDS).toEqual(["minutes", "agenda", "cancel", "move", "help"]);
    for (const name of CHAIR_COMMANDS) expect(parseChairCommand(`/${name} x`)).toEqual({ name, args: "x" });
    expect(parseChairCommand("/frobnicate now")).toBeNull();
    expect(parseChairCommand("/frobnicate now\n/agenda")).toEqual({ name: "agenda", args: "" });
  });

  it('"*" asks for any command, lowercased, so an unknown one can be answered', () => {
    expect(parseChairCommand("/FrobNicate now", ["*"])).toEqual({ name: "frobnicate", args: "now" });
  });

  it("names given in any case match", () => {
    expect(parseChairCommand("/cancel", ["CANCEL"])).toEqual({ name: "cancel", args: "" });
  });
});

describe("/move's arguments", () => {
  it.each([
    ["2024-11-07 10:00 UTC extra", "expected /move YYYY-MM-DD HH:mm"],
    ["2024-11-07", "expected /move YYYY-MM-DD HH:mm"],
    ["2024-11-07 100:00", "is not a date and time"],
    ["24-11-07 10:00", "is not a date and time"],
    ["x2024-11-07 10:00", "is not a date and time"],
    ["2024-11-077 10:00", "is not a date and time"],
    ["2024-11-07 10:0", "is not a date and time"],
    ["2024-11-07 24:30", "is not a real date and time"],
    ["2024-11-07 10:00x", "is not a date and time"],
    ["2024-11-07 10:00 Mars/Olympus", 'unknown time zone "Mars/Olympus" (use an IANA name such as America/New_York): expected /move'],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parseMoveArgs(args, "UTC")).toThrow(CommandUsageError);
    expect(() => parseMoveArgs(args, "UTC")).toThrow(message);
  });

  it("quotes what was given, trimmed", () => {
    expect(() => parseMoveArgs("  next week  ", "UTC")).toThrow('"next week" is not a date and time');
  });

  it("the series' zone is used when none is given, and said back", () => {
    expect(parseMoveArgs("2024-07-01 10:00", "Europe/London")).toEqual({ start: new Date("2024-07-01T09:00:00.000Z"), zone: "Europe/London" });
    expect(parseMoveArgs("  2024-07-01   10:00   UTC ", "Europe/London")).toEqual({ start: new Date("2024-07-01T10:00:00.000Z"), zone: "UTC" });
  });
});
