/** The address people open a note at: `https://hackmd.io/<id>` (or the stand-in's origin). */
export function noteUrl(webUrl: string, id: string): string {
  return `${webUrl}/${encodeURIComponent(id)}`;
}
