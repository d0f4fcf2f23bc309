import type { drive_v3 } from "@googleapis/drive";
import { GoogleDocsError, isTransient, readFailure, translateGoogleError } from "./errors.js";
import type { ShareConfig } from "./types.js";

type Role = "reader" | "commenter" | "writer";

/** One grant the config asks for. */
export interface ShareRule {
  type: "anyone" | "domain" | "group" | "user";
  role: Role;
  emailAddress?: string;
  domain?: string;
}

/** The grants `minutes.google.share` asks for, in the order they are created. */
export function shareRules(share: ShareConfig): ShareRule[] {
  const rules: ShareRule[] = [];
  if (share.anyone !== "none") rules.push({ type: "anyone", role: share.anyone });
  if (share.domain) rules.push({ type: "domain", role: share.domain.role, domain: share.domain.name });
  for (const group of share.groups) rules.push({ type: "group", role: group.role, emailAddress: group.email });
  return rules;
}

// Drive's roles form a ladder; a grant at or above the wanted role satisfies a rule.
const RANK: Record<string, number> = { reader: 1, commenter: 2, writer: 3, fileOrganizer: 4, organizer: 5, owner: 6 };

/** True when an existing permission already gives the rule's grantee at least its role. */
export function isSatisfied(rule: ShareRule, existing: readonly drive_v3.Schema$Permission[]): boolean {
  return existing.some((p) => sameGrantee(rule, p) && (RANK[p.role ?? ""] ?? 0) >= RANK[rule.role]!);
}

function sameGrantee(rule: ShareRule, p: drive_v3.Schema$Permission): boolean {
  if (rule.type === "anyone") return p.type === "anyone";
  if (rule.type === "domain") return p.type === "domain" && lower(p.domain) === lower(rule.domain);
  // A config entry may name a group or a person; Drive records which, so match either.
  return (p.type === "group" || p.type === "user") && lower(p.emailAddress) === lower(rule.emailAddress);
}

function lower(value: string | null | undefined): string {
  return (value ?? "").toLowerCase();
}

/**
 * Makes the doc shared as configured, creating only the grants that are missing: a second run
 * sends no writes, and a grant someone raised by hand is left alone. Never removes a grant.
 *
 * Entries of `groups` are created as type `group`; if Drive rejects that with 400 (the address
 * is a person, which the config allows), the entry is created once more as type `user`.
 * Permissions are created one at a time: Drive applies only the last of concurrent changes.
 * A create is never replayed blindly (see grantOnce).
 */
export async function ensureShared(drive: drive_v3.Drive, fileId: string, share: ShareConfig, actor: string): Promise<number> {
  const rules = shareRules(share);
  if (rules.length === 0) return 0;
  const existing = await listPermissions(drive, fileId, actor);
  let created = 0;
  for (const rule of rules) {
    if (isSatisfied(rule, existing)) continue;
    try {
      await grantOnce(drive, fileId, rule, actor);
    } catch (error) {
      if (rule.type !== "group" || readFailure(error).status !== 400) throw shareError(error, fileId, rule, actor);
      try {
        await grantOnce(drive, fileId, { ...rule, type: "user" }, actor);
      } catch (retried) {
        throw shareError(retried, fileId, rule, actor);
      }
    }
    created++;
  }
  return created;
}

/**
 * Creates one grant, once. gaxios does not replay `permissions.create` after a server error or
 * a dropped connection (retry.ts), because Drive may have made the grant before the answer was
 * lost: the doc's permissions are read first, and the grant is asked for again only when it is
 * not there.
 */
async function grantOnce(drive: drive_v3.Drive, fileId: string, rule: ShareRule, actor: string): Promise<void> {
  try {
    await createPermission(drive, fileId, rule);
  } catch (error) {
    if (!isTransient(readFailure(error))) throw error;
    if (isSatisfied(rule, await listPermissions(drive, fileId, actor))) return;
    await createPermission(drive, fileId, rule);
  }
}

async function listPermissions(drive: drive_v3.Drive, fileId: string, actor: string): Promise<drive_v3.Schema$Permission[]> {
  const all: drive_v3.Schema$Permission[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const { data } = await drive.permissions.list({
        fileId,
        supportsAllDrives: true,
        pageSize: 100,
        fields: "nextPageToken,permissions(id,type,role,emailAddress,domain)",
        pageToken,
      });
      all.push(...(data.permissions ?? []));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    throw translateGoogleError(error, { actor, action: `read who doc ${fileId} is shared with`, target: { kind: "doc", id: fileId } });
  }
  return all;
}

async function createPermission(drive: drive_v3.Drive, fileId: string, rule: ShareRule): Promise<void> {
  const personal = rule.type === "group" || rule.type === "user";
  await drive.permissions.create({
    fileId,
    supportsAllDrives: true,
    // Only valid for users and groups: Drive rejects the parameter on anyone/domain grants.
    ...(personal ? { sendNotificationEmail: false } : {}),
    fields: "id",
    requestBody: {
      type: rule.type,
      role: rule.role,
      ...(rule.emailAddress ? { emailAddress: rule.emailAddress } : {}),
      ...(rule.domain ? { domain: rule.domain } : {}),
      // Link-only: the doc must not show up in searches of everyone / the whole domain.
      ...(personal ? {} : { allowFileDiscovery: false }),
    },
  });
}

function describeGrantee(rule: ShareRule): string {
  if (rule.type === "anyone") return `anyone with the link (${rule.role})`;
  if (rule.type === "domain") return `domain ${rule.domain} (${rule.role})`;
  return `${rule.emailAddress} (${rule.role})`;
}

function shareError(error: unknown, fileId: string, rule: ShareRule, actor: string): GoogleDocsError {
  const action = `share doc ${fileId} with ${describeGrantee(rule)}`;
  const translated = translateGoogleError(error, { actor, action, target: { kind: "doc", id: fileId } });
  if (translated.kind !== "forbidden" || translated.status !== 403) return translated;
  // A 403 here is usually policy, not access: say both, since the App cannot tell them apart.
  const reason = translated.reason ? ` (403 ${translated.reason})` : " (403)";
  return new GoogleDocsError(
    "forbidden",
    `Google Drive refused to ${action}${reason}: the Workspace or shared drive's sharing settings may forbid it, or ${actor} may not share in that folder (it needs Editor, or Manager in a shared drive)`,
    translated.status,
    translated.reason,
  );
}
