/**
 * HackMD's web address: a note opens at `https://hackmd.io/<note id>`, whoever's workspace it is
 * in. The App links notes there whatever API URL it was given (a stand-in's): the marker
 * records no host, so every link to a note is made the same way.
 */
export const HACKMD_WEB_URL = "https://hackmd.io";

/** The address people open a note at. */
export function noteUrl(id: string): string {
  return `${HACKMD_WEB_URL}/${encodeURIComponent(id)}`;
}
