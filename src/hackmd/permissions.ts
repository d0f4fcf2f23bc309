import { isTeamPath } from "./allow-list.js";
import { NOTE_PERMISSION_ROLES, type HackmdSettings } from "./types.js";

/**
 * What is wrong with a series' HackMD settings, in words for the config check and the issue;
 * null when nothing is. HackMD refuses a note whose writers are a wider group than its
 * readers (say `readPermission: owner` with `writePermission: guest`).
 */
export function hackmdSettingsProblem(settings: HackmdSettings): string | null {
  if (settings.team !== null && !isTeamPath(settings.team)) {
    return `minutes.hackmd.team "${settings.team.slice(0, 64)}" is not a HackMD team path (letters, digits, ".", "_" and "-")`;
  }
  const read = NOTE_PERMISSION_ROLES.indexOf(settings.readPermission);
  const write = NOTE_PERMISSION_ROLES.indexOf(settings.writePermission);
  if (write > read) {
    return `minutes.hackmd.writePermission ${settings.writePermission} lets more people write than readPermission ${settings.readPermission} lets read, which HackMD refuses`;
  }
  return null;
}
