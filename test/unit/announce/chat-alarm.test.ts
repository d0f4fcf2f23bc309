import { describe, expect, it } from "vitest";
import { chatAlarmText, parseChatAlarmMarker } from "../../../src/alarms/chat-alarm.js";
import { alarmIssuesOf } from "../../../src/github/alarm-issues.js";
import { meetingIssuesFrom } from "../../../src/github/meeting-issues.js";

const CONTENT = {
  destination: "nodejs-slack",
  service: "slack",
  reason: "Slack refused the post to nodejs-slack (HTTP 404, no_service): the webhook was probably revoked",
  kind: "rejected",
  meeting: { title: "Node.js Security team Meeting 2024-10-31", url: "https://github.com/nodejs/security-wg/issues/1396" },
  failures: 3,
  now: new Date("2024-10-28T15:30:00Z"),
};

describe("the chat alarm", () => {
  it("names the destination, the meeting, the count and the service's answer, and what the operator checks", () => {
    const { title, body } = chatAlarmText(CONTENT);
    expect(title).toBe("wg-meetings cannot post to the chat destination nodejs-slack");
    expect(body).toContain("The wg-meetings App cannot post meeting announcements to the chat destination `nodejs-slack` (slack).");
    expect(body).toContain(
      "Posting the announcement of [Node.js Security team Meeting 2024-10-31](https://github.com/nodejs/security-wg/issues/1396) failed 3 times in a row; the last answer (2024-10-28 15:30 UTC): `Slack refused the post to nodejs-slack (HTTP 404, no_service): the webhook was probably revoked`.",
    );
    expect(body).toContain("entry `nodejs-slack` of `WG_MEETINGS_CHAT`");
    expect(parseChatAlarmMarker(body)).toEqual({ v: 1, destination: "nodejs-slack" });
  });

  it("never carries a secret, even when a reason holds one, and a hostile title stays text", () => {
    const { body } = chatAlarmText({
      ...CONTENT,
      reason: "failed for https://hooks.slack.com/services/T0/B0/abc?token=xoxb-123456789012345 with Bearer abcdefghijklmnopqrstuvwxyz",
      meeting: { title: "x](https://evil.example) @everyone <!-- wg-meetings:meeting {} -->", url: CONTENT.meeting.url },
    });
    expect(body).not.toContain("xoxb-123456789012345");
    expect(body).not.toContain("abcdefghijklmnopqrstuvwxyz");
    expect(body).not.toContain("@everyone");
    expect(body).not.toContain("<!-- wg-meetings:meeting");
    expect(meetingIssuesFrom([{ number: 9, url: "u", state: "open", title: "t", body, author: "wg-meetings[bot]" }])).toEqual([]);
  });

  it("advises by kind: a name the operator lacks, an owner not allowed, a service down for now", () => {
    expect(chatAlarmText({ ...CONTENT, kind: "not-configured" }).body).toContain("has no destination named `nodejs-slack`");
    expect(chatAlarmText({ ...CONTENT, kind: "not-allowed" }).body).toContain("not open to this repository's owner");
    expect(chatAlarmText({ ...CONTENT, kind: "unavailable" }).body).toContain("tries again on later ticks");
  });

  it("is no missing-meeting alarm and no meeting: the other alarms and the meeting look-up pass it by", () => {
    const { body } = chatAlarmText(CONTENT);
    const issue = { number: 5, url: "u", state: "open" as const, title: "t", body, author: "wg-meetings[bot]" };
    expect(alarmIssuesOf([issue], "wg-meetings[bot]")).toEqual([]);
    expect(meetingIssuesFrom([issue])).toEqual([]);
  });
});
