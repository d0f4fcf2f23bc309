import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

/**
 * `wg-meetings attendance` with a config and a command-line option: what the chair types wins.
 * The minutes are the realistic Node.js forms in test/fixtures/attendance/meetings/.
 */
const MEETINGS = "test/fixtures/attendance/meetings";

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text), env: {} });
  return { code, out, err };
}

function configFile(extra: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "attendance-guards-")), "meetings.yml");
  writeFileSync(
    path,
    `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2024-09-26T10:00
      zone: America/New_York
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
${extra}`,
  );
  return path;
}

describe("wg-meetings attendance --config with --last", () => {
  it("counts the last N meetings given on the command line, not the config's attendance.window", async () => {
    const config = configFile(`    quorum:
      members: [RafaelGSS, mhdawson]
    attendance:
      window: 2
`);
    const { code, out, err } = await run(["attendance", "--dir", MEETINGS, "--config", config, "--last", "3"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("Attendance at the last 3 meetings that list who attended (2024-10-10 to 2024-11-21)");
    expect(out).toContain("RafaelGSS  3/3   100%  2024-11-21\n");
  });
});
