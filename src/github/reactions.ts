import type { GitHub, RepoRef } from "./client.js";

/** The acknowledgements the App gives a command: 👀 on start, 🚀 on success, 😕 on failure. */
export type Acknowledgement = "eyes" | "rocket" | "confused";

/** Reacts to a comment. Reacting twice with the same content is a no-op on GitHub. */
export async function reactToComment(gh: GitHub, repo: RepoRef, commentId: number, content: Acknowledgement): Promise<void> {
  await gh.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}

/** The users who reacted 👍 to an issue (the RSVP "attending"), in reaction order, bots left out. */
export async function thumbsUpUsers(gh: GitHub, repo: RepoRef, issueNumber: number): Promise<string[]> {
  const reactions = await gh.paginate(gh.rest.reactions.listForIssue, {
    ...repo,
    issue_number: issueNumber,
    content: "+1",
    per_page: 100,
  });
  const logins: string[] = [];
  for (const reaction of reactions) {
    const user = reaction.user;
    if (user && user.type !== "Bot" && !logins.includes(user.login)) logins.push(user.login);
  }
  return logins;
}
